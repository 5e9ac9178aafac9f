// What each statement wrote, per dataset path, so MERGE BRANCH can apply a branch's own changes
// the way Nessie merges its commits: datasets written on the branch since it was created (or last
// merged) replace the target's, datasets dropped on it are dropped, and everything else on the
// target (written there meanwhile by other jobs) is left alone. Without this, merging a branch
// copied back stale copies of every dataset and undid concurrent writes on the target.
import type { Catalog } from './catalog.js';
import { pathKey } from './namespace.js';

const WRITES = new WeakMap<Catalog, Map<string, readonly string[]>>();

/** Statement kinds that change the dataset named first (their target). */
export const WRITE_KINDS = new Set([
  'CREATE_TABLE', 'DROP_TABLE', 'CREATE_VIEW', 'CREATE_OR_REPLACE_VIEW', 'DROP_VIEW', 'ALTER_TABLE',
  'INSERT', 'MERGE', 'DELETE', 'UPDATE', 'TRUNCATE', 'COPY',
]);

export function recordWrite(catalog: Catalog, path: readonly string[]): void {
  if (!path[0]?.includes('@')) return; // only branches other than main are ever merged from
  let m = WRITES.get(catalog);
  if (!m) WRITES.set(catalog, (m = new Map()));
  m.set(pathKey(path), [...path]);
}

/** Paths written under namespace root `root` (e.g. `cat@b`), and forgets them. */
export function takeWrites(catalog: Catalog, root: string): Array<readonly string[]> {
  const m = WRITES.get(catalog);
  if (!m) return [];
  const out: Array<readonly string[]> = [];
  for (const [k, p] of m) {
    if (p[0]!.toLowerCase() !== root.toLowerCase()) continue;
    out.push(p);
    m.delete(k);
  }
  return out;
}

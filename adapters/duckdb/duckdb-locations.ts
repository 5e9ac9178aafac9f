// Where a Dremio storage location `@name/path/` lives on DuckDB: a local folder (target
// `storage_locations: {name: dir}`, else `<project>/<name>/path`), and which files in it a
// copy_into node loads. Shared by the load itself and by `--changed-only`'s file versions.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import type { Target } from '../adapter.js';

/** The files of one format under `dir` (or `dir` itself when it is a file), sorted; hidden and `_` files skipped. */
export function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, ext));
    else if (extname(e.name).toLowerCase() === `.${ext}`) out.push(p);
  }
  return out.sort();
}

export function localDir(location: string, target: Target, projectDir: string): string {
  const [name, ...rest] = location.slice(1).split('/');
  const roots = (target.storage_locations ?? {}) as Record<string, string>;
  const base = roots[name!] !== undefined ? (isAbsolute(roots[name!]!) ? roots[name!]! : resolve(projectDir, roots[name!]!)) : resolve(projectDir, name!);
  return join(base, ...rest.filter(Boolean));
}

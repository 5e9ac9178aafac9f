// `TABLE(table_snapshot('<table>'))`: the Iceberg snapshots of a table, one row per commit. Dremio
// documents it under "Querying a Table's Snapshots" (docs.dremio.com/24.3.x/reference/sql/commands/
// apache-iceberg-tables/apache-iceberg-select: `SELECT * FROM TABLE( table_snapshot('<table_name>') )`,
// columns committed_at, snapshot_id, parent_id, operation, manifest_list, summary).
//
// Every write to a table (CTAS, INSERT, MERGE, DELETE, UPDATE, COPY INTO, TRUNCATE, ALTER) commits a
// new snapshot: the catalog calls `noteWrite` from `touch`, and a new table (CTAS) starts with one.
// Ids are random positive 63-bit integers as Iceberg makes them (beyond 2^53: readers must not parse
// them as JS numbers).
//
// Refusals, as dremio-oss CatalogImpl.getMFunctionTable / mFunctionTableForPlugin does them:
// - a path no plugin resolves (missing table; a view in a space or home, which are not plugins):
//   `Table '<path>' not found`;
// - a view in a versioned (Nessie) catalog: its handle is not a FileDatasetHandle, so
//   `Metadata function ('table_snapshot') is not supported on versioned table '<path>'`
//   (getMFunctionTableForVersionedSource). Not certain that a Nessie view reaches that branch rather
//   than "not found"; either way it is refused, which is the stricter choice.
// Gaps: branches (`AT BRANCH`) and time travel on the function are not emulated; `summary` is text.
import { randomBytes } from 'node:crypto';
import type { Catalog, Dataset } from './catalog.js';
import { validationError } from './errors.js';
import { displayPath } from './namespace.js';
import { quoteString } from './sql-tokenize.js';

interface Snapshot {
  id: bigint;
  parent: bigint | null;
  committedAt: number;
  operation: string;
}

const history = new WeakMap<Dataset, Snapshot[]>();
const CALL = /\bTABLE\s*\(\s*table_snapshot\s*\(\s*'((?:[^']|'')*)'\s*\)\s*\)/gi;

const newId = (): bigint => randomBytes(8).readBigUInt64BE() >> 1n || 1n;

function snapshotsOf(d: Dataset): Snapshot[] {
  let h = history.get(d);
  if (!h) {
    h = [{ id: newId(), parent: null, committedAt: d.createdAt, operation: 'append' }];
    history.set(d, h);
  }
  return h;
}

/** A write committed to the table: a new current snapshot. */
export function noteWrite(d: Dataset): void {
  if (d.type !== 'TABLE') return;
  const h = snapshotsOf(d);
  const last = h[h.length - 1]!;
  // Commit times strictly increase, so "newest committed_at" names the current snapshot.
  h.push({ id: newId(), parent: last.id, committedAt: Math.max(Date.now(), last.committedAt + 1), operation: 'overwrite' });
}

export const mentionsTableSnapshot = (sql: string): boolean => /table_snapshot\s*\(/i.test(sql);

/** Dremio's table identifier string: dot-separated, components optionally double-quoted. */
function splitIdentifier(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') {
      if (quoted && s[i + 1] === '"') { cur += '"'; i++; } else quoted = !quoted;
    } else if (ch === '.' && !quoted) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim());
}

/** Replaces each `TABLE(table_snapshot('...'))` with the table's snapshots as an inline relation. */
export function rewriteTableSnapshots(sql: string, catalog: Catalog, context?: readonly string[]): string {
  return sql.replace(CALL, (_m, literal: string) => {
    const path = splitIdentifier(literal.replace(/''/g, "'"));
    const d = catalog.dataset(path) ?? (context?.length ? catalog.dataset([...context, ...path]) : undefined);
    if (!d || (d.type === 'VIEW' && catalog.root(d.path)?.kind !== 'source')) throw validationError(`Table '${displayPath(path)}' not found`);
    if (d.type === 'VIEW') throw validationError(`Metadata function ('table_snapshot') is not supported on versioned table '${displayPath(d.path)}'`);
    const rows = snapshotsOf(d).map((s) =>
      `(TIMESTAMP ${quoteString(new Date(s.committedAt).toISOString().replace('T', ' ').replace('Z', ''))}, ${s.id}, ${s.parent ?? 'NULL'}, ${quoteString(s.operation)}, ` +
      `${quoteString(`file:///emulator/${d.id}/metadata/snap-${s.id}.avro`)}, '{}')`);
    return `(SELECT c0 AS committed_at, CAST(c1 AS BIGINT) AS snapshot_id, CAST(c2 AS BIGINT) AS parent_id, c3 AS operation, c4 AS manifest_list, c5 AS summary FROM (VALUES ${rows.join(', ')}) AS v(c0, c1, c2, c3, c4, c5))`;
  });
}

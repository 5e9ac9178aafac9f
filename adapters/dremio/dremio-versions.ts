// A table's data version on Dremio is its current Iceberg snapshot id, read with the documented
// metadata function `SELECT snapshot_id, committed_at FROM TABLE( table_snapshot('<table>') )`
// (docs.dremio.com, "Querying a Table's Snapshots" under SELECT for Apache Iceberg tables; dbt-dremio
// reads `committed_at` the same way for source freshness). The newest commit is the current one.
// Many tables go in one job (UNION ALL, chunked); a chunk that fails (one table is a view, missing or
// not Iceberg: Dremio refuses the function for it) is retried a table at a time, and those get null.
import type { ExecResult, Relation } from '../adapter.js';

const CHUNK = 50;

type Run = (sql: string) => Promise<ExecResult>;

function query(rels: readonly Relation[], offset: number, render: (r: Relation) => string): string {
  // snapshot_id as text: Iceberg ids are 63-bit, beyond what a JSON number keeps exactly.
  return rels
    .map((r, i) => `SELECT ${offset + i} AS i, CAST(snapshot_id AS VARCHAR) AS snapshot_id, committed_at FROM TABLE(table_snapshot('${render(r).replace(/'/g, "''")}'))`)
    .join('\nUNION ALL\n');
}

function newest(rows: ReadonlyArray<Record<string, unknown>>, out: Array<string | null>): void {
  const at = new Map<number, string>();
  for (const row of rows) {
    const i = Number(row.i);
    const t = String(row.committed_at);
    if (at.get(i) === undefined || t > at.get(i)!) {
      at.set(i, t);
      out[i] = `snapshot:${String(row.snapshot_id)}`;
    }
  }
}

export async function snapshotVersions(rels: readonly Relation[], render: (r: Relation) => string, run: Run): Promise<Array<string | null>> {
  const out: Array<string | null> = rels.map(() => null);
  for (let start = 0; start < rels.length; start += CHUNK) {
    const chunk = rels.slice(start, start + CHUNK);
    try {
      newest((await run(query(chunk, start, render))).rows ?? [], out);
    } catch {
      if (chunk.length === 1) continue;
      for (let k = 0; k < chunk.length; k++) {
        try {
          newest((await run(query([chunk[k]!], start + k, render))).rows ?? [], out);
        } catch {
          // No snapshot to read: the caller treats the table as having no known version.
        }
      }
    }
  }
  return out;
}

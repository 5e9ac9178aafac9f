// A table's data version on Dremio is its current Iceberg snapshot id, read with the documented
// metadata function `SELECT snapshot_id, committed_at FROM TABLE( table_snapshot('<table>') )`
// (docs.dremio.com, "Querying a Table's Snapshots" under SELECT for Apache Iceberg tables; dbt-dremio
// reads `committed_at` the same way for source freshness). The newest commit is the current one.
// Many tables go in one job (UNION ALL, 50 a job); a job that fails (a table is a view, missing or not
// Iceberg: Dremio refuses the function for it) is split until the refused tables get null alone.
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

export async function snapshotVersions(rels: readonly Relation[], render: (r: Relation) => string, run: Run, transient: (e: unknown) => boolean): Promise<Array<string | null>> {
  const out: Array<string | null> = rels.map(() => null);
  // A failing part is split in halves until the refused tables stand alone: one view among 50 tables
  // costs about 2·log2(50) extra jobs, not 50.
  const resolve = async (start: number, end: number): Promise<void> => {
    try {
      newest((await run(query(rels.slice(start, end), start, render))).rows ?? [], out);
    } catch (e) {
      // Dremio unreachable: splitting would only repeat it. Unknown versions rebuild, which is safe.
      if (transient(e)) return;
      if (end - start === 1) return; // no snapshot to read: the caller treats it as having no known version
      const mid = start + Math.ceil((end - start) / 2);
      await resolve(start, mid);
      await resolve(mid, end);
    }
  };
  for (let start = 0; start < rels.length; start += CHUNK) await resolve(start, Math.min(start + CHUNK, rels.length));
  return out;
}

// Reads a project's DuckDB file directly, to check what a run left behind.
import { DuckDBInstance } from '@duckdb/node-api';

export async function queryDuckdb(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const inst = await DuckDBInstance.create(path);
  try {
    const c = await inst.connect();
    const r = await c.runAndReadAll(sql);
    const rows = r.getRowObjectsJS() as Record<string, unknown>[];
    c.closeSync();
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  } finally {
    inst.closeSync();
  }
}

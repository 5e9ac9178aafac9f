// Job result sets in Dremio's REST shape, plus the canned results Dremio gives for DDL and DML.
import type { DuckResult } from './duck.js';
import { dremioType, dremioValue, type DremioType } from './types-map.js';

export interface ResultSet {
  readonly schema: ReadonlyArray<{ name: string; type: DremioType }>;
  /** Keyed by column name in schema order; SQL NULL stays an explicit null. */
  readonly rows: ReadonlyArray<Record<string, unknown>>;
}

export function fromDuck(r: DuckResult): ResultSet {
  const schema = r.columns.map((c) => ({ name: c.name, type: dremioType(c.type) }));
  const rows = r.rows.map((row) => {
    const o: Record<string, unknown> = {};
    r.columns.forEach((c, i) => { o[c.name] = dremioValue(row[i] ?? null); });
    return o;
  });
  return { schema, rows };
}

/** DDL commands (CREATE VIEW, DROP, CREATE FOLDER, ALTER ...) answer one row {ok, summary}. */
export const okResult = (summary: string): ResultSet => ({
  schema: [{ name: 'ok', type: { name: 'BOOLEAN' } }, { name: 'summary', type: { name: 'VARCHAR' } }],
  rows: [{ ok: true, summary }],
});

/** CTAS answers one writer-fragment row, as Dremio's writer operator does: the first columns of
 * RecordWriter.SCHEMA (Fragment, Records, Path, ...); DML answers `Rows ...` columns (dml-rules.ts). */
export const ctasResult = (n: number, path: string): ResultSet => ({
  schema: [
    { name: 'Fragment', type: { name: 'VARCHAR' } },
    { name: 'Records', type: { name: 'BIGINT' } },
    { name: 'Path', type: { name: 'VARCHAR' } },
  ],
  rows: [{ Fragment: '0_0', Records: n, Path: path }],
});

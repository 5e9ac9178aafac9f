// Seeds on Dremio: a typed CREATE TABLE, then multi-row INSERT ... VALUES in batches, never one
// statement per row and never a statement over `maxStatementChars` (Dremio rejects very long SQL).
import type { Column, Relation } from '../adapter.js';
import { quoteIdent, quoteString } from '../shared/ansi.js';
import { dremioDialect } from './dremio-dialect.js';

export interface SeedOptions {
  maxStatementChars?: number;
  maxRowsPerStatement?: number;
  /**
   * `create`: no table yet; `refill`: keep the existing table, empty it and insert (dbt's way);
   * `replace`: drop what is there (`existing`) and create it again (--full-refresh).
   */
  mode?: 'create' | 'refill' | 'replace';
  existing?: 'table' | 'view' | null;
}

function literal(v: unknown, type: string): string {
  if (v === null || v === undefined || v === '') return 'NULL';
  const t = type.toUpperCase();
  if (/^(INT|INTEGER|BIGINT|SMALLINT|TINYINT|DOUBLE|FLOAT|DECIMAL)/.test(t) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(String(v))) return String(v);
  if (t === 'BOOLEAN') return /^(true|1|yes)$/i.test(String(v)) ? 'TRUE' : 'FALSE';
  if (t.startsWith('DATE') || t.startsWith('TIMESTAMP') || t.startsWith('TIME')) return `CAST(${quoteString(String(v))} AS ${t})`;
  return quoteString(String(v));
}

export function dremioSeedStatements(table: Relation, columns: readonly Column[], rows: readonly (readonly unknown[])[], opts: SeedOptions = {}): string[] {
  const maxChars = opts.maxStatementChars ?? 256_000;
  const maxRows = opts.maxRowsPerStatement ?? 1000;
  const t = dremioDialect.renderRelation(table);
  const out: string[] = [];
  const mode = opts.mode ?? 'create';
  if (mode === 'refill') out.push(`TRUNCATE TABLE ${t}`);
  else {
    if (mode === 'replace') out.push(`DROP ${opts.existing === 'view' ? 'VIEW' : 'TABLE'} IF EXISTS ${t}`);
    out.push(`CREATE TABLE ${t} (${dremioDialect.columnDefs(columns)})`);
  }
  const head = `INSERT INTO ${t} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES\n`;
  let batch: string[] = [];
  let size = head.length;
  const flush = () => { if (batch.length) out.push(head + batch.join(',\n')); batch = []; size = head.length; };
  for (const row of rows) {
    const tuple = `(${columns.map((c, i) => literal(row[i], c.type)).join(', ')})`;
    if (batch.length && (size + tuple.length + 2 > maxChars || batch.length >= maxRows)) flush();
    batch.push(tuple);
    size += tuple.length + 2;
  }
  flush();
  return out;
}

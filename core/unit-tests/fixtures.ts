// Unit-test rows (`given` inputs and `expect`) as SQL: YAML dict rows, CSV text, or plain `sql`.
// Each becomes a `select ... union all select ...` the engine can inline as a CTE.
import type { Dialect } from '../../adapters/adapter.js';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CairnError } from '../errors.js';

export interface Fixture {
  format: 'dict' | 'csv' | 'sql';
  /** Rows for dict/csv (CSV is parsed at load), the query for sql. */
  rows?: Array<Record<string, unknown>>;
  sql?: string;
}

/** RFC-4180-ish CSV: header line, quoted fields with "" escapes, empty field = null. */
export function parseCsv(text: string): Array<Record<string, unknown>> {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const src = text.replace(/\r\n/g, '\n').trim();
  const endField = () => { row.push(wasQuoted ? field : field.trim()); field = ''; wasQuoted = false; };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') { quoted = true; wasQuoted = true; field = ''; }
    else if (ch === ',') endField();
    else if (ch === '\n') { endField(); records.push(row); row = []; }
    else field += ch;
  }
  endField();
  records.push(row);
  const [header, ...body] = records;
  if (!header || header.every((h) => h === '')) return [];
  return body.filter((r) => r.some((v) => v !== '')).map((r) => Object.fromEntries(header.map((h, i) => {
    const v = r[i] ?? '';
    return [h, v === '' ? null : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v];
  })));
}

/** `fixture: name` → the text of `<test-path>/fixtures/<name>.csv|.sql` (dbt's fixture files). */
export function loadFixtureFile(raw: Record<string, unknown>, what: string, projectDir: string, testPaths: readonly string[]): Record<string, unknown> {
  if (typeof raw.fixture !== 'string') return raw;
  const format = String(raw.format ?? 'csv');
  const ext = format === 'sql' ? 'sql' : 'csv';
  if (format === 'dict') throw new CairnError('CONFIG_INVALID', `${what}: a \`fixture:\` file needs format: csv or sql`, { hint: 'format: csv' });
  const tried = testPaths.map((t) => join(projectDir, t, 'fixtures', `${raw.fixture}.${ext}`));
  const found = tried.find((f) => existsSync(f));
  if (!found) {
    throw new CairnError('CONFIG_INVALID', `${what}: fixture \`${raw.fixture}\` not found`, { hint: `create ${tried.map((f) => relative(projectDir, f)).join(' or ')}` });
  }
  return { ...raw, format, rows: readFileSync(found, 'utf8') };
}

export function readFixture(raw: Record<string, unknown>, what: string): Fixture {
  const format = String(raw.format ?? 'dict');
  if (format === 'sql') {
    if (typeof raw.rows !== 'string' || !raw.rows.trim()) throw new CairnError('CONFIG_INVALID', `${what} has format: sql but no \`rows:\` query`, { hint: 'rows: | select 1 as id' });
    return { format, sql: raw.rows };
  }
  if (format === 'csv') {
    if (typeof raw.rows !== 'string') throw new CairnError('CONFIG_INVALID', `${what} has format: csv, so \`rows:\` must be CSV text`, { hint: 'rows: |\n  id,name\n  1,a' });
    return { format, rows: parseCsv(raw.rows) };
  }
  if (format !== 'dict') throw new CairnError('CONFIG_INVALID', `${what} has unknown format \`${format}\``, { hint: 'use dict, csv or sql' });
  const rows = raw.rows ?? [];
  if (!Array.isArray(rows) || rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) {
    throw new CairnError('CONFIG_INVALID', `${what}: \`rows:\` must be a list of mappings (column: value)`, { hint: 'rows:\n  - {id: 1, name: a}' });
  }
  return { format: 'dict', rows: rows as Array<Record<string, unknown>> };
}

export function fixtureColumns(f: Fixture): string[] {
  const cols: string[] = [];
  for (const r of f.rows ?? []) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

/**
 * The columns of a given input: with the relation's types known, every column of the relation in
 * its order (those the fixture leaves out become typed NULLs, as in dbt), then any the fixture adds.
 */
export function inputColumns(f: Fixture, types: ReadonlyMap<string, string> = new Map()): string[] {
  const listed = fixtureColumns(f);
  if (!types.size) return listed;
  const byLower = new Map(listed.map((c) => [c.toLowerCase(), c]));
  return [...[...types.keys()].map((k) => byLower.get(k) ?? k), ...listed.filter((c) => !types.has(c.toLowerCase()))];
}

function literal(d: Dialect, v: unknown, typed = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return `timestamp ${d.quoteString(v.toISOString().replace('T', ' ').replace('Z', ''))}`;
  if (typeof v === 'string' && !typed) {
    // Untyped fixtures (no relation to take types from): dates and timestamps as typed literals, so
    // the model's date arithmetic and comparisons work as they would on the real column.
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return `date ${d.quoteString(v)}`;
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return `timestamp ${d.quoteString(v.replace('T', ' '))}`;
  }
  return d.quoteString(typeof v === 'object' ? JSON.stringify(v) : String(v));
}

/**
 * The fixture as a query. `types` (column → engine type) casts values so they line up with the
 * relation they stand for; without it the engine infers types from the literals.
 */
export function fixtureSql(d: Dialect, f: Fixture, types: ReadonlyMap<string, string> = new Map(), columns = fixtureColumns(f)): string {
  if (f.format === 'sql') return f.sql!;
  const cell = (c: string, v: unknown) => {
    const t = types.get(c.toLowerCase());
    const lit = literal(d, v, t !== undefined);
    return `${t ? `cast(${lit} as ${t})` : lit} as ${d.quoteIdentifier(c)}`;
  };
  if (!f.rows || f.rows.length === 0) {
    // No rows: keep the columns (typed when known), return nothing.
    const cols = columns.length ? columns : [...types.keys()];
    if (!cols.length) return 'select null as "__empty" where 1 = 0';
    return `select ${cols.map((c) => cell(c, null)).join(', ')} where 1 = 0`;
  }
  return f.rows.map((r) => `select ${columns.map((c) => cell(c, r[c])).join(', ')}`).join('\nunion all\n');
}

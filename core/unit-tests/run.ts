// The `unit_test` materialization: render the model against its fixtures, run it and the expected
// rows on the target engine, and compare them as multisets on the expected columns. A mismatch is a
// FAIL whose message is a row diff (+ actual rows not expected, - expected rows missing).
import type { Adapter, Relation } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { Materialization } from '../execute/node-context.js';
import { fixtureColumns, fixtureSql } from './fixtures.js';
import type { UnitTestSpec } from './parse.js';
import { unitTestSql } from './render.js';

type Row = Record<string, unknown>;

function canon(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

export interface RowDiff {
  columns: string[];
  /** In the actual result but not expected. */
  added: string[][];
  /** Expected but not in the actual result. */
  removed: string[][];
}

export function diffRows(columns: string[], actual: Row[], expected: Row[]): RowDiff {
  const key = (r: Row) => columns.map((c) => canon(r[c]));
  const counts = new Map<string, { cells: string[]; n: number }>();
  for (const r of expected) {
    const cells = key(r);
    const k = JSON.stringify(cells);
    const e = counts.get(k) ?? { cells, n: 0 };
    e.n++;
    counts.set(k, e);
  }
  const added: string[][] = [];
  for (const r of actual) {
    const cells = key(r);
    const e = counts.get(JSON.stringify(cells));
    if (e && e.n > 0) e.n--;
    else added.push(cells);
  }
  const removed: string[][] = [];
  for (const e of counts.values()) for (let i = 0; i < e.n; i++) removed.push(e.cells);
  return { columns, added, removed };
}

export function formatDiff(d: RowDiff): string {
  const rows = [...d.removed.map((r) => ['-', ...r]), ...d.added.map((r) => ['+', ...r])];
  const head = ['', ...d.columns];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `actual differs from expected: ${d.removed.length} expected row${d.removed.length === 1 ? '' : 's'} missing (-), ${d.added.length} unexpected row${d.added.length === 1 ? '' : 's'} (+)`,
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function relationTypes(adapter: Adapter, rel: Relation | undefined): Promise<Map<string, string>> {
  if (!rel || (await adapter.getRelationKind(rel)) === null) return new Map();
  return new Map((await adapter.getColumns(rel)).map((c) => [c.name.toLowerCase(), c.type]));
}

export const unitTest: Materialization = async (nc) => {
  const { p, adapter, node } = nc;
  const spec = node.extra?._unitTest as UnitTestSpec;
  const model = p.nodes.get(spec.model)!;
  const d = adapter.dialect;
  // Fixture values take the types of the relations they stand for, when those exist in this target.
  const types = new Map<string, Map<string, string>>();
  for (const g of spec.given) {
    if (g.fixture.format === 'sql') continue;
    const k = g.key;
    const rel = k.kind === 'this' ? model.relation : k.kind === 'ref' ? p.nodes.get(p.ctx.refIndex.get(k.name)?.[0] ?? '')?.relation : p.ctx.sources.get(`${k.source}.${k.table}`)?.relation;
    types.set(g.input, await relationTypes(adapter, rel));
  }
  // `this` stands for the model's own table: when it is not built here, take the types of what the
  // model returns on a full load of the same fixtures.
  const thisGiven = spec.given.find((g) => g.key.kind === 'this');
  if (thisGiven && thisGiven.fixture.format !== 'sql' && types.get(thisGiven.input)?.size === 0) {
    const full = unitTestSql(p, { ...spec, given: spec.given.filter((g) => g !== thisGiven), overrides: { ...spec.overrides, macros: { ...spec.overrides.macros, is_incremental: false } } }, types, true);
    types.set(thisGiven.input, new Map((await adapter.describeQuery(full, { nodeId: node.uniqueId, signal: nc.signal })).map((c) => [c.name.toLowerCase(), c.type])));
  }
  const sql = unitTestSql(p, spec, types);
  const opts = { nodeId: node.uniqueId, signal: nc.signal };
  const actualCols = await adapter.describeQuery(sql, opts);
  const byLower = new Map(actualCols.map((c) => [c.name.toLowerCase(), c]));
  const expectCols = spec.expect.format === 'sql' ? (await adapter.describeQuery(spec.expect.sql!, opts)).map((c) => c.name) : fixtureColumns(spec.expect);
  const unknown = expectCols.filter((c) => !byLower.has(c.toLowerCase()));
  if (unknown.length) {
    throw new CairnError('CONFIG_INVALID', `unit test \`${node.name}\`: expect has column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `\`${c}\``).join(', ')} that model \`${model.name}\` does not produce`, {
      file: spec.file, line: spec.line, node: node.name, exitCode: 1,
      hint: `${model.name} returns ${actualCols.map((c) => c.name).join(', ')}`,
    });
  }
  const cols = (expectCols.length ? expectCols : actualCols.map((c) => c.name)).map((c) => byLower.get(c.toLowerCase())!.name);
  const pick = cols.map((c) => d.quoteIdentifier(c)).join(', ');
  const castTypes = new Map(cols.map((c) => [c.toLowerCase(), byLower.get(c.toLowerCase())!.type]));
  const expectSql = spec.expect.format === 'sql' ? `select ${pick} from (\n${spec.expect.sql}\n) as expected` : fixtureSql(d, { ...spec.expect, rows: (spec.expect.rows ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [byLower.get(k.toLowerCase())!.name, v]))) }, castTypes, cols);
  const actual = (await adapter.execute(`select ${pick} from (\n${sql}\n) as actual`, { ...opts, fetch: true })).rows ?? [];
  const expected = (await adapter.execute(expectSql, { ...opts, fetch: true })).rows ?? [];
  const diff = diffRows(cols, actual, expected);
  const failures = diff.added.length + diff.removed.length;
  if (failures === 0) return { status: 'pass', failures: 0, message: `${actual.length} row${actual.length === 1 ? '' : 's'} as expected` };
  return { status: 'fail', failures, message: formatDiff(diff) };
};

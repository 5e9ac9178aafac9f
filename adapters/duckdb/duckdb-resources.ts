// DuckDB's SQL for seeds, data tests, snapshots and source freshness (the optional half of the
// Dialect contract). Seeds are bulk-loaded with read_csv over the file itself: one statement, no
// per-row INSERTs. Snapshots follow dbt's SCD2 layout and run in one transaction.
import type { Relation, SeedColumn, SeedPlan, SnapshotPlan, StoreFailuresPlan } from '../adapter.js';
import { quoteIdent, quoteString, stripTrailingSemicolons, testQuery } from '../shared/ansi.js';

const rr = (r: Relation): string =>
  [r.database, r.schema, r.identifier].filter((x): x is string => x !== undefined && x !== '').map(quoteIdent).join('.');

const KIND_TYPES: Record<string, string> = {
  integer: 'INTEGER', bigint: 'BIGINT', decimal: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', text: 'VARCHAR',
};

export function duckdbSeedType(c: SeedColumn): string {
  return c.explicitType ?? KIND_TYPES[c.kind] ?? 'VARCHAR';
}

/** Timestamp of this run, shared by every statement of a snapshot. */
const NOW = 'now()::timestamp';

export const duckdbResources = {
  seed(plan: SeedPlan): string[] {
    const t = rr(plan.target);
    // Every column is read as text and cast in SQL, so cairn's inference (not DuckDB's sniffer)
    // decides the types and a bad value reports the column.
    const cols = `{${plan.columns.map((c, i) => `${quoteString(`c${i}`)}: 'VARCHAR'`).join(', ')}}`;
    const read = `read_csv(${quoteString(plan.path)}, header = true, delim = ${quoteString(plan.delimiter)}, quote = '"', escape = '"', ` +
      `columns = ${cols}, nullstr = '', auto_detect = false, strict_mode = true, max_line_size = 4194304)`;
    const name = (c: SeedColumn) => (plan.quoteColumns ? quoteIdent(c.name) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name) ? c.name : quoteIdent(c.name));
    const select = `select ${plan.columns.map((c, i) => `cast(${c.kind === 'text' && !c.explicitType ? quoteIdent(`c${i}`) : `trim(${quoteIdent(`c${i}`)})`} as ${duckdbSeedType(c)}) as ${name(c)}`).join(', ')}\nfrom ${read}`;
    const out = ['begin transaction'];
    if (plan.existing === 'view') out.push(`drop view if exists ${t}`);
    if (plan.existing === 'table' && !plan.fullRefresh) {
      out.push(`delete from ${t}`, `insert into ${t}\n${select}`);
    } else {
      out.push(`create or replace table ${t} as\n${select}`);
    }
    out.push('commit');
    return out;
  },

  testQuery,

  storeFailures(plan: StoreFailuresPlan): string[] {
    const out = ['begin transaction'];
    if (plan.existing === 'view') out.push(`drop view if exists ${rr(plan.target)}`);
    out.push(`create or replace table ${rr(plan.target)} as (\n${stripTrailingSemicolons(plan.sql)}\n)`, 'commit');
    return out;
  },

  snapshot(plan: SnapshotPlan): string[] {
    return snapshotSql(plan);
  },

  freshnessQuery(rel: Relation, loadedAtField: string, filter?: string): string {
    return `select cast(max(${loadedAtField}) as varchar) as max_loaded_at, cast(now() at time zone 'UTC' as varchar) as snapshotted_at from ${rr(rel)}${filter ? ` where ${filter}` : ''}`;
  },
};

function snapshotSql(p: SnapshotPlan): string[] {
  const m = p.meta;
  const q = quoteIdent;
  const t = rr(p.target);
  const stg = rr(p.staging);
  const keyExpr = (alias: string) => p.uniqueKey.length === 1 ? `${alias}.${q(p.uniqueKey[0]!)}` : `concat_ws('|', ${p.uniqueKey.map((k) => `${alias}.${q(k)}`).join(', ')})`;
  const keyMatch = (a: string, b: string) => p.uniqueKey.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' and ');
  const updatedExpr = p.strategy === 'timestamp' ? `src.${q(p.updatedAt!)}` : NOW;
  const withNew = p.hardDeletes === 'new_record';
  const sql = stripTrailingSemicolons(p.sql);
  const staged = `select src.*,\n  md5(cast(${keyExpr('src')} as varchar) || '|' || cast(${updatedExpr} as varchar)) as ${q(m.scdId)},\n` +
    `  cast(${updatedExpr} as timestamp) as ${q(m.updatedAt)},\n  cast(${updatedExpr} as timestamp) as ${q(m.validFrom)},\n  cast(null as timestamp) as ${q(m.validTo)}` +
    (withNew ? `,\n  'False' as ${q(m.isDeleted)}` : '') + `\nfrom (\n${sql}\n) as src`;
  if (!p.exists) return ['begin transaction', `create table ${t} as\n${staged}`, 'commit'];

  const metaNames = new Set([m.scdId, m.updatedAt, m.validFrom, m.validTo, m.isDeleted].map((s) => s.toLowerCase()));
  const targetNames = new Set(p.targetColumns.map((c) => c.name.toLowerCase()));
  const dataCols = p.queryColumns.filter((c) => !metaNames.has(c.name.toLowerCase()));
  const out = ['begin transaction'];
  for (const c of dataCols) if (!targetNames.has(c.name.toLowerCase())) out.push(`alter table ${t} add column ${q(c.name)} ${c.type}`);
  if (withNew && !targetNames.has(m.isDeleted.toLowerCase())) out.push(`alter table ${t} add column ${q(m.isDeleted)} varchar default 'False'`);
  out.push(`create or replace temp table ${q(p.staging.identifier)} as\n${staged}`);
  const stgRef = q(p.staging.identifier);
  void stg;
  const current = `snap.${q(m.validTo)} is null`;
  const notDeleted = withNew ? ` and coalesce(snap.${q(m.isDeleted)}, 'False') != 'True'` : '';
  let changed: string;
  if (p.strategy === 'timestamp') {
    changed = `s.${q(m.updatedAt)} > snap.${q(m.updatedAt)}`;
  } else {
    const keys = new Set(p.uniqueKey.map((k) => k.toLowerCase()));
    const cols = p.checkCols === 'all' || !p.checkCols ? dataCols.map((c) => c.name).filter((c) => !keys.has(c.toLowerCase())) : p.checkCols;
    changed = cols.map((c) => `snap.${q(c)} is distinct from s.${q(c)}`).join(' or ') || 'false';
  }
  if (withNew) changed = `(${changed}) or snap.${q(m.isDeleted)} = 'True'`;
  if (p.hardDeletes !== 'ignore') {
    out.push(`create or replace temp table ${q(p.deleted.identifier)} as\nselect snap.* from ${t} as snap\nwhere ${current}${notDeleted}\n  and not exists (select 1 from ${stgRef} as s where ${keyMatch('s', 'snap')})`);
  }
  // Close the current version of every changed row, valid until the change.
  out.push(`update ${t} as snap set ${q(m.validTo)} = s.${q(m.updatedAt)}\nfrom ${stgRef} as s\nwhere ${keyMatch('s', 'snap')} and ${current} and (${changed})`);
  if (p.hardDeletes !== 'ignore') {
    out.push(`update ${t} as snap set ${q(m.validTo)} = ${NOW}\nwhere ${current}${notDeleted}\n  and not exists (select 1 from ${stgRef} as s where ${keyMatch('s', 'snap')})`);
  }
  // New keys and new versions of changed ones: every staged row without a current version.
  const allCols = [...p.targetColumns.map((c) => c.name), ...dataCols.filter((c) => !targetNames.has(c.name.toLowerCase())).map((c) => c.name)];
  if (withNew && !targetNames.has(m.isDeleted.toLowerCase())) allCols.push(m.isDeleted);
  const stagedNames = new Set([...dataCols.map((c) => c.name.toLowerCase()), ...metaNames]);
  const insertCols = allCols.filter((c) => stagedNames.has(c.toLowerCase()));
  const colList = insertCols.map(q).join(', ');
  out.push(`insert into ${t} (${colList})\nselect ${insertCols.map((c) => `s.${q(c)}`).join(', ')} from ${stgRef} as s\nwhere not exists (select 1 from ${t} as snap where ${keyMatch('s', 'snap')} and ${current})`);
  if (withNew) {
    const cols = insertCols.map((c) => {
      const l = c.toLowerCase();
      if (l === m.validFrom.toLowerCase() || l === m.updatedAt.toLowerCase()) return NOW;
      if (l === m.validTo.toLowerCase()) return 'cast(null as timestamp)';
      if (l === m.isDeleted.toLowerCase()) return `'True'`;
      if (l === m.scdId.toLowerCase()) return `md5(cast(${keyExpr('d')} as varchar) || '|deleted|' || cast(${NOW} as varchar))`;
      return `d.${q(c)}`;
    });
    out.push(`insert into ${t} (${colList})\nselect ${cols.join(', ')} from ${q(p.deleted.identifier)} as d`);
  }
  for (const x of [stgRef, ...(p.hardDeletes !== 'ignore' ? [q(p.deleted.identifier)] : [])]) out.push(`drop table if exists ${x}`);
  out.push('commit');
  return out;
}

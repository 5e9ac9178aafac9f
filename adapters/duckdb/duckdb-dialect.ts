// DuckDB's SQL for every materialization. Pure strings: golden-tested in test/goldens/duckdb.
// Replacement runs inside one transaction, so readers see the old relation until COMMIT.
import { basename } from 'node:path';
import type { Dialect, IncrementalPlan, Relation, RelationKind, RelationRequest, TablePlan, Target, ViewPlan } from '../adapter.js';
import { duckdbFileVersion } from './duckdb-file-versions.js';
import { duckdbResources } from './duckdb-resources.js';
import { mergeUpdateColumns, quoteIdent, quoteString, schemaChange, stripTrailingSemicolons } from '../shared/ansi.js';

const renderRelation = (r: Relation): string =>
  [r.database, r.schema, r.identifier].filter((x): x is string => x !== undefined && x !== '').map(quoteIdent).join('.');

export const duckdbDialect: Dialect = {
  name: 'duckdb',
  // dbt's base Column.TYPE_LABELS, which dbt-duckdb keeps.
  typeLabels: { STRING: 'TEXT' },
  quoteIdentifier: quoteIdent,
  quoteString,
  renderRelation,

  // dbt-duckdb names the attached file's catalog by its stem (`jaffle.duckdb` → jaffle, `:memory:` →
  // memory); packages read it (dbt_utils: `{{ database }}.information_schema.tables`).
  defaultDatabase(target) {
    const p = String(target.path ?? ':memory:');
    if (p === ':memory:') return 'memory';
    if (p.startsWith('md:')) return p.slice(3).split('?')[0] || undefined;
    return basename(p).replace(/\.[^.]*$/, '') || undefined;
  },
  relationFor(req: RelationRequest, target: Target): Relation {
    const db = req.database && req.database !== target.database ? req.database : undefined;
    return { database: db, schema: req.schema, identifier: req.alias ?? req.name };
  },

  scratchRelation(rel, suffix) {
    return { ...rel, identifier: `${rel.identifier}${suffix}` };
  },

  createSchema(rel) {
    return [`create schema if not exists ${[rel.database, rel.schema].filter(Boolean).map((x) => quoteIdent(x!)).join('.')}`];
  },

  dropRelation(rel: Relation, kind: RelationKind) {
    return `drop ${kind} if exists ${renderRelation(rel)}`;
  },

  table(plan: TablePlan) {
    const sql = stripTrailingSemicolons(plan.sql);
    const out = ['begin transaction'];
    if (plan.existing === 'view') out.push(`drop view if exists ${renderRelation(plan.target)}`);
    out.push(`create or replace table ${renderRelation(plan.target)} as (\n${sql}\n)`);
    out.push('commit');
    return out;
  },

  view(plan: ViewPlan) {
    const sql = stripTrailingSemicolons(plan.sql);
    const out = ['begin transaction'];
    if (plan.existing === 'table') out.push(`drop table if exists ${renderRelation(plan.target)}`);
    out.push(`create or replace view ${renderRelation(plan.target)} as (\n${sql}\n)`);
    out.push('commit');
    return out;
  },

  incremental(plan: IncrementalPlan) {
    const t = renderRelation(plan.target);
    const tmp = renderRelation(plan.tmp);
    const change = schemaChange(plan);
    const out = ['begin transaction', `create or replace table ${tmp} as (\n${stripTrailingSemicolons(plan.sql)}\n)`];
    if (plan.onSchemaChange === 'append_new_columns' || plan.onSchemaChange === 'sync_all_columns') {
      for (const c of change.added) out.push(`alter table ${t} add column ${quoteIdent(c.name)} ${c.type}`);
    }
    if (plan.onSchemaChange === 'sync_all_columns') {
      for (const c of change.removed) out.push(`alter table ${t} drop column ${quoteIdent(c.name)}`);
      for (const [c, q] of change.changed) out.push(`alter table ${t} alter column ${quoteIdent(c.name)} type ${q.type}`);
    }
    const cols = change.insertColumns.map(quoteIdent).join(', ');
    const preds = (plan.incrementalPredicates ?? []).map((p) => `(${p})`);
    const keyMatch = plan.uniqueKey.map((k) => `DBT_INTERNAL_SOURCE.${quoteIdent(k)} = DBT_INTERNAL_DEST.${quoteIdent(k)}`);
    if (plan.strategy === 'microbatch' && plan.microbatch) {
      // Delete-then-insert of the batch interval: re-running a day replaces it.
      const mb = plan.microbatch;
      const col = `DBT_INTERNAL_DEST.${quoteIdent(mb.eventTime)}`;
      const where = [`${col} >= cast(${quoteString(mb.start)} as timestamp)`, `${col} < cast(${quoteString(mb.end)} as timestamp)`, ...preds].join('\n    and ');
      out.push(`delete from ${t} as DBT_INTERNAL_DEST\nwhere ${where}`);
      out.push(`insert into ${t} (${cols})\nselect ${cols} from ${tmp}`);
    } else if (plan.strategy === 'append' || plan.uniqueKey.length === 0) {
      out.push(`insert into ${t} (${cols})\nselect ${cols} from ${tmp}`);
    } else if (plan.strategy === 'merge') {
      const upd = mergeUpdateColumns(plan, change.insertColumns);
      const on = [...keyMatch, ...preds].join('\n    and ');
      let merge = `merge into ${t} as DBT_INTERNAL_DEST\nusing ${tmp} as DBT_INTERNAL_SOURCE\non (${on})`;
      if (upd.length) merge += `\nwhen matched then update set\n    ${upd.map((c) => `${quoteIdent(c)} = DBT_INTERNAL_SOURCE.${quoteIdent(c)}`).join(',\n    ')}`;
      merge += `\nwhen not matched then insert (${cols})\n    values (${change.insertColumns.map((c) => `DBT_INTERNAL_SOURCE.${quoteIdent(c)}`).join(', ')})`;
      out.push(merge);
    } else {
      // delete+insert and microbatch: replace the rows (or interval) the new batch covers.
      const where = [`exists (select 1 from ${tmp} as DBT_INTERNAL_SOURCE where ${keyMatch.join(' and ')})`, ...preds].join('\n    and ');
      out.push(`delete from ${t} as DBT_INTERNAL_DEST\nwhere ${where}`);
      out.push(`insert into ${t} (${cols})\nselect ${cols} from ${tmp}`);
    }
    out.push(`drop table if exists ${tmp}`, 'commit');
    return out;
  },

  describeQuery(sql: string) {
    return `select * from (\n${stripTrailingSemicolons(sql)}\n) as __cairn_describe limit 0`;
  },

  localFileVersion: duckdbFileVersion,

  ...duckdbResources,
};

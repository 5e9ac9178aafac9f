// SQL helpers every double-quoting dialect shares: identifier and literal quoting, and the column
// arithmetic behind `on_schema_change`, so DuckDB and Dremio decide schema changes the same way.
import { CairnError } from '../../core/errors.js';
import type { Column, IncrementalPlan, TestQueryPlan } from '../adapter.js';

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteString = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** Trailing semicolons would break the `AS ( ... )` wrappers every materialization uses. */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/(\s|;)+$/, '');
}

const norm = (s: string) => s.toLowerCase();
const normType = (t: string) => t.toLowerCase().replace(/\s+/g, '');

export interface SchemaChange {
  added: Column[];
  removed: Column[];
  /** Same name, different type: [target column, query column]. */
  changed: Array<[Column, Column]>;
  /** Columns to write, in target order (plus added ones at the end). */
  insertColumns: string[];
}

export function schemaChange(plan: IncrementalPlan): SchemaChange {
  const tgt = new Map(plan.targetColumns.map((c) => [norm(c.name), c]));
  const qry = new Map(plan.queryColumns.map((c) => [norm(c.name), c]));
  const added = plan.queryColumns.filter((c) => !tgt.has(norm(c.name)));
  const removed = plan.targetColumns.filter((c) => !qry.has(norm(c.name)));
  const changed: Array<[Column, Column]> = [];
  for (const c of plan.targetColumns) {
    const q = qry.get(norm(c.name));
    if (q && normType(q.type) !== normType(c.type)) changed.push([c, q]);
  }
  const mode = plan.onSchemaChange;
  if (mode === 'fail' && (added.length || removed.length || changed.length)) {
    const parts = [
      added.length ? `new columns: ${added.map((c) => c.name).join(', ')}` : '',
      removed.length ? `missing columns: ${removed.map((c) => c.name).join(', ')}` : '',
      changed.length ? `changed types: ${changed.map(([t, q]) => `${t.name} ${t.type} -> ${q.type}`).join(', ')}` : '',
    ].filter(Boolean);
    throw new CairnError('CONFIG_INVALID', `the model's columns no longer match its incremental table (${parts.join('; ')}) and on_schema_change is 'fail'`, {
      hint: "run with --full-refresh to rebuild it, or set on_schema_change to 'append_new_columns' or 'sync_all_columns'",
      exitCode: 1,
    });
  }
  const keep = plan.targetColumns.filter((c) => qry.has(norm(c.name))).map((c) => qry.get(norm(c.name))!.name);
  const insertColumns = mode === 'append_new_columns' || mode === 'sync_all_columns' ? [...keep, ...added.map((c) => c.name)] : keep;
  return { added, removed, changed, insertColumns };
}

/** Columns MERGE updates: all written columns but the keys, narrowed by merge_update/exclude_columns. */
export function mergeUpdateColumns(plan: IncrementalPlan, written: string[]): string[] {
  const keys = new Set(plan.uniqueKey.map(norm));
  let cols = written.filter((c) => !keys.has(norm(c)));
  if (plan.mergeUpdateColumns?.length) {
    const want = new Set(plan.mergeUpdateColumns.map(norm));
    cols = cols.filter((c) => want.has(norm(c)));
  }
  if (plan.mergeExcludeColumns?.length) {
    const drop = new Set(plan.mergeExcludeColumns.map(norm));
    cols = cols.filter((c) => !drop.has(norm(c)));
  }
  return cols;
}

/** A data test's verdict in one row (failures, should_warn, should_error): plain SQL any engine runs. */
export function testQuery(plan: TestQueryPlan): string {
  const inner = stripTrailingSemicolons(plan.sql);
  const limited = plan.limit !== undefined ? `select * from (\n${inner}\n) as dbt_internal_test_limit limit ${plan.limit}` : inner;
  return `select\n  ${plan.failCalc} as failures,\n  (${plan.failCalc}) ${plan.warnIf} as should_warn,\n  (${plan.failCalc}) ${plan.errorIf} as should_error\nfrom (\n${limited}\n) as dbt_internal_test`;
}

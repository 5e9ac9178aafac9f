// Golden files: the exact SQL each dialect emits for every materialization and incremental strategy.
// Regenerate after an intended change with UPDATE_GOLDENS=1 npx vitest run test/goldens.test.ts,
// then review the diff (checked against docs.dremio.com for Dremio: /work/shared/docs/dremio-sql.md).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Column, Dialect, IncrementalPlan, Relation } from '../adapters/adapter.js';
import { dremioDialect } from '../adapters/dremio/dremio-dialect.js';
import { dremioSeedStatements } from '../adapters/dremio/dremio-seeds.js';
import { createBranchSql, dropBranchSql, mergeBranchSql } from '../adapters/dremio/dremio-branch.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';
import { repoRoot } from './helpers/project.js';

const SQL = 'select id, "order.total", ts from {{src}}\n;';
const tcols: Column[] = [{ name: 'id', type: 'INTEGER' }, { name: 'order.total', type: 'DECIMAL(12,2)' }, { name: 'old_col', type: 'VARCHAR' }];
const qcols: Column[] = [{ name: 'id', type: 'INTEGER' }, { name: 'order.total', type: 'DECIMAL(12,2)' }, { name: 'ts', type: 'TIMESTAMP' }];

function cases(d: Dialect, target: Relation): Record<string, string[]> {
  const tmp = d.scratchRelation(target, '__cairn_tmp');
  const backup = d.scratchRelation(target, '__cairn_backup');
  const layout = { partition_by: ['month(ts)', 'id'], localsort_by: 'id', distribute_by: ['id'], single_writer: true };
  const inc = (over: Partial<IncrementalPlan>): string[] => d.incremental({
    target, tmp, sql: SQL, strategy: 'merge', uniqueKey: ['id'], targetColumns: tcols.slice(0, 2), queryColumns: tcols.slice(0, 2), onSchemaChange: 'ignore', config: {}, ...over,
  });
  const out: Record<string, string[]> = {
    'table-create': d.table({ target, tmp, backup, sql: SQL, existing: null, config: {} }),
    'table-replace': d.table({ target, tmp, backup, sql: SQL, existing: 'table', config: {} }),
    'table-over-view': d.table({ target, tmp, backup, sql: SQL, existing: 'view', config: {} }),
    'table-layout': d.table({ target, tmp, backup, sql: SQL, existing: null, config: layout }),
    'table-parquet': d.table({ target, tmp, backup, sql: SQL, existing: null, config: { format: 'parquet' } }),
    'view-create': d.view({ target, sql: SQL, existing: null, config: {} }),
    'view-over-table': d.view({ target, sql: SQL, existing: 'table', config: {} }),
    'incremental-append': inc({ strategy: 'append', uniqueKey: [] }),
    'incremental-merge': inc({}),
    'incremental-merge-update-columns': inc({ targetColumns: qcols, queryColumns: qcols, mergeUpdateColumns: ['order.total'] }),
    'incremental-merge-exclude-columns': inc({ targetColumns: qcols, queryColumns: qcols, mergeExcludeColumns: ['ts'] }),
    'incremental-merge-predicates': inc({ incrementalPredicates: ["DBT_INTERNAL_DEST.ts > TIMESTAMP '2024-01-01 00:00:00'"] }),
    'incremental-delete-insert': inc({ strategy: 'delete+insert', incrementalPredicates: ["DBT_INTERNAL_DEST.ts >= TIMESTAMP '2024-01-02 00:00:00'"] }),
    'incremental-append-new-columns': inc({ targetColumns: tcols, queryColumns: qcols, onSchemaChange: 'append_new_columns' }),
    // A type change Iceberg can apply in place (decimal precision widening, same scale).
    'incremental-sync-all-columns': inc({ targetColumns: tcols, queryColumns: [...qcols.slice(0, 1), { name: 'order.total', type: 'DECIMAL(14,2)' }, qcols[2]!], onSchemaChange: 'sync_all_columns' }),
    'describe': [d.describeQuery(SQL)],
    'drop': [d.dropRelation(target, 'table'), d.dropRelation(target, 'view')],
  };
  if (d.copyInto) {
    const plan = { target, exists: false, columns: qcols, location: '@lake/orders/2024-01-02/', fileFormat: 'csv' as const, onError: 'skip_file' as const, options: { FIELD_DELIMITER: ';', NULL_IF: ['NA', ''] }, truncate: false, config: {} };
    out['copy-into-create'] = d.copyInto(plan);
    out['copy-into-existing'] = d.copyInto({ ...plan, exists: true, fileFormat: 'parquet', onError: 'abort', options: {} });
  }
  return out;
}

function golden(dir: string, name: string, stmts: string[]): void {
  const file = join(repoRoot, 'test/goldens', dir, `${name}.sql`);
  const text = stmts.map((s) => `${s};`).join('\n\n') + '\n';
  if (process.env.UPDATE_GOLDENS || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('dialect goldens', () => {
  const dremioTarget: Relation = { database: 'lake', schema: 'marts/"v1.2"', identifier: 'orders' };
  for (const [name, stmts] of Object.entries(cases(dremioDialect, dremioTarget))) {
    it(`dremio ${name}`, () => golden('dremio', name, stmts));
  }
  it('dremio seed (typed CREATE TABLE + batched multi-row INSERT under the size limit)', () => {
    const rows = Array.from({ length: 5 }, (_, i) => [i + 1, `name ${i}'s`, i % 2 ? '' : '2024-01-0' + (i + 1)]);
    const stmts = dremioSeedStatements(dremioTarget, [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }, { name: 'day', type: 'DATE' }], rows, { maxStatementChars: 200 });
    expect(stmts.slice(1).every((s) => s.length <= 200)).toBe(true);
    expect(stmts.length).toBeGreaterThan(2);
    golden('dremio', 'seed', stmts);
  });
  it('dremio branch-wap (write-audit-publish: CREATE, MERGE, DROP BRANCH, dremio-sql.md 2.5)', () => {
    const run = 'cairn_run_0d1e';
    golden('dremio', 'branch-wap', [createBranchSql('nes"sie', run, 'dev'), mergeBranchSql('nes"sie', run, 'dev'), dropBranchSql('nes"sie', run)]);
  });
  const duckTarget: Relation = { schema: 'main', identifier: 'orders' };
  for (const [name, stmts] of Object.entries(cases(duckdbDialect, duckTarget))) {
    it(`duckdb ${name}`, () => golden('duckdb', name, stmts));
  }
  it('on_schema_change fail names the columns', () => {
    expect(() => dremioDialect.incremental({ target: dremioTarget, tmp: dremioTarget, sql: SQL, strategy: 'append', uniqueKey: [], targetColumns: tcols, queryColumns: qcols, onSchemaChange: 'fail', config: {} }))
      .toThrow(/new columns: ts; missing columns: old_col/);
  });
  it('dremio never plans microbatch as a plain append (the preflight refuses it; a re-run interval would be added twice)', () => {
    const mb = { eventTime: 'ts', start: '2024-01-01', end: '2024-01-02' };
    expect(() => dremioDialect.incremental({ target: dremioTarget, tmp: dremioTarget, sql: SQL, strategy: 'microbatch', uniqueKey: [], targetColumns: tcols, queryColumns: tcols, onSchemaChange: 'ignore', microbatch: mb, config: {} }))
      .toThrow(/incremental_strategy 'microbatch' is not supported on Dremio/);
  });

  it('dremio sync_all_columns refuses a type change Iceberg cannot apply, before emitting any statement', () => {
    const plan = (type: string) => ({ target: dremioTarget, tmp: dremioTarget, sql: SQL, strategy: 'merge' as const, uniqueKey: ['id'], targetColumns: tcols, queryColumns: [qcols[0]!, { name: 'order.total', type }, qcols[2]!], onSchemaChange: 'sync_all_columns' as const, config: {} });
    expect(() => dremioDialect.incremental(plan('DOUBLE'))).toThrow(/cannot change the type of column order\.total DECIMAL\(12,2\) -> DOUBLE in place/);
    expect(() => dremioDialect.incremental(plan('DECIMAL(14,3)'))).toThrow(/order\.total DECIMAL\(12,2\) -> DECIMAL\(14,3\)/);
    expect(() => dremioDialect.incremental(plan('DECIMAL(14,2)'))).not.toThrow();
    expect(() => dremioDialect.incremental({ ...plan('DOUBLE'), onSchemaChange: 'append_new_columns' })).not.toThrow();
    try { dremioDialect.incremental(plan('VARCHAR')); } catch (e) { expect((e as { hint?: string }).hint).toMatch(/--full-refresh/); }
    expect.assertions(5);
  });
});

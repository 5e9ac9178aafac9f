// Golden SQL for Dremio's table swaps, snapshots, seeds and stored test failures (issue 19 items
// 6-8). Regenerate after an intended change with UPDATE_GOLDENS=1 npx vitest run
// test/goldens-dremio-resources.test.ts and review the diff against /work/shared/docs/dremio-sql.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Relation } from '../adapters/adapter.js';
import { dremioDialect as d } from '../adapters/dremio/dremio-dialect.js';
import { repoRoot } from './helpers/project.js';

function golden(name: string, stmts: string[]): void {
  const file = join(repoRoot, 'test/goldens/dremio', `${name}.sql`);
  const text = stmts.map((s) => `${s};`).join('\n\n') + '\n';
  if (process.env.UPDATE_GOLDENS || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const target: Relation = { database: 'lake', schema: 'marts/"v1.2"', identifier: 'orders' };
const SQL = 'select id, "order.total", ts from {{src}}\n;';
const plan = { target, tmp: d.scratchRelation(target, '__cairn_tmp'), backup: d.scratchRelation(target, '__cairn_backup'), sql: SQL, existing: 'table' as const };

describe('Dremio goldens: table swaps', () => {
  it('table-branch-swap (a versioned catalog: short-lived branch, MERGE BRANCH; dremio-sql.md 2.5)', () => {
    golden('table-branch-swap', d.table({ ...plan, target: { ...target, database: 'nessie' }, config: { partition_by: ['month(ts)'] }, branchSwap: { catalog: 'nessie', from: 'main', name: 'cairn_swap_orders_0a1b2c3d' } }));
  });
  it('table-drop-create (table_swap: drop_create)', () => {
    golden('table-drop-create', d.table({ ...plan, config: { table_swap: 'drop_create' } }));
  });
});

describe('Dremio goldens: snapshots, seeds, stored failures', () => {
  const snapTarget: Relation = { database: 'lake', schema: 'snapshots', identifier: 'orders_snap' };
  const base = {
    target: snapTarget, staging: d.scratchRelation(snapTarget, '__cairn_snapshot_staging'), deleted: d.scratchRelation(snapTarget, '__cairn_snapshot_deleted'),
    sql: 'select id, status, "order.total", updated_at from "lake"."raw"."orders";', uniqueKey: ['id'],
    meta: { validFrom: 'dbt_valid_from', validTo: 'dbt_valid_to', scdId: 'dbt_scd_id', updatedAt: 'dbt_updated_at', isDeleted: 'dbt_is_deleted' },
    queryColumns: [{ name: 'id', type: 'INTEGER' }, { name: 'status', type: 'VARCHAR' }, { name: 'order.total', type: 'DECIMAL(12,2)' }, { name: 'updated_at', type: 'TIMESTAMP' }],
  };
  const existing = [
    { name: 'id', type: 'INTEGER' }, { name: 'status', type: 'VARCHAR' }, { name: 'updated_at', type: 'TIMESTAMP' },
    { name: 'dbt_scd_id', type: 'VARCHAR' }, { name: 'dbt_updated_at', type: 'TIMESTAMP' }, { name: 'dbt_valid_from', type: 'TIMESTAMP' }, { name: 'dbt_valid_to', type: 'TIMESTAMP' },
  ];
  it('snapshot-first-run (CTAS with dbt\'s meta columns)', () => {
    golden('snapshot-first-run', d.snapshot!({ ...base, exists: false, strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'ignore', targetColumns: [] }));
  });
  it('snapshot-timestamp-invalidate (staging CTAS + one MERGE; a new column added first)', () => {
    golden('snapshot-timestamp-invalidate', d.snapshot!({ ...base, exists: true, strategy: 'timestamp', updatedAt: 'updated_at', hardDeletes: 'invalidate', targetColumns: existing }));
  });
  it('snapshot-check-new-record (check_cols, hard_deletes: new_record, composite key)', () => {
    golden('snapshot-check-new-record', d.snapshot!({ ...base, uniqueKey: ['id', 'status'], exists: true, strategy: 'check', checkCols: ['order.total'], hardDeletes: 'new_record', targetColumns: existing }));
  });
  const seed = { target: snapTarget, fullRefresh: false, path: '/x.csv', delimiter: ',', hasBom: false, columns: [{ name: 'id', kind: 'integer' as const }, { name: 'name', kind: 'text' as const }], rows: [['1', "o'hara"], ['2', null]], quoteColumns: false };
  it('seed-refill (an existing seed table is kept: TRUNCATE, then INSERT)', () => {
    golden('seed-refill', d.seed!({ ...seed, existing: 'table' }));
  });
  it('seed-full-refresh (dropped and re-created)', () => {
    golden('seed-full-refresh', d.seed!({ ...seed, existing: 'table', fullRefresh: true }));
  });
  it('store-failures (the failing rows of a test, replaced every run)', () => {
    golden('store-failures', d.storeFailures!({ target: { database: 'lake', schema: 'raw/dbt_test__audit', identifier: 'not_null_orders_id' }, existing: 'table', sql: 'select * from "lake"."raw"."orders" where id is null' }));
  });
});

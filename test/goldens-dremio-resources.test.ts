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

const target: Relation = { database: 'lake', schema: 'marts/v1.2', identifier: 'orders' };
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

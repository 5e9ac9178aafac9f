import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copySample } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

describe('sample project on DuckDB', () => {
  it('builds end to end, and a second run leaves the same row counts', async () => {
    const dir = copySample();
    const first = cli(['build'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2 of 4 START sql table model bronze\.orders_raw \.+ \[RUN\]/);
    expect(first.stdout).toMatch(/Done\. PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4/);
    const db = join(dir, 'cairn_dev.duckdb');
    // The README's layers are schemas of their own (folder `+schema` + the project's generate_schema_name).
    expect(await queryDuckdb(db, 'select table_schema || \'.\' || table_name as r from information_schema.tables order by 1')).toEqual([
      { r: 'bronze.load_orders' }, { r: 'bronze.orders_raw' }, { r: 'gold.orders_summary' }, { r: 'silver.orders_incremental' },
    ]);
    const count = async () => (await queryDuckdb(db, 'select count(*) as n from silver.orders_incremental'))[0]!.n;
    expect(await count()).toBe(9);
    const second = cli(['run'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(await count()).toBe(9);
    const summary = await queryDuckdb(db, 'select strftime(order_date, \'%Y-%m-%d\') as d, order_count from gold.orders_summary order by 1');
    expect(summary).toEqual([
      { d: '2024-01-01', order_count: 3 },
      { d: '2024-01-02', order_count: 3 },
      { d: '2024-01-03', order_count: 3 },
    ]);
  });

  it('a run for a new --ds picks up that day only, merging a changed order', async () => {
    const dir = copySample();
    const db = join(dir, 'cairn_dev.duckdb');
    expect(cli(['run', '--ds', '2024-01-01'], { cwd: dir }).code).toBe(0);
    expect(await queryDuckdb(db, 'select order_id, status from silver.orders_incremental order by 1')).toEqual([
      { order_id: 1, status: 'placed' }, { order_id: 2, status: 'placed' }, { order_id: 3, status: 'shipped' }, { order_id: 4, status: 'placed' },
    ]);
    const day2 = cli(['run', '--ds', '2024-01-02'], { cwd: dir });
    expect(day2.code).toBe(0);
    // orders_incremental merged exactly day 2's four rows (order 2 updated, three new).
    expect(day2.stdout).toMatch(/OK created sql incremental model silver\.orders_incremental \.+ \[OK 4 /);
    const rows = await queryDuckdb(db, 'select order_id, status from silver.orders_incremental order by 1');
    expect(rows.length).toBe(7);
    expect(rows.find((r) => r.order_id === 2)!.status).toBe('shipped');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

const LOADER = `export const config = { depends_on: ['countries'], retries: 2, retry_delay: 0 };
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
export default async function (ctx) {
  // Fails twice with a transient error (an HTTP source having a bad minute), then loads.
  const n = existsSync('attempts.txt') ? Number(readFileSync('attempts.txt', 'utf8')) : 0;
  writeFileSync('attempts.txt', String(n + 1));
  if (n < 2) throw new Error('fetch failed: connection reset (HTTP 503)');
  const countries = await ctx.query('select code from ' + ctx.ref('countries') + ' order by code');
  return ctx.writeRows(countries.map((c, i) => ({ order_id: i + 1, country: c.code, ds: ctx.ds })));
}
`;

describe('script tasks', () => {
  it('a task is a DAG node: runs after depends_on, retries like any node, and its table is ref()-able', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('tk'),
      'profiles.yml': PROFILE('tk'),
      'models/countries.sql': "{{ config(materialized='table') }} select * from (values ('DE'), ('FR')) t(code)",
      'tasks/load_orders.mjs': LOADER,
      'models/orders.sql': "select country, count(*) as n, max(ds) as ds from {{ ref('load_orders') }} group by 1",
    });
    const r = cli(['run', '--ds', '2024-01-05', '--log-format', 'json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ev = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(ev.filter((e) => e.event === 'node_start').map((e) => e.unique_id)).toEqual(['model.tk.countries', 'task.tk.load_orders', 'model.tk.orders']);
    expect(ev.filter((e) => e.event === 'node_retry').map((e) => e.attempt)).toEqual([2, 3]);
    expect(ev.find((e) => e.event === 'node_end' && e.unique_id === 'task.tk.load_orders')).toMatchObject({ status: 'success', attempt: 3, rows_affected: 2 });
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select country, n, ds from main.orders order by 1')).toEqual([
      { country: 'DE', n: 1, ds: '2024-01-05' }, { country: 'FR', n: 1, ds: '2024-01-05' },
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(JSON.stringify(manifest)).toContain('task.tk.load_orders');
  });

  it('a task depending on an unknown node, or exporting no function, is a located error', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('tk2'),
      'profiles.yml': PROFILE('tk2'),
      'models/countries.sql': 'select 1 as x',
      'tasks/a.mjs': "export const config = { depends_on: ['countrys'] }; export default async () => 0;",
      'tasks/b.mjs': 'export const x = 1;',
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tasks/b.mjs: task module tasks/b.mjs exports no function');
    expect(r.stderr).toMatch(/countrys/);
    expect(r.stderr).toMatch(/did you mean `countries`/);
  });
});

// A typical small dbt project (staging views, table models built with Jinja loops and {% set %}
// lists, macros, folder configs, an ephemeral model, custom schema and alias) runs unchanged.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, repoRoot, tempDir } from './helpers/project.js';

function copyFixture(name: string): string {
  const dir = tempDir(`cairn-${name}-`);
  cpSync(join(repoRoot, 'test/fixtures', name), dir, { recursive: true });
  return dir;
}

describe('a typical dbt project runs unchanged', () => {
  it('builds every model with the right contents', async () => {
    const dir = copyFixture('shop');
    const r = cli(['run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done\. PASS=7 WARN=0 ERROR=0 SKIP=0 TOTAL=7/);
    const db = join(dir, 'shop.duckdb');
    // Folder config: staging views in `main_staging` (dbt's <target>_<custom> schema naming).
    const rels = await queryDuckdb(db, "select table_schema, table_name, table_type from information_schema.tables order by 1, 2");
    expect(rels).toEqual([
      { table_schema: 'main', table_name: 'customers', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'orders', table_type: 'BASE TABLE' },
      { table_schema: 'main_reporting', table_name: 'large_orders', table_type: 'VIEW' },
      { table_schema: 'main_staging', table_name: 'stg_customers', table_type: 'VIEW' },
      { table_schema: 'main_staging', table_name: 'stg_orders', table_type: 'VIEW' },
      { table_schema: 'main_staging', table_name: 'stg_payments', table_type: 'VIEW' },
    ]);
    const orders = await queryDuckdb(db, 'select order_id, credit_card_amount::double as cc, coupon_amount::double as coupon, bank_transfer_amount::double as bank, amount::double as amount, currency from main.orders order by 1');
    expect(orders).toEqual([
      { order_id: 1, cc: 10, coupon: 0, bank: 0, amount: 10, currency: 'EUR' },
      { order_id: 2, cc: 20, coupon: 0, bank: 0, amount: 20, currency: 'EUR' },
      { order_id: 3, cc: 0, coupon: 1, bank: 25, amount: 26, currency: 'EUR' },
      { order_id: 4, cc: 0, coupon: 0, bank: 0, amount: 6, currency: 'EUR' },
    ]);
    const customers = await queryDuckdb(db, 'select customer_id, full_name, DONE_orders as done, BACK_orders as back, built_for from main.customers order by 1');
    expect(customers).toEqual([
      { customer_id: 1, full_name: 'Michael P.', done: 1, back: 1, built_for: 'DEV' },
      { customer_id: 2, full_name: 'Shawn M.', done: 0, back: 0, built_for: 'DEV' },
      { customer_id: 3, full_name: 'Kathleen P.', done: 1, back: 0, built_for: 'DEV' },
    ]);
    expect(await queryDuckdb(db, 'select order_id from main_reporting.large_orders order by 1')).toEqual([{ order_id: 2 }, { order_id: 3 }]);
  });

  it('writes a dbt-shaped manifest and run_results', () => {
    const dir = copyFixture('shop');
    expect(cli(['run', '--select', '+customers'], { cwd: dir }).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const cust = manifest.nodes['model.shop.customers'];
    expect(cust.resource_type).toBe('model');
    expect(cust.original_file_path).toBe('models/marts/customers.sql');
    expect(cust.config.materialized).toBe('table');
    expect(cust.config.tags).toEqual(['shop', 'mart', 'finance']);
    expect(cust.description).toBe('One row per customer.');
    expect(cust.depends_on.nodes.sort()).toEqual(['model.shop.orders', 'model.shop.stg_customers']);
    expect(cust.checksum.name).toBe('sha256');
    expect(cust.compiled_code).toContain('"main_staging"."stg_customers"');
    expect(manifest.child_map['model.shop.orders']).toEqual(['model.shop.customers', 'model.shop.order_facts']);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    // Deterministic DAG order: parents first, ties by id.
    expect(rr.results.map((r: { unique_id: string }) => r.unique_id)).toEqual([
      'model.shop.stg_customers', 'model.shop.stg_orders', 'model.shop.stg_payments', 'model.shop.orders', 'model.shop.customers',
    ]);
    expect(rr.results).toHaveLength(5);
    const custResult = rr.results.find((r: { unique_id: string }) => r.unique_id === 'model.shop.customers');
    expect(custResult.status).toBe('success');
    expect(custResult.adapter_response.rows_affected).toBe(3);
    expect(custResult.timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
    expect(readFileSync(join(dir, 'target/run/shop/models/marts/customers.sql'), 'utf8')).toMatch(/create or replace table "main"."customers"/);
  });

  it('ls selects with dbt syntax', () => {
    const dir = copyFixture('shop');
    const ls = (...sel: string[]) => cli(['ls', '--output', 'name', ...sel], { cwd: dir }).stdout.trim().split('\n').filter(Boolean).sort();
    expect(ls('--select', 'tag:finance')).toEqual(['customers']);
    expect(ls('--select', '+orders')).toEqual(['orders', 'stg_orders', 'stg_payments']);
    expect(ls('--select', 'orders+')).toEqual(['big_orders', 'customers', 'order_facts', 'orders']);
    expect(ls('--select', '1+customers')).toEqual(['customers', 'orders', 'stg_customers']);
    expect(ls('--select', 'path:models/staging')).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(ls('--select', 'config.materialized:view')).toEqual(['big_orders', 'stg_customers', 'stg_orders', 'stg_payments']);
    expect(ls('--select', 'tag:mart,config.materialized:table')).toEqual(['customers', 'orders']);
    expect(ls('--select', 'staging', '--exclude', 'stg_orders')).toEqual(['stg_customers', 'stg_payments']);
    expect(ls('--select', 'stg_*')).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(ls('--select', 'tag:finance', 'big_orders')).toEqual(['big_orders', 'customers']);
    expect(ls('--select', '@orders')).toEqual(['big_orders', 'customers', 'order_facts', 'orders', 'stg_customers', 'stg_orders', 'stg_payments']);
  });

  it('--vars and --target override, env_var reads the environment', async () => {
    const dir = copyFixture('shop');
    const r = cli(['run', '--select', 'orders', '+orders', '--vars', "{payment_methods: [coupon], currency: USD}"], { cwd: dir, env: { SHOP_DB: 'other.duckdb' } });
    expect(r.code).toBe(0);
    const rows = await queryDuckdb(join(dir, 'other.duckdb'), 'select * from main.orders order by order_id limit 1');
    expect(Object.keys(rows[0]!)).toEqual(['order_id', 'customer_id', 'order_date', 'status', 'coupon_amount', 'amount', 'currency']);
    expect(rows[0]!.currency).toBe('USD');
  });
});

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, repoRoot, tempDir } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';

function copyJaffle(): string {
  const dir = tempDir('cairn-jaffle-');
  cpSync(join(repoRoot, 'test/fixtures/jaffle'), dir, { recursive: true, filter: (s) => !/\.duckdb|\/target(\/|$)/.test(s) });
  return dir;
}

const statusOf = (dir: string) => {
  const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: Array<{ unique_id: string; status: string; failures: number | null }> };
  return new Map(rr.results.map((r) => [r.unique_id.split('.').slice(0, 3).join('.'), r]));
};

describe('a typical dbt project (jaffle shop) on DuckDB', () => {
  it('`cairn build` runs seeds, models and 20 tests with dbt\'s summary counts', async () => {
    const dir = copyJaffle();
    const r = cli(['build'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done\. PASS=28 WARN=0 ERROR=0 SKIP=0 TOTAL=28/);
    // A model's tests run right after it: every stg_orders test ends before orders starts.
    const lines = r.stdout.split('\n');
    const lastStgTest = Math.max(...lines.map((l, i) => (/START test \w+_stg_orders_/.test(l) ? i : -1)));
    const ordersStart = lines.findIndex((l) => /START sql table model main\.orders /.test(l));
    expect(lastStgTest).toBeGreaterThan(0);
    expect(ordersStart).toBeGreaterThan(lastStgTest);
    const db = join(dir, 'jaffle.duckdb');
    const orders = await queryDuckdb(db, 'select order_id, credit_card_amount, gift_card_amount, amount from main.orders where order_id = 12');
    expect(orders).toEqual([{ order_id: 12, credit_card_amount: 1, gift_card_amount: 12, amount: 13 }]);
    const types = await queryDuckdb(db, "select column_name, data_type from information_schema.columns where table_name = 'raw_orders' order by ordinal_position");
    expect(types.map((t) => t.data_type)).toEqual(['INTEGER', 'INTEGER', 'DATE', 'VARCHAR']);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    const rel = Object.values(manifest.nodes as Record<string, any>).find((n) => n.name === 'relationships_orders_customer_id__customer_id__ref_customers_');
    expect(rel.depends_on.nodes.sort()).toEqual(['model.jaffle_shop.customers', 'model.jaffle_shop.orders']);
    // Each generic test's SQL is kept under its YAML file, as dbt does.
    const compiled = readFileSync(join(dir, 'target/compiled/jaffle_shop/models/schema.yml/unique_customers_customer_id.sql'), 'utf8');
    expect(compiled).toMatch(/from "main"\."customers"/);
  });

  it('a broken seed row fails exactly its test and skips what is downstream of the tested model', () => {
    const dir = copyJaffle();
    const csv = join(dir, 'seeds/raw_orders.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('12,7,2018-01-15,placed', '12,7,2018-01-15,lost'));
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Done\. PASS=13 WARN=0 ERROR=1 SKIP=14 TOTAL=28/);
    const s = statusOf(dir);
    const failed = [...s.entries()].filter(([, v]) => v.status === 'fail').map(([k]) => k);
    expect(failed).toEqual(['test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned']);
    expect(s.get('test.jaffle_shop.accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned')!.failures).toBe(1);
    expect(s.get('model.jaffle_shop.orders')!.status).toBe('skipped');
    expect(s.get('model.jaffle_shop.customers')!.status).toBe('skipped');
    // Independent branches go on: the other staging models and their tests.
    expect(s.get('model.jaffle_shop.stg_payments')!.status).toBe('success');
    expect(s.get('test.jaffle_shop.unique_stg_customers_customer_id')!.status).toBe('pass');
    expect(r.stdout).toMatch(/SKIP sql table model main\.orders/);
  });

  it('selecting a model in build brings its tests (eager indirect selection); resource_type and test_type select', () => {
    const dir = copyJaffle();
    expect(cli(['seed'], { cwd: dir }).stdout).toMatch(/PASS=3 WARN=0 ERROR=0 SKIP=0 TOTAL=3/);
    const r = cli(['build', '--select', 'stg_orders'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4/);
    const t = cli(['ls', '--select', 'resource_type:test', 'test_type:generic', '--output', 'name'], { cwd: dir });
    expect(t.stdout.trim().split('\n')).toHaveLength(20);
    const rt = cli(['build', '--resource-type', 'seed'], { cwd: dir });
    expect(rt.stdout).toMatch(/TOTAL=3/);
  });
});

// Model unit tests: fixtures as CTEs on DuckDB, is_incremental overridden, row diffs, bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, copySample, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const sampleUnitTests = `unit_tests:
  - name: merges_only_newer_orders
    model: orders_incremental
    overrides:
      macros:
        is_incremental: true
    given:
      - input: ref('orders_raw')
        rows:
          - {order_id: 1, customer_id: 10, amount: 5.5, status: placed, order_timestamp: '2024-01-01 09:00:00'}
          - {order_id: 2, customer_id: 11, amount: 7, status: placed, order_timestamp: '2024-01-02 10:00:00'}
          - {order_id: 2, customer_id: 11, amount: 7, status: shipped, order_timestamp: '2024-01-02 12:00:00'}
      - input: this
        format: csv
        rows: |
          order_id,order_timestamp
          1,2024-01-01 09:00:00
    expect:
      rows:
        - {order_id: 2, status: shipped, order_date: '2024-01-02'}
  - name: full_load_keeps_every_order
    model: orders_incremental
    given:
      - input: ref('orders_raw')
        format: sql
        rows: |
          select 1 as order_id, 10 as customer_id, 5.5 as amount, 'placed' as status, timestamp '2024-01-01 09:00:00' as order_timestamp
    expect:
      format: csv
      rows: |
        order_id,amount
        1,5.5
`;

describe('unit tests', { timeout: 180_000 }, () => {
  it('pass on the sample incremental model, and catch a bug injected into its incremental filter', () => {
    const dir = copySample();
    writeFileSync(join(dir, 'models/unit_tests.yml'), sampleUnitTests);
    // No model is built first: the inputs are fixtures.
    const ok = cli(['test', '--select', 'test_type:unit'], { cwd: dir });
    expect(ok.stdout + ok.stderr).toMatch(/PASS=2 WARN=0 ERROR=0 SKIP=0 TOTAL=2/);
    expect(ok.code).toBe(0);

    const model = join(dir, 'models/silver/orders_incremental.sql');
    writeFileSync(model, readFileSync(model, 'utf8').replace('order_timestamp > (select', 'order_timestamp >= (select'));
    const bad = cli(['test', '--select', 'test_type:unit'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL 1 unit_test merges_only_newer_orders \.+ \[FAIL 1 /);
    expect(bad.stdout).toMatch(/0 expected rows missing \(-\), 1 unexpected row \(\+\)/);
    expect(bad.stdout).toMatch(/\| \+ \| 1 +\| placed \| 2024-01-01 +\|/);
    expect(bad.stdout).toMatch(/PASS unit_test full_load_keeps_every_order/);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results.map((r: { status: string }) => r.status).sort()).toEqual(['fail', 'pass']);
  });

  it('override vars, read sources and fixture files, and show missing and unexpected rows', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('ut', 'vars:\n  min: 0\n'),
      'profiles.yml': PROFILE('ut'),
      'models/a.sql': 'select 1 as x',
      'models/b.sql': "select x, x * 2 as y from {{ ref('a') }} where x > {{ var('min') }}",
      'models/s.sql': "select o.id, c.name from {{ source('shop', 'orders') }} as o join {{ ref('a') }} as a on a.x = o.id join {{ source('shop', 'customers') }} as c on c.id = o.customer_id",
      'models/sources.yml': 'sources:\n  - name: shop\n    tables:\n      - name: orders\n      - name: customers\n',
      'tests/fixtures/customers.csv': 'id,name\n7,"Smith, Ann"\n8,Bob\n',
      'models/tests.yml': `unit_tests:
  - name: joins_sources
    model: s
    given:
      - input: source('shop', 'orders')
        rows: [{id: 1, customer_id: 7}, {id: 2, customer_id: 8}]
      - input: ref('a')
        rows: [{x: 1}]
      - input: source('shop', 'customers')
        format: csv
        fixture: customers
    expect:
      rows: [{id: 1, name: 'Smith, Ann'}]
  - name: filters_by_min
    model: b
    overrides: {vars: {min: 1}}
    given:
      - input: ref('a')
        rows: [{x: 1}, {x: 2}, {x: 3}]
    expect:
      rows: [{x: 2, y: 4}, {x: 3, y: 6}]
  - name: wrong_expectation
    model: b
    given:
      - input: ref('a')
        rows: [{x: 1}]
    expect:
      rows: [{x: 1, y: 3}]
`,
    });
    const r = cli(['test', '--select', 'test_type:unit'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/PASS unit_test filters_by_min/);
    expect(r.stdout).toMatch(/PASS unit_test joins_sources/);
    expect(r.stdout).toMatch(/1 expected row missing \(-\), 1 unexpected row \(\+\)/);
    expect(r.stdout).toMatch(/\| - \| 1 \| 3 \|/);
    expect(r.stdout).toMatch(/\| \+ \| 1 \| 2 \|/);
  });

  it('a given that names a ref the model does not use is a located error with a hint', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('ut'),
      'profiles.yml': PROFILE('ut'),
      'models/orders.sql': 'select 1 as x',
      'models/customers.sql': 'select 1 as x',
      'models/b.sql': "select x from {{ ref('orders') }}",
      'models/tests.yml': `unit_tests:
  - name: t
    model: b
    given:
      - input: ref('order')
        rows: [{x: 1}]
      - input: ref('customers')
        rows: [{x: 1}]
    expect:
      rows: [{x: 1}]
`,
    });
    const r = cli(['test', '--select', 'test_type:unit'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/tests\.yml:5 \(t\): unit test `t`: given ref\('order'\), but model `b` does not use it/);
    expect(r.stderr).toMatch(/did you mean `orders`\?/);
    expect(r.stderr).toMatch(/models\/tests\.yml:7 \(t\): unit test `t`: given ref\('customers'\), but model `b` does not use it/);
  });

  it('an expect with columns the model does not produce is an error naming them and the real columns', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('ut'),
      'profiles.yml': PROFILE('ut'),
      'models/a.sql': 'select 1 as x',
      'models/b.sql': "select x, 'k' as kind from {{ ref('a') }}",
      'models/tests.yml': `unit_tests:
  - name: t
    model: b
    given:
      - input: ref('a')
        rows: [{x: 1}]
    expect:
      rows: [{x: 1, total: 5}]
`,
    });
    const r = cli(['test', '--select', 'test_type:unit'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR creating unit_test t/);
    expect(r.stdout).toMatch(/expect has column `total` that model `b` does not produce/);
    expect(r.stdout).toMatch(/hint: b returns x, kind/);
  });
});

describe('unit tests in build and test, as dbt orders them', () => {
  const files = (bug: boolean) => ({
    'dbt_project.yml': PROJECT('ut_order'), 'profiles.yml': PROFILE('ut_order'),
    'models/base.sql': 'select 1 as id union all select 1 as id',
    'models/doubled.sql': `select id * ${bug ? 3 : 2} as id from {{ ref('base') }}`,
    'models/child.sql': "select * from {{ ref('doubled') }}",
    'models/schema.yml': `version: 2
models:
  - name: base
    columns:
      - name: id
        data_tests: [unique]
unit_tests:
  - name: doubles_ids
    model: doubled
    given:
      - input: ref('base')
        rows: [{id: 1}]
    expect:
      rows: [{id: 2}]
`,
  });

  it('build runs a unit test before its model; a failing one stops the model and what is downstream', () => {
    const dir = makeProject(files(true));
    const r = cli(['build'], { cwd: dir });
    const at = (re: RegExp) => r.stdout.split('\n').findIndex((l) => re.test(l));
    expect(at(/FAIL \d+ unit_test doubles_ids/)).toBeGreaterThan(-1);
    expect(at(/START unit_test doubles_ids/)).toBeLessThan(at(/SKIP sql table model|SKIP.*doubled/));
    expect(r.stdout).toMatch(/SKIP[^\n]*doubled/);
    expect(r.stdout).toMatch(/SKIP[^\n]*child/);
    expect(r.stdout).not.toMatch(/OK created sql view model main\.doubled/);
    const ok = makeProject(files(false));
    const g = cli(['build'], { cwd: ok });
    const lines = g.stdout.split('\n');
    const i = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(i(/PASS unit_test doubles_ids/)).toBeGreaterThan(-1);
    expect(i(/PASS unit_test doubles_ids/)).toBeLessThan(i(/ main\.doubled /));
    expect(i(/ main\.doubled /)).toBeGreaterThan(-1);
  });

  it('test --select model brings its unit tests; a failed upstream data test does not skip them', () => {
    const dir = makeProject(files(false));
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    const sel = cli(['test', '--select', 'doubled'], { cwd: dir });
    expect(sel.stdout).toMatch(/PASS unit_test doubles_ids/);
    const all = cli(['test'], { cwd: dir });
    expect(all.stdout).toMatch(/FAIL 1 test unique_base_id/); // base has a duplicate id
    expect(all.stdout).toMatch(/PASS unit_test doubles_ids/);
    expect(all.stdout).not.toMatch(/SKIP[^\n]*doubles_ids/);
  });
});

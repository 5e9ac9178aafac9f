// dbt's command-line features a user relies on: parse, YAML selectors, indirect selection, --empty,
// --quiet / --log-level, --profile, --target-path, --favor-state, compile/show --inline with refs.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const SCHEMA = `version: 2
models:
  - name: orders
    columns:
      - name: customer_id
        data_tests:
          - not_null
          - relationships: {to: ref('customers'), field: id}
`;
function project(extra: Record<string, string> = {}): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('par'),
    'profiles.yml': PROFILE('par', `other:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: other.duckdb
      schema: elsewhere
      threads: 1
`),
    'models/customers.sql': "{{ config(tags=['core']) }}\nselect 1 as id union all select 2",
    'models/orders.sql': "{{ config(tags=['core', 'nightly']) }}\nselect 10 as order_id, 1 as customer_id from {{ ref('customers') }} limit 1",
    'models/report.sql': "{{ config(materialized='table', tags=['nightly']) }}\nselect count(*) as n from {{ ref('orders') }}",
    'models/schema.yml': SCHEMA,
    ...extra,
  });
  dirs.push(dir);
  return dir;
}
const names = (out: string) => out.trim().split('\n').filter(Boolean).sort();

describe('dbt CLI parity', () => {
  it('parse writes manifest.json without rendering or touching the engine', () => {
    const dir = project();
    const r = cli(['parse'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Parsed 3 models, 2 tests in [\d.]+s; wrote .*manifest\.json/);
    const m = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(Object.keys(m.nodes)).toContain('model.par.report');
    expect(existsSync(join(dir, 'test.duckdb'))).toBe(false);
  });

  it('--selector reads selectors.yml: union, intersection, exclude, nesting, the default, and a did-you-mean', () => {
    const dir = project({
      'selectors.yml': `selectors:
  - name: nightly_core
    definition:
      intersection:
        - method: tag
          value: nightly
        - tag: core
  - name: core_tree
    definition:
      union:
        - method: tag
          value: core
          children: true
        - exclude:
            - method: fqn
              value: orders
  - name: both
    default: true
    definition:
      union:
        - selector: nightly_core
        - "report"
`,
    });
    expect(names(cli(['ls', '--selector', 'nightly_core', '--output', 'name', '--resource-type', 'model'], { cwd: dir }).stdout)).toEqual(['orders']);
    expect(names(cli(['ls', '--selector', 'core_tree', '--output', 'name', '--resource-type', 'model'], { cwd: dir }).stdout)).toEqual(['customers', 'report']);
    // No --select: the default selector applies.
    expect(names(cli(['ls', '--output', 'name', '--resource-type', 'model'], { cwd: dir }).stdout)).toEqual(['orders', 'report']);
    const bad = cli(['ls', '--selector', 'nightly_cor'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no selector named `nightly_cor` in selectors\.yml/);
    expect(bad.stderr).toMatch(/did you mean `nightly_core`/);
    expect(cli(['ls', '--selector', 'both', '--select', 'orders'], { cwd: dir }).code).toBe(2);
    // build with a selector brings the selected models' tests (eager).
    const b = cli(['build', '--selector', 'nightly_core'], { cwd: dir });
    expect(b.stdout).toMatch(/not_null_orders_customer_id/);
  });

  it('--indirect-selection: eager, cautious, buildable, empty', () => {
    const dir = project();
    const tests = (mode: string, sel: string) => names(cli(['ls', '--select', sel, '--resource-type', 'test', '--indirect-selection', mode, '--output', 'name'], { cwd: dir }).stdout);
    const rel = 'relationships_orders_customer_id__id__ref_customers_';
    expect(tests('eager', 'orders')).toEqual(['not_null_orders_customer_id', rel]);
    expect(tests('cautious', 'orders')).toEqual(['not_null_orders_customer_id']);
    expect(tests('buildable', 'orders')).toEqual(['not_null_orders_customer_id', rel]);
    expect(tests('empty', 'orders')).toEqual([]);
    expect(tests('buildable', 'customers')).toEqual([]);
    expect(tests('eager', 'customers')).toEqual([rel]);
  });

  it('--empty builds every model with zero rows; a normal run then fills them', async () => {
    const dir = project();
    const r = cli(['run', '--empty'], { cwd: dir });
    expect(r.code, r.stdout).toBe(0);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n from main.report')).toEqual([{ n: 0 }]);
    const compiled = readFileSync(join(dir, 'target/run/par/models/report.sql'), 'utf8');
    expect(compiled).toContain('from (select * from "main"."orders" where false limit 0)');
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select n from main.report')).toEqual([{ n: 1 }]);
  });

  it('--quiet prints only failures; --log-level warn adds warnings', () => {
    const dir = project({ 'models/broken.sql': 'select * from nowhere_at_all' });
    const q = cli(['run', '--quiet'], { cwd: dir });
    expect(q.code).toBe(1);
    expect(q.stdout).not.toMatch(/START|OK created|Running with/);
    expect(q.stdout).toMatch(/ERROR creating sql view model main\.broken/);
    expect(q.stdout).toMatch(/Done\. PASS=3 WARN=0 ERROR=1/);
    const ok = cli(['run', '--select', 'customers', '--log-level', 'warn'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    const none = cli(['run', '--log-level', 'none'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('--profile picks another profiles.yml entry; a wrong one names --profile', async () => {
    const dir = project();
    expect(cli(['run', '--profile', 'other'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'other.duckdb'))).toBe(true);
    expect(await queryDuckdb(join(dir, 'other.duckdb'), 'select count(*)::int as n from elsewhere.customers')).toEqual([{ n: 2 }]);
    const bad = cli(['run', '--profile', 'othr'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/profile `othr` \(from --profile\) is not in/);
    expect(bad.stderr).toMatch(/did you mean `other`/);
  });

  it('--target-path puts every artifact there, and retry reads it from there', () => {
    const dir = project({ 'models/broken.sql': 'select * from nowhere_at_all' });
    expect(cli(['run', '--target-path', 'elsewhere'], { cwd: dir }).code).toBe(1);
    expect(existsSync(join(dir, 'elsewhere/run_results.json'))).toBe(true);
    expect(existsSync(join(dir, 'elsewhere/manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'target'))).toBe(false);
    writeFileSync(join(dir, 'models/broken.sql'), 'select 1 as fixed');
    const r = cli(['retry', '--target-path', 'elsewhere'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK created sql view model main\.broken/);
  });

  it('--favor-state: refs outside the run read the state relation even when built here', () => {
    const prod = project();
    expect(cli(['run', '--target-path', 'prod-target', '--profile', 'other'], { cwd: prod }).code).toBe(0);
    expect(cli(['run'], { cwd: prod }).code).toBe(0); // orders exists in this target too
    const plain = cli(['compile', '--select', 'report', '--defer', '--state', 'prod-target', '--inline'], { cwd: prod });
    expect(plain.stdout).toContain('"main"."orders"');
    const favored = cli(['compile', '--select', 'report', '--defer', '--favor-state', '--state', 'prod-target', '--inline'], { cwd: prod });
    expect(favored.stdout).toContain('"elsewhere"."orders"');
    expect(cli(['compile', '--favor-state'], { cwd: prod }).stderr).toMatch(/--favor-state goes with --defer/);
  });

  it('compile --inline and show --inline take SQL with refs, macros and vars', () => {
    const dir = project({ 'macros/two.sql': '{% macro two() %}2{% endmacro %}' });
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    const c = cli(['compile', '--inline', "select * from {{ ref('customers') }} where id < {{ two() }} + {{ var('x', 1) }}"], { cwd: dir });
    expect(c.stdout.trim()).toBe('select * from "main"."customers" where id < 2 + 1');
    const s = cli(['show', '--inline', "select count(*) as n from {{ ref('customers') }}"], { cwd: dir });
    expect(s.stdout).toMatch(/\| 2 +\|/);
    const bad = cli(['compile', '--inline', "select * from {{ ref('custmers') }}"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/`custmers`, which does not exist/);
  });
});

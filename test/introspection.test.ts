// Jinja that reads the database (test/fixtures/introspection): star/pivot/union/statement macros
// written for the test build with real results on DuckDB and on the Dremio emulator (a TEST DOUBLE,
// test/dremio-emulator); compile with nothing built, a compiler error raised by a macro, and
// run-operation / hooks reading real results.
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT, repoRoot, tempDir } from './helpers/project.js';

const dirs: string[] = [];
let em: Emulator | undefined;
afterEach(async () => {
  await em?.close();
  em = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture(): string {
  const dir = tempDir('cairn-introspection-');
  cpSync(join(repoRoot, 'test/fixtures/introspection'), dir, { recursive: true, filter: (src) => !/\.duckdb|\/target(\/|$)/.test(src) });
  dirs.push(dir);
  return dir;
}

type Query = (sql: string, table: string) => Promise<Record<string, unknown>[]>;

/** What every engine must have built: the same rows, from the same introspection. */
async function expectBuilt(q: Query): Promise<void> {
  // star_except over get_columns_in_relation: `amount` left out (asked for in upper case).
  const noAmount = await q('select * from {t} order by payment_id limit 1', 'payments_no_amount');
  expect(Object.keys(noAmount[0]!)).toEqual(['payment_id', 'order_id', 'method']);
  // pivot over the distinct values run_query returned.
  const pivot = await q('select order_id, card_amount, cash_amount, voucher_amount from {t} order by order_id', 'payments_pivot');
  expect(pivot).toEqual([
    { order_id: 10, card_amount: 500, cash_amount: 0, voucher_amount: 100 },
    { order_id: 11, card_amount: 0, cash_amount: 250, voucher_amount: 0 },
    { order_id: 12, card_amount: 1300, cash_amount: 0, voucher_amount: 0 },
    { order_id: 13, card_amount: 0, cash_amount: 0, voucher_amount: 50 },
  ]);
  // union of relations listed from the schema, with different columns.
  const union = await q('select * from {t} order by id', 'all_customers');
  expect(Object.keys(union[0]!)).toEqual(['_source_relation', 'id', 'name', 'country', 'state', 'loyalty_tier']);
  expect(union).toEqual([
    { _source_relation: 'customers_eu', id: 1, name: 'Ana', country: 'PT', state: null, loyalty_tier: null },
    { _source_relation: 'customers_eu', id: 2, name: 'Bruno', country: 'FR', state: null, loyalty_tier: null },
    { _source_relation: 'customers_us', id: 3, name: 'Cleo', country: null, state: 'CA', loyalty_tier: 2 },
    { _source_relation: 'customers_us', id: 4, name: 'Dan', country: null, state: 'NY', loyalty_tier: 1 },
    { _source_relation: 'customers_us', id: 5, name: 'Eve', country: null, state: 'TX', loyalty_tier: 3 },
  ]);
  // statement(fetch_result=True) + load_result: .data, .table.columns[...].values(), rows by name.
  expect(await q('select payment_count, total_amount, payment_count_by_name, stat_columns from {t}', 'payment_stats')).toEqual([
    { payment_count: 6, total_amount: 2200, payment_count_by_name: 6, stat_columns: 'payment_count,total_amount' },
  ]);
  // get_relation (found / None), load_relation, get_missing_columns.
  expect(await q('select eu_type, absent_is_none, loaded_name, us_only_columns from {t}', 'schema_drift')).toEqual([
    { eu_type: 'table', absent_is_none: true, loaded_name: 'customers_us', us_only_columns: 'state,loyalty_tier' },
  ]);
}

const BROKEN = `{{ require_columns(ref('customers_eu'), ['id', 'email']) }}\nselect 1 as x\n`;

describe('introspection on DuckDB', () => {
  it('builds star, pivot, union, statement/load_result and relation lookups with real results', async () => {
    const dir = fixture();
    const r = cli(['build'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Done\. PASS=8 WARN=0 ERROR=0 SKIP=0 TOTAL=8/);
    const db = join(dir, 'introspection.duckdb');
    await expectBuilt((sql, t) => queryDuckdb(db, sql.replace('{t}', `main.${t}`)));
    // Compiled again once built: the same SQL `build` wrote.
    const compiled = cli(['compile', '--select', 'payments_no_amount'], { cwd: dir });
    expect(compiled.code).toBe(0);
  }, 120_000);

  it('compile with nothing built names the missing relation, the model and its file', () => {
    const dir = fixture();
    const r = cli(['compile', '--select', 'payments_no_amount', 'schema_drift'], { cwd: dir });
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain('error[JINJA_RENDER] models/payments_no_amount.sql (payments_no_amount): adapter.get_columns_in_relation: relation "main"."payments" does not exist');
    expect(out).toContain('it is seed payments, which is not built yet');
    expect(out).toContain('models/schema_drift.sql (schema_drift)');
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('a run_query on a table that is not there is an SQL error naming the model and the query', () => {
    const dir = fixture();
    const r = cli(['compile', '--select', 'payments_pivot'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/models\/payments_pivot\.sql \(payments_pivot\): run_query failed while rendering model payments_pivot: Catalog Error: Table with name payments does not exist[^]*the query was: select distinct "method" from "main"\."payments" order by 1/);
  });

  it('exceptions.raise_compiler_error in a macro fails only that model, with its message, file and model', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'models/broken.sql'), BROKEN);
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Done\. PASS=8 WARN=0 ERROR=1 SKIP=0 TOTAL=9/);
    expect(r.stdout).toContain('error in model.introspection.broken: models/broken.sql: relation customers_eu has no column email (it has id, name, country)');
    const c = cli(['compile', '--select', 'broken'], { cwd: dir });
    expect(c.code).toBe(2);
    expect(c.stdout + c.stderr).toContain('error[JINJA_RENDER] models/broken.sql');
    expect(c.stdout + c.stderr).toContain('(broken): relation customers_eu has no column email');
  }, 120_000);

  it('run-operation reads real results, and a statement with side effects runs once per call', async () => {
    const dir = fixture();
    writeFileSync(join(dir, 'macros/count_twice.sql'), `{% macro count_twice() %}
{% do run_query('create or replace table main.ops (n integer)') %}
{% do run_query('insert into main.ops values (1)') %}
{% set before = run_query('select count(*) as c from main.ops') %}
{% call statement('again') %}insert into main.ops values (2){% endcall %}
{% set after = run_query('select count(*) as c, sum(n) as s from main.ops') %}
{{ log('ops: ' ~ before.columns[0].values()[0] ~ ' then ' ~ after.rows[0]['c'] ~ ' sum ' ~ after.rows[0][1], info=True) }}
{{ print('printed ' ~ (after.column_names | join('/'))) }}
{% endmacro %}
`);
    expect(cli(['seed'], { cwd: dir }).code).toBe(0);
    const op = cli(['run-operation', 'report_payments'], { cwd: dir });
    expect(op.code).toBe(0);
    expect(op.stdout).toMatch(/payments by card: 3\n.*payments by cash: 1\n.*payments by voucher: 2\n.*columns: method,n/);
    const twice = cli(['run-operation', 'count_twice'], { cwd: dir });
    expect(twice.stderr).toBe('');
    expect(twice.stdout).toContain('ops: 1 then 2 sum 3');
    expect(twice.stdout).toContain('printed c/s');
    expect(twice.stdout).toContain('Ran count_twice: 5 statements');
    expect(await queryDuckdb(join(dir, 'introspection.duckdb'), 'select n from main.ops order by n')).toEqual([{ n: 1 }, { n: 2 }]);
  }, 120_000);

  it('hooks read real results: pre-hook, post-hook and on-run-end see what run_query and get_columns_in_relation return', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('hooks', `on-run-end:
  - "{% set t = run_query('select count(*) as n from main.m') %}create or replace table main.end_audit as select {{ t.columns[0].values()[0] }} as rows_in_m"
`),
      'profiles.yml': PROFILE('hooks'),
      'models/src.sql': "select 1 as id, 'a' as label union all select 2, 'b'",
      'models/m.sql': `{{ config(materialized='table',
  pre_hook="{% set t = run_query('select count(*) as n from ' ~ ref('src')) %}create or replace table main.audit as select {{ t.columns[0].values()[0] }} as rows_in_src",
  post_hook="{% set c = adapter.get_columns_in_relation(this) %}create or replace table main.m_cols as select '{% for x in c %}{{ x.name }}:{{ x.dtype }}{% if not loop.last %},{% endif %}{% endfor %}' as cols") }}
select id, label, id * 10 as score from {{ ref('src') }}`,
    });
    dirs.push(dir);
    const r = cli(['run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const db = join(dir, 'test.duckdb');
    expect(await queryDuckdb(db, 'select rows_in_src from main.audit')).toEqual([{ rows_in_src: 2 }]);
    expect(await queryDuckdb(db, 'select cols from main.m_cols')).toEqual([{ cols: 'id:INTEGER,label:VARCHAR,score:INTEGER' }]);
    expect(await queryDuckdb(db, 'select rows_in_m from main.end_audit')).toEqual([{ rows_in_m: 2 }]);
  }, 120_000);

  it('an incremental model reads its own columns once it exists; unguarded on its first run, the error says why', async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('inc'),
      'profiles.yml': PROFILE('inc'),
      'models/grows.sql': `{{ config(materialized='incremental') }}
{%- if is_incremental() %}{% set cols = adapter.get_columns_in_relation(this) %}{% endif -%}
select {{ (cols | length) if is_incremental() else 0 }} as seen_columns, 'x' as tag`,
      'models/eager.sql': `{{ config(materialized='incremental') }}
{%- set cols = adapter.get_columns_in_relation(this) -%}
select 1 as id`,
    });
    dirs.push(dir);
    const first = cli(['run'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/error in model\.inc\.eager: models\/eager\.sql: adapter\.get_columns_in_relation: relation "main"\."eager" does not exist[^]*hint: it is this model's own relation \(`this`\)/);
    expect(cli(['run', '--select', 'grows'], { cwd: dir }).code).toBe(0);
    expect(cli(['run', '--select', 'grows'], { cwd: dir }).code).toBe(0);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select seen_columns from main.grows order by 1')).toEqual([{ seen_columns: 0 }, { seen_columns: 2 }, { seen_columns: 2 }]);
  }, 120_000);
});

describe('introspection on Dremio (emulator test double)', () => {
  it('builds the same results, runs run-operation and reports a compiler error cleanly', async () => {
    const dir = fixture();
    em = await startEmulator({ jobPolls: 1 });
    const env = { DREMIO_PORT: String(em.port), DREMIO_HOST: '127.0.0.1' };
    const r = await cliAsync(['build', '--target', 'dremio'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Done\. PASS=8 WARN=0 ERROR=0 SKIP=0 TOTAL=8/);
    const e = em;
    await expectBuilt(async (sql, t) => {
      const rows = await e.db.query(sql.replace('{t}', e.db.name(['$scratch', 'introspection', t])));
      return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
    });
    // The engine was asked through its own interfaces: a catalog lookup, a LIMIT 0 job, INFORMATION_SCHEMA.
    const sqls = e.jobs.list().map((j) => j.sql);
    expect(sqls.some((s) => /INFORMATION_SCHEMA\."TABLES" WHERE TABLE_SCHEMA = '\$scratch\.introspection'/.test(s))).toBe(true);
    expect(sqls.some((s) => s.startsWith('select distinct "method" from "$scratch"."introspection"."payments"'))).toBe(true);

    const op = await cliAsync(['run-operation', 'report_payments', '--target', 'dremio'], { cwd: dir, env });
    expect(op.code).toBe(0);
    expect(op.stdout).toMatch(/payments by card: 3\n.*payments by cash: 1\n.*payments by voucher: 2/);

    writeFileSync(join(dir, 'models/broken.sql'), BROKEN);
    const bad = await cliAsync(['compile', '--select', 'broken', '--target', 'dremio'], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stdout + bad.stderr).toContain('models/broken.sql');
    expect(bad.stdout + bad.stderr).toContain('(broken): relation customers_eu has no column email (it has id, name, country)');
  }, 180_000);

  it('compile with nothing built names the missing relation', async () => {
    const dir = fixture();
    em = await startEmulator({ jobPolls: 1 });
    const env = { DREMIO_PORT: String(em.port), DREMIO_HOST: '127.0.0.1' };
    const r = await cliAsync(['compile', '--select', 'payments_no_amount', '--target', 'dremio'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('adapter.get_columns_in_relation: relation "$scratch"."introspection"."payments" does not exist');
  }, 120_000);
});

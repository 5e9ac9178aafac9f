// Every bad input of the walking skeleton gets a located, hinted error and the right exit code,
// never a stack trace.
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const base = (models: Record<string, string>, extra: Record<string, string> = {}) =>
  makeProject({ 'dbt_project.yml': PROJECT('shop'), 'profiles.yml': PROFILE('shop'), ...models, ...extra });

function expectCleanError(r: { code: number; stderr: string }, code: number) {
  expect(r.code).toBe(code);
  expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack frames
}

describe('bad input gets a clear error', () => {
  it('malformed YAML names file, line and column', () => {
    const dir = base({ 'models/a.sql': 'select 1 as x', 'models/schema.yml': 'models:\n  - name: a\n    description: [unclosed\n' });
    const r = cli(['compile'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[YAML_PARSE\] models\/schema\.yml:\d+:\d+: malformed YAML/);
  });

  it('malformed dbt_project.yml', () => {
    const dir = makeProject({ 'dbt_project.yml': 'name: shop\nprofile: shop\nmodels:\n  shop:\n  - bad: [\n', 'profiles.yml': PROFILE('shop') });
    const r = cli(['ls'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/dbt_project\.yml:\d+/);
  });

  it('a Jinja syntax error names file and line', () => {
    const dir = base({ 'models/a.sql': 'select 1 as x\n{% if true %}\nfrom t\n' });
    const r = cli(['compile'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[JINJA_SYNTAX\] models\/a\.sql:\d+/);
  });

  it('ref() to a missing model says did you mean, with file and line', () => {
    const dir = base({ 'models/stg_orders.sql': 'select 1 as id', 'models/fct.sql': '-- facts\nselect * from {{ ref("stg_order") }}' });
    const r = cli(['run'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toContain('error[REF_NOT_FOUND] models/fct.sql:2 (fct)');
    expect(r.stderr).toContain('did you mean `stg_orders`?');
  });

  it('an unknown macro is named at its line with the nearest name; what refs or tests the broken model says it did not parse', () => {
    const dir = base({
      'models/keyed.sql': 'select 1 as a,\n  {{ type_strin() }} as x',
      'models/down.sql': "select * from {{ ref('keyed') }}",
      'models/s.yml': 'version: 2\nmodels:\n  - name: keyed\n    columns:\n      - name: x\n        data_tests: [not_null]\n',
    });
    const r = cli(['compile'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toContain('error[JINJA_RENDER] models/keyed.sql:2:6 (keyed): `type_strin` is not a macro of this project, of an installed package or of cairn');
    expect(r.stderr).toContain('hint: did you mean `type_string`?');
    expect(r.stderr).not.toContain('undefined or falsey');
    expect(r.stderr).toContain('error[REF_NOT_FOUND] models/down.sql:1 (down): model `down` refers to `keyed`, which did not parse (its error is reported for models/keyed.sql)');
    expect(r.stderr).toContain('tests in schema YAML are attached to model `keyed`, which did not parse');
    expect(r.stderr).not.toContain('which does not exist');
  });

  it('a cycle prints the path of model names', () => {
    const dir = base({ 'models/a.sql': 'select * from {{ ref("c") }}', 'models/b.sql': 'select * from {{ ref("a") }}', 'models/c.sql': 'select * from {{ ref("b") }}' });
    const r = cli(['compile'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[CYCLE\].*dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
  });

  it('two models with the same name show both paths', () => {
    const dir = base({ 'models/x/orders.sql': 'select 1 as a', 'models/y/orders.sql': 'select 2 as a' });
    const r = cli(['ls'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toContain('models/x/orders.sql');
    expect(r.stderr).toContain('models/y/orders.sql');
  });

  it('a missing profile and a missing target', () => {
    const noProfile = makeProject({ 'dbt_project.yml': PROJECT('shop'), 'profiles.yml': PROFILE('other'), 'models/a.sql': 'select 1' });
    const r1 = cli(['run'], { cwd: noProfile });
    expectCleanError(r1, 2);
    expect(r1.stderr).toMatch(/error\[PROFILE_NOT_FOUND\].*profile `shop`/);
    const dir = base({ 'models/a.sql': 'select 1' });
    const r2 = cli(['run', '--target', 'prdo'], { cwd: dir });
    expectCleanError(r2, 2);
    expect(r2.stderr).toMatch(/error\[TARGET_NOT_FOUND\].*target `prdo`/);
    expect(r2.stderr).toMatch(/outputs defined: dev|did you mean/);
  });

  it('env_var with no value and no default names the file and variable', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('shop'),
      'profiles.yml': PROFILE('shop').replace('path: test.duckdb', "path: \"{{ env_var('CAIRN_TEST_NOPE') }}\""),
      'models/a.sql': 'select 1',
    });
    const r = cli(['run'], { cwd: dir, env: { CAIRN_TEST_NOPE: undefined } });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[ENV_VAR_MISSING\] .*profiles\.yml:\d+.*`CAIRN_TEST_NOPE`/);
  });

  it('env_var in a model without default', () => {
    const dir = base({ 'models/a.sql': "select '{{ env_var(\"CAIRN_TEST_NOPE2\") }}' as x" });
    const r = cli(['compile'], { cwd: dir, env: { CAIRN_TEST_NOPE2: undefined } });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[ENV_VAR_MISSING\] models\/a\.sql.*\(a\)/);
  });

  it('an invalid selector', () => {
    const dir = base({ 'models/a.sql': 'select 1 as x' });
    const r = cli(['ls', '--select', 'tga:nightly'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[SELECTOR_INVALID\].*unknown selector method `tga`/);
    expect(r.stderr).toContain('did you mean `tag`?');
  });

  it('a SQL error from the engine names the model, the message and the compiled SQL path; exit 1', () => {
    const dir = base({ 'models/good.sql': 'select 1 as x', 'models/bad.sql': 'select * from table_that_does_not_exist', 'models/child.sql': 'select * from {{ ref("bad") }}' });
    const r = cli(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR creating sql view model main\.bad/);
    expect(r.stdout).toMatch(/error in model\.shop\.bad: .*table_that_does_not_exist/);
    expect(r.stdout).toMatch(/compiled SQL at .*target\/compiled\/shop\/models\/bad\.sql/);
    expect(r.stdout).toMatch(/SKIP .*child/);
    expect(r.stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=1 TOTAL=3/);
  });

  it('no dbt_project.yml', () => {
    const dir = makeProject({ 'README.md': 'x' });
    const r = cli(['run'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[PROJECT_NOT_FOUND\]/);
  });

  it('a missing var names the model', () => {
    const dir = base({ 'models/a.sql': "select '{{ var(\"start_date\") }}' as d" });
    const r = cli(['compile'], { cwd: dir });
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/error\[VAR_MISSING\] models\/a\.sql.*\(a\): required var `start_date`/);
  });
});

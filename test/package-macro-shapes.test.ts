// Macro shapes real packages use that nunjucks alone gets wrong, each taken from dbt_utils 1.3:
// a `_private` macro called through the package (`dbt_utils._is_relation(...)`, union.sql), a
// string literal spanning lines with a method called on it (surrogate_key.sql), and dbt-core's
// `should_store_failures()` called from a generic test (expression_is_true.sql).
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { join } from 'node:path';

const PKG = {
  'pkg/dbt_project.yml': "name: pk\nversion: '1.0'\nconfig-version: 2\n",
  'pkg/macros/_check.sql': "{% macro _check(obj, macro) %}{% if not (obj is mapping) %}{{ exceptions.raise_compiler_error(macro ~ ' expected a relation') }}{% endif %}{% endmacro %}",
  'pkg/macros/public.sql': "{% macro checked(rel) %}{% do pk._check(rel, 'checked') %}{{ rel }}{% endmacro %}",
  'pkg/macros/multiline.sql': "{%- macro warned() -%}\n{%- set m = '\nline one \\\nline \"two\" {}.\n'.format(model.name) -%}\n{{ return(m | trim) }}\n{%- endmacro -%}",
  'pkg/macros/generic.sql': "{% test positive(model, column_name) %}\n{{ config(severity = 'warn' if should_store_failures() else 'error') }}\nselect * from {{ model }} where {{ column_name }} <= 0\n{% endtest %}",
};

describe('package macro shapes from dbt_utils', () => {
  it('a `_private` macro through the package, a multi-line string with .format(), should_store_failures() in a test', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'packages.yml': 'packages:\n  - local: pkg\n',
      ...PKG,
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select id, '{{ pk.warned() }}' as note from {{ pk.checked(ref('a')) }}",
      'models/schema.yml': 'version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests:\n          - pk.positive\n          - pk.positive:\n              config: {store_failures: true}\n',
    });
    expect(cli(['deps'], { cwd: dir }).code).toBe(0);
    const r = cli(['build'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PASS=4 WARN=0 ERROR=0 SKIP=0 TOTAL=4/);
    expect(r.stdout).not.toMatch(/WARNING/);
    return queryDuckdb(join(dir, 'test.duckdb'), 'select note from main.b').then((rows) => {
      expect(rows).toEqual([{ note: 'line one \nline "two" b.' }]);
    });
  });

  it('should_store_failures(): the node config, else false; should_full_refresh(): the config, else --full-refresh', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/s.sql': "{{ config(materialized='table') }}select '{{ should_store_failures() }}' as sf, '{{ should_full_refresh() }}' as fr",
      'models/t.sql': "{{ config(materialized='table', store_failures=true, full_refresh=false) }}select '{{ should_store_failures() }}' as sf, '{{ should_full_refresh() }}' as fr",
    });
    expect(cli(['run', '--full-refresh'], { cwd: dir }).code).toBe(0);
    return Promise.all([
      queryDuckdb(join(dir, 'test.duckdb'), 'select sf, fr from main.s'),
      queryDuckdb(join(dir, 'test.duckdb'), 'select sf, fr from main.t'),
    ]).then(([s, t]) => {
      expect(s).toEqual([{ sf: 'False', fr: 'True' }]);
      expect(t).toEqual([{ sf: 'True', fr: 'False' }]);
    });
  });
});

// Macro shapes real packages use that nunjucks alone gets wrong, each taken from dbt_utils 1.3:
// a `_private` macro called through the package (`dbt_utils._is_relation(...)`, union.sql), a
// string literal spanning lines with a method called on it (surrogate_key.sql), and dbt-core's
// `should_store_failures()` called from a generic test (expression_is_true.sql), and dbt's Column
// API on introspected columns (union_relations: string_size, can_expand_to, data_type).
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { join } from 'node:path';
import { DbColumn } from '../core/templating/introspection/relations.js';
import { duckdbDialect } from '../adapters/duckdb/duckdb-dialect.js';

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

  it("columns from get_columns_in_relation answer dbt's Column API (union_relations: string_size, can_expand_to, data_type)", async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/a.sql': "{{ config(materialized='table') }}select 1 as id, 'x'::varchar as s, 'y'::varchar(20) as s20, 1.5::decimal(12, 2) as amount, now() as ts",
      'models/b.sql': `-- depends_on: {{ ref('a') }}
{% if execute -%}{%- set cols = adapter.get_columns_in_relation(ref('a')) -%}
{%- set by = {} -%}{%- for c in cols -%}{%- do by.update({c.name: c}) -%}{%- endfor -%}
select '{{ by.s.string_size() }}|{{ by.s20.string_size() }}|{{ by.s20.can_expand_to(by.s) }}|{{ by.s.can_expand_to(by.s20) }}|{{ by.id.can_expand_to(by.s) }}' as sizes,
  '{{ by.s.data_type }}|{{ by.amount.data_type }}|{{ by.amount.numeric_precision }},{{ by.amount.numeric_scale }}|{{ by.ts.data_type }}|{{ by.s20.char_size }}' as types,
  cast(null as {{ by.s.data_type }}) as widened{%- else -%}select 1 as parsing{%- endif -%}`,
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PASS=2 /);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select sizes, types from main.b')).toEqual([
      // DuckDB keeps no VARCHAR length: both strings are 256 wide, as dbt-duckdb's Column says.
      { sizes: '256|256|False|False|False', types: 'character varying(256)|DECIMAL(12,2)|12,2|TIMESTAMP WITH TIME ZONE|None' },
    ]);
    // An engine that keeps the length (Dremio's VARCHAR(n) in a CREATE TABLE): sizes from the type.
    const col = (type: string) => new DbColumn({ name: 'c', type }, duckdbDialect);
    expect([col('VARCHAR(20)').string_size(), col('VARCHAR(20)').can_expand_to(col('VARCHAR(65536)')), col('VARCHAR(65536)').can_expand_to(col('VARCHAR(20)'))]).toEqual([20, true, false]);
    expect([col('VARCHAR(20)').data_type, col('INTEGER').data_type, col('NUMERIC(5, 1)').data_type, col('TEXT').string_size()]).toEqual(['character varying(20)', 'INTEGER', 'NUMERIC(5,1)', 256]);
    expect(() => col('INTEGER').string_size()).toThrow(/string_size\(\) on non-string field/);
  });

  it('a method missing on a value inside a macro is not reported as a missing package', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'macros/m.sql': '{% macro widths(cols) %}{% for col in cols %}{{ col.string_size() }}{% endfor %}{% endmacro %}',
      'models/a.sql': "select '{{ widths([{'name': 'x'}]) }}' as w",
      'models/b.sql': "select {{ dbt_utils.star('x') }}",
    });
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/a\.sql[^\n]*\(a\): cannot call `col\.string_size\(\)` in a macro this template calls: `col` has no `string_size`/);
    expect(r.stderr).not.toMatch(/`col` is not an installed package/);
    // Called in the template itself, an unknown namespace is still named as a missing package.
    expect(r.stderr).toMatch(/models\/b\.sql[^\n]*\(b\): cannot call `dbt_utils\.star`: `dbt_utils` is not an installed package/);
  });

  it("target.database on DuckDB is the file's catalog name, as dbt-duckdb sets it (packages build information_schema queries from it)", async () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/d.sql': "{{ config(materialized='table') }}select '{{ target.database }}' as db, current_database() as cur",
      'models/e.sql': "{{ config(materialized='table', database=target.database) }}select * from {{ ref('d') }}",
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.stdout).toMatch(/PASS=2 /);
    // The model's own database is the target's, so relations still render without it.
    expect(r.stdout).toMatch(/model main\.e /);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select db, cur from main.e')).toEqual([{ db: 'test', cur: 'test' }]);
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

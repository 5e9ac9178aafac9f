// Jinja as dbt renders it: the Python-isms dbt projects rely on, dbt's globals, and macros.
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

function render(sql: string, opts: { args?: string[]; macros?: string; env?: Record<string, string> } = {}): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('tpl', 'vars:\n  cols: [a, b, c]\n  nothing: null\n'),
    'profiles.yml': PROFILE('tpl'),
    'models/m.sql': sql,
    'models/other.sql': 'select 1 as x',
    ...(opts.macros ? { 'macros/m.sql': opts.macros } : {}),
  });
  const r = cli(['compile', '--select', 'm', '--inline', ...(opts.args ?? [])], { cwd: dir, env: opts.env });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

describe('templating', () => {
  it('dict.items(), loop.last, ~ and | join', () => {
    expect(render("{% set d = {'x': 1, 'y': 2} %}{% for k, v in d.items() %}{{ k ~ '=' ~ v }}{{ ', ' if not loop.last }}{% endfor %}")).toBe('x=1, y=2');
    expect(render("{{ var('cols') | join(', ') }}")).toBe('a, b, c');
  });

  it('is none / is not none, .upper() / .lower(), whitespace control and comments', () => {
    expect(render("{% if var('nothing') is none %}none{% endif %}|{% if var('cols') is not none %}some{% endif %}")).toBe('none|some');
    expect(render("{{ 'abc'.upper() }} {{ 'ABC'.lower() }} {{ '  x '.strip() }} {{ 'a,b'.split(',') | length }}")).toBe('ABC abc x 2');
    expect(render('a\n{#- a comment -#}\n{%- set x = 1 -%}\nb')).toBe('ab');
  });

  it('dbt globals: this, target, ds, ds_nodash, run_started_at, var defaults and --vars', () => {
    expect(render("{{ this }} {{ this.identifier }} {{ target.name }} {{ target.type }} {{ target.schema }} {{ target.threads }}")).toBe('"main"."m" m dev duckdb main 4');
    expect(render('{{ ds }} {{ ds_nodash }}', { args: ['--ds', '2024-03-05'] })).toBe('2024-03-05 20240305');
    expect(render("{{ run_started_at.strftime('%Y') | length }}")).toBe('4');
    expect(render("{{ var('missing', 'dflt') }} {{ var('cols')[1] }}", { args: ['--vars', '{cols: [q, r]}'] })).toBe('dflt r');
    expect(render("{{ env_var('CAIRN_TPL_X', 'd') }}", { env: { CAIRN_TPL_X: 'set' } })).toBe('set');
  });

  it('macros from macros/ are callable from models and from each other', () => {
    const macros = "{% macro greet(name) %}hello {{ shout(name) }}{% endmacro %}\n{% macro shout(s) %}{{ s.upper() }}!{% endmacro %}";
    expect(render("{{ greet('bob') }}", { macros })).toBe('hello BOB!');
  });

  it('ref() renders the relation and exposes its parts; config() renders nothing', () => {
    expect(render("{{ config(materialized='table') }}{{ ref('other') }} {{ ref('other').identifier }} {{ ref('other').schema }}")).toBe('"main"."other" other main');
  });

  it('a project generate_schema_name macro decides schemas', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('tpl'),
      'profiles.yml': PROFILE('tpl'),
      'models/m.sql': "{{ config(schema='marts') }}select 1",
      'models/n.sql': 'select * from {{ ref("m") }}',
      'macros/schema.sql': '{% macro generate_schema_name(custom_schema_name, node) -%}{%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}{%- endmacro %}',
    });
    const r = cli(['compile', '--select', 'n', '--inline'], { cwd: dir });
    expect(r.stdout.trim()).toBe('select * from "marts"."m"');
  });
});

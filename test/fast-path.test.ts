// The template fast path must render byte-identically to nunjucks: every bench model both ways,
// compiled as incremental and not (which also checks compiling by substituting relations into the
// parse render), plus hand-written templates for whitespace control and blocks.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterRegistry } from '../adapters/registry.js';
import { makeDag, writeCairnProject } from '../bench/generate.js';
import { compileNode } from '../core/compile/compile-node.js';
import { parseProject } from '../core/compile/parse-project.js';
import { compileTemplate, setFastPath } from '../core/templating/render.js';
import { makeProject, PROFILE, PROJECT, tempDir } from './helpers/project.js';

function renderAll(dir: string, fast: boolean): { sql: Record<string, string>; nodes: string; fastCount: number; reused: number; reusedIds: string[]; reusedTests: number } {
  setFastPath(fast);
  try {
    process.env.CAIRN_NO_PARTIAL_PARSE = '1';
    const p = parseProject({ projectDir: dir, ds: '2024-05-01' }, adapterRegistry);
    const sql: Record<string, string> = {};
    let fastCount = 0;
    const reusedIds: string[] = [];
    let reusedTests = 0;
    for (const n of p.nodes.values()) {
      // Generic tests on built-in test macros also compile from their parse render.
      if (n.resourceType === 'test') {
        if (p.templates.get(n.uniqueId)?.parseRenders) reusedTests++;
        sql[n.uniqueId] = compileNode(p, n).sql;
        continue;
      }
      if (n.resourceType !== 'model') continue;
      // A template compiled from its parse render drops its fast program (it had one to get here).
      if (p.templates.get(n.uniqueId)?.fast || p.templates.get(n.uniqueId)?.parseRenders) fastCount++;
      // Compiled from the parse render by substituting relations (core/compile/reuse-parse-render.ts).
      if (p.templates.get(n.uniqueId)?.parseRenders) reusedIds.push(n.uniqueId);
      for (const inc of [false, true]) sql[`${n.uniqueId}:${inc}`] = compileNode(p, n, { isIncremental: inc }).sql;
    }
    const nodes = JSON.stringify([...p.nodes.values()].map((n) => ({ ...n, dependsOn: n.dependsOn, config: n.config, refs: n.refs })));
    return { sql, nodes, fastCount, reused: reusedIds.length, reusedIds, reusedTests };
  } finally {
    setFastPath(true);
    delete process.env.CAIRN_NO_PARTIAL_PARSE;
  }
}

describe('template fast path', () => {
  afterAll(() => setFastPath(true));

  it('renders every bench model exactly as nunjucks does', () => {
    const dir = join(tempDir('cairn-fast-'), 'p');
    writeCairnProject(dir, makeDag(600));
    const fast = renderAll(dir, true);
    const slow = renderAll(dir, false);
    expect(fast.fastCount).toBe(600);
    expect(slow.fastCount).toBe(0);
    // Every bench model reuses its parse render (its one macro, cents_to_dollars, prints only its
    // arguments); the comparison covers them all.
    expect(fast.reused).toBe(600);
    expect(slow.reused).toBe(0);
    const tests = Object.keys(fast.sql).filter((k) => k.startsWith('test.')).length;
    expect(tests).toBeGreaterThan(100);
    expect(fast.reusedTests).toBe(tests);
    expect(slow.reusedTests).toBe(0);
    expect(Object.keys(fast.sql).length).toBe(1200 + tests);
    for (const k of Object.keys(slow.sql)) expect(fast.sql[k], k).toBe(slow.sql[k]);
    expect(fast.nodes).toBe(slow.nodes);
  });

  it('matches nunjucks on whitespace control, comments, elif/else, not, kwargs and loops', () => {
    const models: Record<string, string> = {
      'models/base.sql': 'select 1 as id',
      'models/ws.sql': "{{- config(materialized='table', tags=['a', 'b'], enabled=true) -}}\n\n  select *  {#- a comment -#}\n from {{ ref('base') -}}  \n where 1 = 1 {%- if is_incremental() %} and x {%- else -%} and y {% endif -%}\n\n",
      'models/blocks.sql': "{% set cols = ['a', 'b', \"c\"] %}{% set n = 3 %}{% set f = 1.5 %}{% set none_ = None %}\nselect {% for c in cols %}{{ c }}{{ loop.index0 }}{% if loop.first %}F{% elif loop.last %}L{% else %}M{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}\n, {{ n }}, {{ f }}, '{{ none_ }}', {{ var('v', 7) }}, {{ var('s') }}, {{ this }}, {{ this.identifier }}, {{ target.name }}\n{# multi\nline #}from {{ ref('base') }}{% if not is_incremental() %} -- full{% endif %}\n",
      'models/macro_call.sql': "{{ config(materialized='incremental', unique_key=['id']) }}select {{ twice('x', n=3) }}, {{ twice(\"y\") }} from {{ ref('ws') }}{% if is_incremental() %} where ts > (select max(ts) from {{ this }}){% endif %}",
      'models/nested.sql': "{% set outer = [[1, 2], [3]] %}{% for xs in outer %}{% for x in xs %}{{ x }}/{{ loop.length }}/{{ loop.revindex }};{% endfor %}|{% endfor %}\nselect 1 from {{ ref('blocks') }}",
      'models/fallback.sql': "{% set x = 'a' ~ 'b' %}select '{{ x | upper }}' from {{ ref('base') }}",
      'macros/m.sql': "{% macro twice(col, n=2) -%}\n  {{ col }} * {{ n }}\n{%- endmacro %}",
      'dbt_project.yml': PROJECT('fp', 'vars:\n  s: hello\n'),
      'profiles.yml': PROFILE('fp'),
    };
    const dir = makeProject(models);
    const fast = renderAll(dir, true);
    const slow = renderAll(dir, false);
    expect(fast.fastCount).toBe(4); // all but base.sql (no Jinja at all) and fallback.sql
    for (const k of Object.keys(slow.sql)) expect(fast.sql[k], k).toBe(slow.sql[k]);
    expect(fast.nodes).toBe(slow.nodes);
  });

  it('compiles from the parse render only models whose macros print nothing but their arguments', () => {
    const macros = [
      "{% macro twice(col, n=2) -%} {{ col }} * {{ n }} {%- endmacro %}",
      '{% macro wrap(rel) %}({{ rel }}){% endmacro %}',
      '{% macro both(a) %}{{ twice(a) }} + {{ wrap(a) }}{% if not a %}none{% endif %}{% endmacro %}',
      "{% macro listed(sep=', ') %}{% set cs = ['a', 'b'] %}{% for c in cs %}{{ c }}{{ sep }}{{ loop.index }}{% endfor %}{% endmacro %}",
      // Impure: reads `execute` (false when parsing), iterates an argument (a relation when
      // compiling, its placeholder text when parsing), reads an attribute, a default that is not a
      // literal, calls an impure macro.
      '{% macro when_exec() %}{% if execute %}yes{% else %}no{% endif %}{% endmacro %}',
      '{% macro each(xs) %}{% for x in xs %}<{{ x }}>{% endfor %}{% endmacro %}',
      '{% macro ident(rel) %}{{ rel.identifier }}{% endmacro %}',
      '{% macro dflt(x=execute) %}{{ x }}{% endmacro %}',
      '{% macro calls_impure() %}{{ when_exec() }}{% endmacro %}',
    ].join('\n');
    const dir = makeProject({
      'models/base.sql': 'select 1 as id',
      'models/pure_calls.sql': "select {{ twice('x') }}, {{ twice('y', n=3) }}, {{ wrap(ref('base')) }}, {{ both(ref('base')) }}, {{ listed() }} from {{ ref('base') }}",
      'models/uses_execute.sql': "select '{{ when_exec() }}' from {{ ref('base') }}",
      'models/iterates_ref.sql': "select '{{ each(ref('base')) }}' from {{ ref('base') }}",
      'models/iterates_list.sql': "select '{{ each(['p', 'q']) }}' from {{ ref('base') }}",
      'models/attribute.sql': "select '{{ ident(ref('base')) }}' from {{ ref('base') }}",
      'models/default_var.sql': "select '{{ dflt() }}' from {{ ref('base') }}",
      'models/nested_impure.sql': "select '{{ calls_impure() }}' from {{ ref('base') }}",
      'macros/m.sql': macros,
      'dbt_project.yml': PROJECT('pm', 'vars:\n  s: hello\n'),
      'profiles.yml': PROFILE('pm'),
    });
    const fast = renderAll(dir, true);
    const slow = renderAll(dir, false);
    for (const k of Object.keys(slow.sql)) expect(fast.sql[k], k).toBe(slow.sql[k]);
    expect(fast.sql['model.pm.uses_execute:false']).toContain("'yes'");
    expect(fast.reusedIds.sort()).toEqual(['model.pm.pure_calls']);
  });

  it('falls back to nunjucks for what it does not model, keeping nunjucks errors', () => {
    const dir = makeProject({
      'models/bad.sql': "select {{ var('missing_var') }}",
      'dbt_project.yml': PROJECT('fe'),
      'profiles.yml': PROFILE('fe'),
    });
    const run = (fast: boolean) => {
      setFastPath(fast);
      try {
        parseProject({ projectDir: dir }, adapterRegistry);
        return 'no error';
      } catch (e) {
        return `${(e as { code?: string }).code}: ${(e as Error).message} @${JSON.stringify((e as { location?: unknown }).location)}`;
      } finally {
        setFastPath(true);
      }
    };
    const a = run(true);
    expect(a).toMatch(/VAR_MISSING/);
    expect(a).toBe(run(false));
  });
});

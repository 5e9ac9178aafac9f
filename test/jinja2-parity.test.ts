// Jinja2 as dbt code writes it renders as Jinja2/dbt renders it (issue 23). The fixture project
// test/fixtures/jinja2-parity has one model per point; each golden in test/goldens/jinja2-parity was
// written by hand from Jinja2's and dbt's documentation (Python's str() for printed values, Jinja2's
// filters and loop variables, dbt's return() and `do`), not from cairn's output.
import { cpSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT, repoRoot, tempDir } from './helpers/project.js';
import { createTemplateEnv } from '../core/templating/environment.js';
import { loadMacros } from '../core/templating/macros.js';
import { compileTemplate, renderTemplate, setFastPath } from '../core/templating/render.js';

const goldenDir = join(repoRoot, 'test/goldens/jinja2-parity');
const models = readdirSync(join(repoRoot, 'test/fixtures/jinja2-parity/models')).map((f) => f.replace(/\.sql$/, ''));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fixture(): string {
  const dir = tempDir('cairn-jinja2-');
  dirs.push(dir);
  cpSync(join(repoRoot, 'test/fixtures/jinja2-parity'), dir, { recursive: true });
  // Files an hour old, so the partial-parse cache trusts their stat and serves what it stored.
  const past = new Date(Date.now() - 3600_000);
  for (const sub of ['models', 'macros']) for (const f of readdirSync(join(dir, sub))) utimesSync(join(dir, sub, f), past, past);
  for (const f of ['dbt_project.yml', 'profiles.yml']) utimesSync(join(dir, f), past, past);
  return dir;
}

function compiled(dir: string): Record<string, string> {
  return Object.fromEntries(models.map((m) => [m, readFileSync(join(dir, 'target/compiled/jinja2_parity/models', `${m}.sql`), 'utf8')]));
}

describe('the jinja2-parity fixture compiles to the hand-written goldens', () => {
  it('without the partial-parse cache, cold with it, and warm from it', () => {
    expect(models.length).toBeGreaterThanOrEqual(10);
    const dir = fixture();
    const runs: Array<[string, Record<string, string | undefined>]> = [
      ['no cache', { CAIRN_NO_PARTIAL_PARSE: '1' }],
      ['cache, cold', {}],
      ['cache, warm', {}],
    ];
    for (const [label, env] of runs) {
      rmSync(join(dir, 'target/compiled'), { recursive: true, force: true });
      const r = cli(['compile'], { cwd: dir, env });
      expect(r.code, `${label}: ${r.stderr}`).toBe(0);
      const got = compiled(dir);
      for (const m of models) expect(got[m], `${label}: ${m}`).toBe(readFileSync(join(goldenDir, `${m}.sql`), 'utf8'));
    }
    // `config(materialized='table',)`: the trailing comma still passes the keyword.
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.jinja2_parity.trailing_commas'].config.materialized).toBe('table');
    expect(manifest.nodes['model.jinja2_parity.strings'].config.materialized).toBe('view');
  });

  it('the compiled SQL runs on DuckDB', () => {
    const dir = fixture();
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASS=10');
  });
});

describe('{% do %} in dbt_project.yml hooks', () => {
  it('runs on-run-start and post-hook statements that use do', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('hooks', `on-run-start:
  - "{% set t = [] %}{% do t.append('start') %}create table if not exists main.hook_marker as select '{{ t[0] }}' as v"
models:
  hooks:
    +post-hook: "{% set parts = ['post'] %}{% do parts.append('ok') %}insert into main.hook_marker select '{{ parts | join('_') }}'"
`),
      'profiles.yml': PROFILE('hooks'),
      'models/m.sql': 'select 1 as x',
    });
    dirs.push(dir);
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const shown = cli(['show', '--inline', 'select string_agg(v, \',\' order by v) as vs from main.hook_marker'], { cwd: dir });
    expect(shown.stdout).toContain('post_ok,start');
  });
});

describe('run-time template errors', () => {
  it('name the line of the model (nunjucks records them counting from 0) and Jinja2\'s message', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('errs'),
      'profiles.yml': PROFILE('errs'),
      'macros/m.sql': '{% macro m(a) %}{{ a }}{% endmacro %}',
      'models/a.sql': 'select 1\n\n\n, {{ var("nope") }}',
      'models/b.sql': 'select 1\n, {{ m(1, 2) }}',
    });
    dirs.push(dir);
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('models/a.sql:4 (a): required var `nope` is not defined');
    expect(r.stderr).toMatch(/models\/b\.sql:2:\d+ \(b\): Jinja error: macro 'm' takes not more than 1 argument\(s\)/);
  });
});

/** Renders `src` with `macros` loaded, in an empty scope. */
function render(src: string, macros = ''): string {
  const tenv = createTemplateEnv();
  if (macros) loadMacros(tenv, [{ path: 'macros/m.sql', content: macros } as never]);
  return renderTemplate(tenv, compileTemplate(tenv, src, 'models/x.sql'), {});
}

describe('Jinja2 semantics, one expression at a time', () => {
  const cases: Array<[string, string, string?]> = [
    // Python's str() of printed values.
    ['{{ none }}|{{ true }}|{{ false }}|{{ undefined_name }}', 'None|True|False|'],
    ["{{ [1, 'a', none] }}", "[1, 'a', None]"],
    ["{{ {'a': [1, 2]} }}", "{'a': [1, 2]}"],
    ["{{ 'x' ~ [1] ~ none }}", 'x[1]None'],
    ['{{ [1] + [2] }}', '[1, 2]'],
    ['{{ (1, 2) | length }}', '2'],
    // Python truth: empty lists, dicts and strings are false; `or`/`and` return an operand.
    ['{% if {} %}y{% else %}n{% endif %}{% if not [] %}!{% endif %}', 'n!'],
    ["{{ [] or 'b' }}|{{ [] and 'b' }}|{{ 'a' and 'b' }}|{{ 0 and 'b' }}", 'b|[]|b|0'],
    ['{% if m() %}y{% else %}n{% endif %}', 'n', '{% macro m() %}{% endmacro %}'],
    // `==` and `in` as in Python: macro output is text, lists and dicts compare by content.
    ["{{ m() == 'x' }}|{{ m() == m() }}|{{ m() in ['x'] }}|{{ m() | trim in ['x'] }}", 'True|True|True|True', '{% macro m() %}x{% endmacro %}'],
    ["{{ '1' == 1 }}|{{ 1 == 1.0 }}|{{ [1, [2]] == [1, [2]] }}|{{ {'a': 1} != {'a': 1} }}|{{ 1 < 2 < 3 }}|{{ 3 > 2 > 2 }}", 'False|True|True|False|True|False'],
    // Trailing commas, adjacent strings, expression keys.
    ["{{ m(1, 2,) }}|{{ [1,] }}|{{ {'a': 1,} }}", "3|[1]|{'a': 1}", '{% macro m(a, b,) %}{{ a + b }}{% endmacro %}'],
    ['{{ "a" \'b\' "c" }}', 'abc'],
    ["{% set k = 'x' %}{{ {k: 1, k.upper(): 2, 'a' ~ 'b': 3} }}", "{'x': 1, 'X': 2, 'ab': 3}"],
    ["{{ {'a': {'b': [1, {'c': 2}]}} }}", "{'a': {'b': [1, {'c': 2}]}}"],
    // *args / **kwargs, varargs / kwargs.
    ["{{ m(*[1, 2], **{'c': 3}) }}", '1 2 3', '{% macro m(a, b, c) %}{{ a }} {{ b }} {{ c }}{% endmacro %}'],
    ["{{ m(1, 2, 3, k='v') }}", "1 [2, 3] {'k': 'v'}", '{% macro m(a) %}{{ a }} {{ varargs }} {{ kwargs }}{% endmacro %}'],
    // return(): leaves at once, hands back the value itself.
    ['{{ f([0, 5, 7]) }}', '5', '{% macro f(xs) %}{% for x in xs %}{% if x > 0 %}{{ return(x) }}{% endif %}{% endfor %}{{ return(-1) }}{% endmacro %}'],
    ['{{ f() | length }}', '2', '{% macro f() %}{% do return([1, 2]) %}{% endmacro %}'],
    ["{{ f()['a'] }}|{{ f() is mapping }}", '1|True', "{% macro f() %}{{ return({'a': 1}) }}{% endmacro %}"],
    ['{{ f() is none }}|{{ f() }}', 'True|None', '{% macro f() %}{% do return(none) %}{% endmacro %}'],
    ['[{{ outer() }}]', '[x]', "{% macro inner() %}{{ return('x') }}{% endmacro %}{% macro outer() %}{{ inner() }}{% endmacro %}"],
    // namespace() and scoping: a set inside a loop does not leak out of it.
    ['{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}', '6'],
    ['{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}', '21'],
    // Indexes, slices, operators, unpacking.
    ["{{ 'a.b.c'.split('.')[-1] }}|{{ 'abcdef'[:3] }}|{{ 'abc'[::-1] }}|{{ [1, 2, 3][1:] }}", "c|abc|cba|[2, 3]"],
    ["{{ '=' * 3 }}|{{ [0] * 2 }}|{{ 7 % 3 }}|{{ '%s_%s' % ('a', 1) }}|{{ '%.2f' % 1.5 }}", '===|[0, 0]|1|a_1|1.50'],
    ['{% set a, b = 1, 2 %}{% set c, d = [3, 4] %}{{ a }}{{ b }}{{ c }}{{ d }}', '1234'],
    ['{% set x -%}   hi{% endset %}[{{ x }}]', '[hi]'],
    ['{% set a = 0 %}{% with a = 5, b = a + 1 %}{{ a }}{{ b }}{% set c = 1 %}{% endwith %}{{ a }}{{ c }}', '510'],
    ['{{ 6 is divisibleby 3 }}|{{ 6 is not divisibleby(4) }}|{{ 1 is defined and 2 is odd }}', 'True|True|False'],
    ["{{ dict(a=1) }}|{{ dict({'x': 1}, y=2) }}", "{'a': 1}|{'x': 1, 'y': 2}"],
    // Methods.
    ["{{ 'a b  c'.split() }}|{{ 'a.b.c'.split('.', 1) }}|{{ 'x'.startswith(('y', 'x')) }}", "['a', 'b', 'c']|['a', 'b.c']|True"],
    ["{{ '{0}-{name}'.format(1, name='n') }}|{{ m().strip() }}", '1-n|hi', '{% macro m() %}  hi  {% endmacro %}'],
    ["{% set l = [3] %}{{ l.append(4) }}|{{ l.pop(0) }}|{{ l }}", 'None|3|[4]'],
    ["{% set d = {} %}{{ d.get('x') }}|{{ d.setdefault('y', 1) }}|{{ d.items() | list | length }}", 'None|1|1'],
    // Filters and tests.
    ["{{ ['a', 'A', 'b'] | unique | list }}|{{ ['a', 'A'] | unique(case_sensitive=true) | list }}", "['a', 'b']|['a', 'A']"],
    ["{{ [{'a': {'b': 1}}, {}] | map(attribute='a.b', default=0) | list }}", '[1, 0]'],
    ["{{ ['a', 'b'] | map('upper') | join }}", 'AB'],
    ["{{ [1, 2, 3] | reject('odd') | list }}|{{ [none, 1] | select | list }}", '[2]|[1]'],
    ["{{ {'b': 1, 'a': 'é'} | tojson }}", '{"a": "\\u00e9", "b": 1}'],
        // dbt's TEXT_FILTERS: in SQL templates these return their input ('false' stays a true string).
    ["{% if 'false' | as_bool %}t{% endif %}|{{ '1.50' | as_number }}", 't|1.50'],
    ['{{ {} is iterable }}|{{ 1 is iterable }}|{{ true is number }}|{{ none is defined }}', 'True|False|True|True'],
    ["{{ [{'n': 'a'}, {'n': 'b'}] | join(', ', attribute='n') }}|{{ [1, none] | join(',') }}|{{ [{'n': 2}, {'n': 1}] | sum(attribute='n') }}", 'a, b|1,None|3'],
    ["{{ [3, 1, 2] | min }}|{{ ['b', 'A'] | max }}|{{ 'abc' | count }}|{{ '%s-%s' | format('a', 1) }}|{{ 'xxhixx' | trim('x') }}", "1|b|3|a-1|hi"],
    ["{% for g in [{'k': 'y', 'v': 1}, {'k': 'x', 'v': 2}, {'k': 'y', 'v': 3}] | groupby('k') %}{{ g.grouper }}{{ g.list | map(attribute='v') | list }}{% endfor %}", 'x[2]y[1, 3]'],
    // Loops.
    ["{% for x in 'ab' %}{{ loop.index }}{{ loop.revindex }}{{ loop.first }}{% endfor %}", '12True21False'],
    ["{% for x in [1, 2, 3] %}{% if loop.nextitem %}{{ loop.nextitem }}{% endif %}{% endfor %}", '23'],
    ["{% for x in [1, 2, 3, 4] if x is odd %}{{ x }}{{ loop.index }}{{ ',' if not loop.last }}{% endfor %}", '11,32'],
    ["{% set ex = ['b'] %}{% for c in ['a', 'b', 'c'] if c not in ex %}{{ c }}{% else %}none{% endfor %}", 'ac'],
    ["{% for x in [1, 2, 3] %}{{ loop.previtem }}{{ loop.cycle('a', 'b') }}{% endfor %}", 'a1b2a'],
  ];
  for (const [src, want, macros] of cases) {
    it(src, () => {
      expect(render(src, macros)).toBe(want);
      // The template fast path (fast-path.ts) must agree with nunjucks wherever it takes a template.
      setFastPath(false);
      try {
        expect(render(src, macros)).toBe(want);
      } finally {
        setFastPath(true);
      }
    });
  }

  const errors: Array<[string, RegExp, string?]> = [
    ['{{ m(1, 2) }}', /macro 'm' takes not more than 1 argument/, '{% macro m(a) %}{{ a }}{% endmacro %}'],
    ['{{ m(b=2) }}', /macro 'm' takes no keyword argument 'b'/, '{% macro m(a) %}{{ a }}{% endmacro %}'],
    ['{% set d = {} %}{% set d.x = 1 %}', /cannot assign attribute on non-namespace object/],
    ['{{ return(1) }}', /return\(\) was called outside a macro/],
    ['{% break %}', /outside a for loop/],
    ['{% set a, b = [1] %}', /not enough values to unpack: 2 names, 1 values/],
  ];
  for (const [src, re, macros] of errors) {
    it(`error: ${src}`, () => expect(() => render(src, macros)).toThrow(re));
  }

  it('error: a macro that declares *args is a syntax error naming the macro (Jinja2 has none)', () => {
    expect(() => render('{{ m() }}', '{% macro m(*args) %}{% endmacro %}')).toThrow(/macro `m`: Jinja2 macros do not declare `\*args`/);
  });
});

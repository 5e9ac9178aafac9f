// The pieces of introspection on their own: the agate-like table as templates see it, the session's
// replay, and what parse time (execute false) and commands without introspection do.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { afterEach, describe, expect, it } from 'vitest';
import { AgateTable } from '../core/templating/introspection/agate.js';
import { IntrospectionSession, type DbRequest } from '../core/templating/introspection/session.js';
import { createTemplateEnv } from '../core/templating/environment.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('agate-like table in templates', () => {
  const printed: string[] = [];
  const t = AgateTable.of({
    columns: [{ name: 'id', type: 'BIGINT' }, { name: 'day', type: 'DATE' }, { name: 'label', type: 'VARCHAR' }],
    rows: [{ id: 1n, day: new Date('2024-01-02T00:00:00Z'), label: 'a' }, { id: 2n, day: null, label: 'b' }],
  }, (s) => printed.push(s));
  const render = (src: string) => new nunjucks.Template(src, createTemplateEnv().env, 'x.sql', true).render({ t });

  it('indexes rows and columns by position and by name; values() is the column, not a dict method', () => {
    expect(render("{{ t.rows[0][0] }}|{{ t.rows[1]['label'] }}|{{ t.rows[0].day }}|{{ t.rows | length }}")).toBe('1|b|2024-01-02|2');
    expect(render("{{ t.columns[0].values() | join(',') }}|{{ t.columns['label'].values() | join(',') }}|{{ t.columns[1].values()[1] is none }}")).toBe('1,2|a,b|True');
    expect(render("{{ t.column_names | join(',') }}|{{ t.column_types | join(',') }}|{% for v in t.rows[1] %}{{ v }};{% endfor %}")).toBe('id,day,label|BIGINT,DATE,VARCHAR|2;None;b;');
    expect(render("{{ t.rows[0].keys() | join(',') }}|{{ t.rows[0].values() | join(',') }}")).toBe('id,day,label|1,2024-01-02,a');
    // A table iterates its rows and its length is theirs, as in agate (dbt_utils: `for row in table`).
    expect(render('{% for row in t %}{{ row.label }}{{ row[0] }};{% endfor %}|{{ t | length }}')).toBe('a1;b2;|2');
    // dbt_utils reads rows by attribute too (`row.table_name`).
    expect(render('{{ t.rows[1].label }}{{ t.rows[0].id + 1 }}')).toBe('b2');
  });

  it('print_table writes a grid to the log and prints nothing in the SQL', () => {
    expect(render('{{ t.print_table() }}')).toBe('');
    expect(printed.at(-1)).toBe('| id | day        | label |\n| -- | ---------- | ----- |\n| 1  | 2024-01-02 | a     |\n| 2  |            | b     |');
  });
});

describe('introspection session', () => {
  const q = (sql: string): DbRequest => ({ kind: 'query', sql, fetch: true, caller: 'run_query' });
  const stop = () => new Error('stop');

  it('stops at the first unknown request, then replays answers in order', () => {
    const s = new IntrospectionSession();
    expect(() => s.ask(q('a'), stop)).toThrow('stop');
    expect(s.pending).toEqual(q('a'));
    s.answer(q('a'), { rows: [{ x: 1 }] });
    s.restart();
    expect(s.ask(q('a'), stop)).toEqual({ rows: [{ x: 1 }] });
    expect(() => s.ask(q('b'), stop)).toThrow('stop');
    s.answer(q('b'), { rows: [] });
    // The same SQL twice is two requests (a side effect runs once per call).
    s.restart();
    s.ask(q('a'), stop);
    s.ask(q('b'), stop);
    expect(() => s.ask(q('a'), stop)).toThrow('stop');
    expect(s.answered).toBe(2);
  });

  it('a render that takes another path drops the answers of the old one', () => {
    const s = new IntrospectionSession();
    try { s.ask(q('a'), stop); } catch { /* stopped */ }
    s.answer(q('a'), 1 as never);
    s.restart();
    s.ask(q('a'), stop);
    try { s.ask(q('b'), stop); } catch { /* stopped */ }
    s.answer(q('b'), 2 as never);
    s.restart();
    s.ask(q('a'), stop);
    expect(() => s.ask(q('c'), stop)).toThrow('stop');
    expect(s.answered).toBe(1);
  });
});

describe('introspection and the commands', () => {
  it('parse time (execute false) reads nothing; compile reads the engine only for models that introspect', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/plain.sql': 'select 1 as id',
      'models/helpers.sql': `{%- set y = fromyaml('a: [1, 2]\\nb: {c: x}') -%}
{%- set pairs = [] -%}{%- for n, l in zip([1, 2], ['x', 'y']) %}{% do pairs.append(n ~ l) %}{% endfor -%}
select {{ y['a'] | length }} as n, '{{ y['b']['c'] }}' as c, '{{ toyaml({'k': [1, 2]}) | trim | replace('\\n', ' ') }}' as yml,
  '{{ tojson(fromjson('{"k": [1]}')) }}' as js, '{{ pairs | join(',') }}' as zipped, {{ set([1, 1, 2]) | length }} as distinct_n
{{- exceptions.warn('careful: helpers') }}
{%- for rel in [ref('plain'), this, load_relation(this) or this] %}
{%- if not (rel is mapping and rel.get('metadata', {}).get('type', '').endswith('Relation')) %}{{ exceptions.raise_compiler_error('dbt_utils would not see a relation in ' ~ rel) }}{% endif %}
{%- endfor %}`,
      'models/asks.sql': "{{ log('asking', info=True) }}{% set t = run_query('select 41 + 1 as answer') %}select {{ t.rows | length }} as n, {{ t.columns[0].values()[0] if execute else 0 }} as answer",
    });
    dirs.push(dir);
    // ls parses every model (execute false): no connection, so no database file.
    expect(cli(['ls'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'test.duckdb'))).toBe(false);
    // A model with no introspection compiles without connecting.
    expect(cli(['compile', '--select', 'plain'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'test.duckdb'))).toBe(false);
    const r = cli(['compile'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'target/compiled/p/models/asks.sql'), 'utf8')).toBe('select 1 as n, 42 as answer');
    expect(readFileSync(join(dir, 'target/compiled/p/models/helpers.sql'), 'utf8')).toBe(
      `select 2 as n, 'x' as c, 'k:   - 1   - 2' as yml,\n  '{"k": [1]}' as js, '1x,2y' as zipped, 2 as distinct_n`,
    );
    // exceptions.warn at compile time is a warning in the output (once, not once per render).
    expect(r.stdout.match(/\[WARNING\] careful: helpers/g)?.length).toBe(1);
    // A model that logs, then reads the database, renders twice and logs once.
    expect(r.stdout.match(/ asking\n/g)?.length).toBe(1);
  });
});

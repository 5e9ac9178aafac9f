// dbt's global macros (`dbt.type_string()`, `dbt.dateadd(...)`, ...) through adapter.dispatch, the
// rest of dbt's context (api, builtins, local_md5, modules, graph, `<project>.macro`), hooks rendered
// when they run, a macro file that does not compile, and unit-test inputs that list some columns.
// Goldens: UPDATE_GOLDENS=1 npx vitest run test/dbt-globals.test.ts rewrites them after a reviewed change.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, makeProject, PROFILE, PROJECT, repoRoot, tempDir } from './helpers/project.js';

const MODELS = ['g_types', 'g_dates', 'g_strings', 'g_aggregates', 'g_sets', 'g_arrays', 'g_series', 'g_context'];
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function fixture(): string {
  const dir = tempDir('cairn-globals-');
  dirs.push(dir);
  cpSync(join(repoRoot, 'test/fixtures/dbt-globals'), dir, { recursive: true });
  return dir;
}

function project(files: Record<string, string>): string {
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
}

function checkGolden(adapter: string, name: string, actual: string) {
  const path = join(repoRoot, 'test/goldens/dbt-globals', adapter, name);
  if (process.env.UPDATE_GOLDENS) writeFileSync(path, actual);
  expect(existsSync(path), `golden ${adapter}/${name} is missing: run with UPDATE_GOLDENS=1 and review it`).toBe(true);
  expect(actual, `${adapter}/${name}`).toBe(readFileSync(path, 'utf8'));
}

describe('dbt global macros: compiled SQL per adapter (goldens)', () => {
  for (const target of ['dev', 'dremio']) {
    it(`${target === 'dev' ? 'duckdb' : 'dremio'}: every global macro, qualified and unqualified`, () => {
      const dir = fixture();
      const r = cli(['compile', '--target', target], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      for (const m of MODELS) {
        checkGolden(target === 'dev' ? 'duckdb' : 'dremio', `${m}.sql`, readFileSync(join(dir, 'target/compiled/globals/models', `${m}.sql`), 'utf8'));
      }
    });
  }
});

describe('dbt global macros on DuckDB: the SQL they render runs and gives the right values', () => {
  const dir = fixture();
  const db = join(dir, 'globals.duckdb');
  const one = async (table: string) => (await queryDuckdb(db, `select * from main.${table}`))[0]!;

  it('builds every model', () => {
    const r = cli(['build'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS=8 WARN=0 ERROR=0/);
  });

  it('types', async () => {
    const cols = await queryDuckdb(db, "select column_name, data_type from information_schema.columns where table_name = 'g_types' order by ordinal_position");
    expect(cols.map((c) => c.data_type)).toEqual(['VARCHAR', 'TIMESTAMP', 'FLOAT', 'DECIMAL(28,6)', 'BIGINT', 'INTEGER', 'BOOLEAN']);
  });

  it('dates: dateadd, datediff, date_trunc, last_day, date, current_timestamp', async () => {
    const r = await one("g_dates");
    const day = (v: unknown) => new Date(v as string | Date).toISOString().slice(0, 10);
    expect(day(r.plus_day)).toBe('2024-02-01');
    expect(day(r.minus_months)).toBe('2024-01-31');
    expect(day(r.plus_quarter)).toBe('2024-04-15');
    expect(r.months_between).toBe(2);
    expect(r.days_between).toBe(1); // boundaries crossed, not whole days elapsed
    expect(day(r.month_start)).toBe('2024-05-01');
    expect(day(r.feb_end)).toBe('2024-02-29');
    expect(day(r.quarter_end)).toBe('2024-06-30');
    expect(day(r.built_date)).toBe('2023-10-04');
    expect(r.has_now).toBe(true);
    expect(r.has_now_backcompat).toBe(true);
    // A naive timestamp holding UTC wall time (read back as if UTC): close to now whatever TZ is.
    expect(Math.abs(new Date(r.utc_now as string | Date).getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('strings and casts', async () => {
    expect(await one('g_strings')).toEqual({
      joined: 'a-b', hashed: expect.stringMatching(/^[0-9a-f]{32}$/), second_part: 'b', lit: 'it',
      escaped: "they're", pos: 3, replaced: 'a-b-', last3: 'def', len: 6, bool_text: 'true', safe_ok: 12, casted: 7, same: true,
    });
    const [h] = await queryDuckdb(db, "select hashed = md5('cairn') as same from main.g_strings");
    expect(h!.same).toBe(true);
  });

  it('aggregates: any_value, bool_or, listagg with order', async () => {
    const rows = await queryDuckdb(db, 'select * from main.g_aggregates order by k');
    expect(rows).toEqual([
      { k: 1, has_any: true, any_flag: true, listed: 'y, x' },
      { k: 2, has_any: true, any_flag: false, listed: 'z' },
    ]);
  });

  it('except / intersect, arrays, generate_series', async () => {
    // INTERSECT binds tighter than EXCEPT: {1,2,3} except ({2} intersect {1,2}).
    expect(await queryDuckdb(db, 'select k from main.g_sets order by k')).toEqual([{ k: 1 }, { k: 3 }]);
    const a = await one('g_arrays');
    expect([a.arr, a.appended, a.concatenated].map((x) => JSON.stringify(x))).toEqual(['[1,2]', '[1,2,3]', '[1,2,3]']);
    expect((await queryDuckdb(db, 'select generated_number from main.g_series order by 1')).map((r) => r.generated_number)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the default generate_series (used where the engine has none) gives 1..n too', async () => {
    const dir2 = project({
      'dbt_project.yml': PROJECT('gs'),
      'profiles.yml': PROFILE('gs'),
      'models/s.sql': "{{ config(materialized='table') }}{{ dbt.default__generate_series(13) }}",
    });
    expect(cli(['run'], { cwd: dir2 }).code).toBe(0);
    const got = await queryDuckdb(join(dir2, 'test.duckdb'), 'select generated_number as n from main.s order by 1');
    expect(got.map((r) => r.n)).toEqual(Array.from({ length: 13 }, (_x, i) => i + 1));
  });

  it('api.Relation.create, builtins.ref, local_md5, <project>.macro, modules, graph', async () => {
    expect(await one('g_context')).toEqual({
      builtin_ref: '"main"."g_types"', created_relation: '"db"."sch"."tbl"', created_identifier: 'tbl',
      md5_text: '87f29599d06dad63eb067d9f1f7fb775', project_macro: 'hello bob', py_date: '2024/02/29', py_re: 'orders-2024', py_product: '4',
      graph_type: 'model', graph_fqn: 'globals.g_types', graph_materialized: 'table', graph_sources: '0', graph_node_count: 8,
    });
  });
});

describe('adapter.dispatch search order and overrides', () => {
  const render = (sql: string, macros = '') => {
    const dir = project({
      'dbt_project.yml': PROJECT('disp'),
      'profiles.yml': PROFILE('disp'),
      'models/m.sql': sql,
      ...(macros ? { 'macros/over.sql': macros } : {}),
    });
    return cli(['compile', '--select', 'm', '--inline'], { cwd: dir });
  };

  it("a project's duckdb__ / default__ implementation overrides dbt's, qualified and unqualified", () => {
    const r = render("{{ dbt.type_string() }} {{ type_string() }} {{ dbt.hash('x') }} {{ dbt.right('s', 2) }}",
      "{% macro duckdb__type_string() %}varchar(100){% endmacro %}{% macro default__right(s, n) %}substr({{ s }}, -{{ n }}){% endmacro %}");
    expect(r.code, r.stderr).toBe(0);
    // hash calls api.Column.translate_type itself: not the overridden type_string.
    expect(r.stdout.trim()).toBe('varchar(100) varchar(100) md5(cast(x as TEXT)) substr(s, -2)');
  });

  it("a project macro with a global's name wins unqualified; dbt.x stays dbt's", () => {
    const r = render('{{ type_int() }} {{ dbt.type_int() }}', '{% macro type_int() %}int4{% endmacro %}');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('int4 integer');
  });

  it("adapter.dispatch of the project's own macro, and a clear error when nothing matches", () => {
    const ok = render("{{ adapter.dispatch('greet')('x') }} {{ adapter.dispatch('greet', 'disp')('y') }} {{ adapter.dispatch('type_int', macro_namespace='dbt')() }}",
      '{% macro default__greet(n) %}hi {{ n }}{% endmacro %}{% macro duckdb__greet(n) %}duck {{ n }}{% endmacro %}');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('duck x duck y integer');
    const bad = render("{{ adapter.dispatch('nothing_here', 'dbt')() }}");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/adapter\.dispatch: no macro named `nothing_here` in namespace `dbt`/);
    expect(bad.stderr).toMatch(/disp\.duckdb__nothing_here, disp\.default__nothing_here, dbt\.duckdb__nothing_here, dbt\.default__nothing_here/);
    expect(bad.stderr).toMatch(/models\/m\.sql/);
  });

  it('modules.re / itertools / datetime subsets and graph.nodes after parsing', () => {
    const r = render(`{{ modules.re.sub('[0-9]+', '#', 'a1b22') }} {{ modules.re.findall('([a-z])([0-9])', 'a1b2') | length }} \
{{ modules.itertools.combinations([1, 2, 3], 2) | length }} {{ modules.itertools.chain([1], [2, 3]) | join(',') }} \
{{ modules.datetime.datetime(2024, 1, 2, 3, 4, 5).strftime('%Y-%m-%dT%H:%M:%S') }} {{ modules.datetime.datetime.strptime('2024-03-04', '%Y-%m-%d').day }} \
{{ graph.nodes | length }} {% for n in graph.nodes.values() %}{{ n.name }}:{{ n.depends_on.nodes | length }}{% endfor %}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('a#b# 2 3 1,2,3 2024-01-02T03:04:05 4 1 m:0');
  });
});

describe('graph', () => {
  it('graph.nodes and graph.sources hold the parsed project: columns, depends_on, source fields', () => {
    const dir = project({
      'dbt_project.yml': PROJECT('gr'),
      'profiles.yml': PROFILE('gr'),
      'models/sources.yml': `sources:
  - name: raw
    schema: landing
    tables:
      - name: events
        identifier: evt
        columns: [{name: id, description: the key}]
models:
  - name: stg
    description: staged
    columns: [{name: id, description: event id}]
`,
      'models/stg.sql': "{{ config(tags=['t1']) }}select id from {{ source('raw', 'events') }}",
      'models/m.sql': `{% if execute %}{% set s = graph.sources['source.gr.raw.events'] %}{% set n = graph.nodes['model.gr.stg'] %}\
{{ s.source_name }}|{{ s.name }}|{{ s.identifier }}|{{ s.schema }}|{{ s.columns.id.description }}|\
{{ n.unique_id }}|{{ n.package_name }}|{{ n.tags | join(',') }}|{{ n.columns.id.description }}|{{ n.depends_on.nodes | join(',') }}|{{ n.description }}{% endif %}`,
    });
    const r = cli(['compile', '--select', 'm', '--inline'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('raw|events|evt|landing|the key|model.gr.stg|gr|t1|event id|source.gr.raw.events|staged');
  });
});

describe('hooks in dbt_project.yml are rendered when they run, with macros', () => {
  it('on-run-start, on-run-end and +pre-hook / +post-hook call project and dbt macros', async () => {
    const dir = project({
      'dbt_project.yml': PROJECT('hk', `on-run-start:
  - "{{ make_log_table() }}"
on-run-end:
  - "insert into main.hook_log values ('end', {{ (dbt.type_string() | string) == 'TEXT' }})"
models:
  hk:
    +pre-hook: "insert into main.hook_log values ('pre {{ this.identifier }}', {{ is_big(2) }})"
    +post-hook:
      - "insert into main.hook_log values ('post {{ this.identifier }}', {{ is_big(0) }})"
`),
      'profiles.yml': PROFILE('hk'),
      'models/a.sql': 'select 1 as x',
      'macros/m.sql': '{% macro make_log_table() %}create table if not exists main.hook_log (who varchar, flag boolean){% endmacro %}\n{% macro is_big(n) %}{{ n > 1 }}{% endmacro %}',
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select who, flag from main.hook_log order by who')).toEqual([
      { who: 'end', flag: true }, { who: 'post a', flag: false }, { who: 'pre a', flag: true },
    ]);
  });
});

describe('a macro file that does not compile', () => {
  it('is reported with its file and line; only the nodes calling its macros fail', () => {
    const dir = project({
      'dbt_project.yml': PROJECT('bk'),
      'profiles.yml': PROFILE('bk'),
      'models/ok.sql': 'select {{ good() }} as x',
      'models/uses_bad.sql': 'select {{ bad() }} as y',
      'macros/good.sql': '{% macro good() %}1{% endmacro %}',
      'macros/bad.sql': '{% macro bad() %}\n  {{ 1 + }}\n{% endmacro %}\n',
    });
    const r = cli(['compile'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/macros\/bad\.sql:2:\d+: Jinja syntax error/);
    expect(r.stderr).toMatch(/macros\/bad\.sql:2(:\d+)? \(uses_bad\): macro `bad` is defined in macros\/bad\.sql, which does not compile/);
    expect(readFileSync(join(dir, 'target/compiled/bk/models/ok.sql'), 'utf8')).toBe('select 1 as x');
    expect(existsSync(join(dir, 'target/compiled/bk/models/uses_bad.sql'))).toBe(false);
    const run = cli(['run'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/PASS=1 WARN=0 ERROR=1/);
  });
});

describe('unit-test inputs that list only some columns', () => {
  it('get typed NULLs for the others, from the input relation, as in dbt', () => {
    const dir = project({
      'dbt_project.yml': PROJECT('ut'),
      'profiles.yml': PROFILE('ut'),
      'models/orders.sql': "{{ config(materialized='table') }}select 1 as id, date '2024-01-02' as ordered_at, 9.5 as amount, 'x' as note",
      'models/recent.sql': "select id, ordered_at is null as undated, coalesce(amount, 0) + 1 as amount_plus from {{ ref('orders') }}",
      'models/tests.yml': `unit_tests:
  - name: partial_input
    model: recent
    given:
      - input: ref('orders')
        rows: [{id: 1, amount: 2}, {id: 2}]
    expect:
      rows: [{id: 1, undated: true, amount_plus: 3}, {id: 2, undated: true, amount_plus: 1}]
`,
    });
    const r = cli(['build'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PASS unit_test partial_input/);
  });
});

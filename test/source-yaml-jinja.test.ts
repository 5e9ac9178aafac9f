// Jinja in a source's YAML values, as dbt renders schema YAML (SchemaYamlRenderer): `target`,
// `var()` and `env_var()` in database/schema/identifier; descriptions and tests are left for later.
// Run twice with a changed variable, so a cached parse cannot keep the old relation.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

const SOURCES = `version: 2
sources:
  - name: app
    schema: "{{ target.schema }}_{{ var('layer', 'raw') }}"
    description: "{{ doc('app_doc') }}"
    tables:
      - name: events
        identifier: "{{ env_var('CAIRN_TEST_EVENTS', 'events_v1') }}"
        columns:
          - name: id
            data_tests: [not_null]
`;

describe('Jinja in schema YAML', () => {
  it('renders target, var() and env_var() in a source; a changed variable changes the next compile, cached or not', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/sources.yml': SOURCES,
      'models/docs.md': '{% docs app_doc %}The app.{% enddocs %}',
      'models/m.sql': "select * from {{ source('app', 'events') }}",
    });
    const compiled = (env: Record<string, string | undefined>, args: string[] = []) => {
      const r = cli(['compile', ...args], { cwd: dir, env });
      expect(r.stderr).toBe('');
      return readFileSync(join(dir, 'target/compiled/p/models/m.sql'), 'utf8');
    };
    expect(compiled({ CAIRN_TEST_EVENTS: undefined })).toBe('select * from "test"."main_raw"."events_v1"');
    expect(compiled({ CAIRN_TEST_EVENTS: 'events_v2' })).toBe('select * from "test"."main_raw"."events_v2"');
    expect(compiled({ CAIRN_TEST_EVENTS: 'events_v2' }, ['--vars', '{layer: staged}'])).toBe('select * from "test"."main_staged"."events_v2"');
    expect(compiled({ CAIRN_TEST_EVENTS: 'events_v2', CAIRN_NO_PARTIAL_PARSE: '1' }, ['--vars', '{layer: staged}'])).toBe('select * from "test"."main_staged"."events_v2"');
    // The description kept its doc() for the docs pass, which resolved it: uncached (the run
    // above), then from the caches.
    const described = () => JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')).sources['source.p.app.events'].source_description;
    expect(described()).toBe('The app.');
    compiled({ CAIRN_TEST_EVENTS: 'events_v2' }, ['--vars', '{layer: staged}']);
    expect(described()).toBe('The app.');
    compiled({ CAIRN_TEST_EVENTS: 'events_v2' }, ['--vars', '{layer: staged}']);
    expect(described()).toBe('The app.');
  });

  it("a model's and a seed's config, meta and tags in YAML render target and var(), cached or not", () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'seeds/codes.csv': 'code\n1\n',
      'models/a.sql': 'select 1 as id',
      'models/s.yml': `version: 2
models:
  - name: a
    config:
      materialized: "{{ 'table' if target.name == 'dev' else 'view' }}"
      tags: ["{{ var('tag', 'nightly') }}"]
      post_hook: "insert into {{ this }} select 2 as id"
    meta: {owner: "{{ var('owner', 'data') }}"}
seeds:
  - name: codes
    config:
      schema: "{{ var('seed_schema', 'raw') }}"
`,
    });
    const ls = (args: string[], env: Record<string, string | undefined> = {}) => cli(['ls', '--output', 'json', ...args], { cwd: dir, env }).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    for (const env of [{}, {}, { CAIRN_NO_PARTIAL_PARSE: '1' }]) {
      const a = ls(['--select', 'a'], env)[0];
      expect(a.config.materialized).toBe('table');
      expect(a.tags).toEqual(['nightly']);
      expect(ls(['--select', 'tag:weekly', '--vars', '{tag: weekly}'], env).map((n: { name: string }) => n.name)).toEqual(['a']);
    }
    const r = cli(['build'], { cwd: dir });
    expect(r.stdout).toMatch(/sql table model main\.a /);
    expect(r.stdout).toMatch(/seed file main_raw\.codes /);
    // The hook was left for run time, where `this` is the model's relation.
    return queryDuckdb(join(dir, 'test.duckdb'), 'select count(*)::int as n from main.a').then((rows) => expect(rows).toEqual([{ n: 2 }]));
  });

  it('generic test arguments render when the test compiles: a whole {{ }} is the value itself, mixed text a string', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', "vars:\n  statuses: [placed, shipped]\n  min_amount: 0\n"),
      'profiles.yml': PROFILE('p'),
      'macros/positive.sql': '{% test above(model, column_name, condition) %}select * from {{ model }} where not ({{ condition }}){% endtest %}',
      'models/o.sql': "select 1 as id, 'placed' as status, 5 as amount union all select 2, 'returned', 7",
      'models/s.yml': `version: 2
models:
  - name: o
    columns:
      - name: status
        data_tests:
          - accepted_values:
              values: "{{ var('statuses') }}"
      - name: amount
        data_tests:
          - above:
              condition: "amount > {{ var('min_amount') }}"
`,
    });
    const r = cli(['build'], { cwd: dir });
    // 'returned' is not among the var's statuses: the list itself reached the test.
    expect(r.stdout).toMatch(/FAIL 1 test accepted_values_o_status/);
    expect(r.stdout).toMatch(/PASS test above_o_amount/);
    expect(cli(['test', '--vars', '{statuses: [placed, returned], min_amount: 6}'], { cwd: dir }).stdout).toMatch(/PASS=1 WARN=0 ERROR=1 /);
    const dirOf = join(dir, 'target/compiled/p/models/s.yml');
    const file = readdirSync(dirOf).find((f) => f.startsWith('above_o_amount'))!;
    expect(readFileSync(join(dirOf, file), 'utf8')).toContain('where not (amount > 6)');
  });

  it("dbt_project.yml configs may read target (dbt renders them with the profile's target), per target, cached or not", () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', `models:\n  p:\n    +materialized: "{{ 'table' if target.name == 'prod' else 'view' }}"\n    +tags: ["{{ target.type }}"]\n    +post-hook: "select '{{ this }}'"\n`),
      'profiles.yml': PROFILE('p').replace('  outputs:\n', '  outputs:\n    prod:\n      type: duckdb\n      path: prod.duckdb\n      schema: main\n      threads: 1\n'),
      'models/a.sql': 'select 1 as id',
    });
    const a = (args: string[], env: Record<string, string | undefined> = {}) => JSON.parse(cli(['ls', '--output', 'json', '--select', 'a', ...args], { cwd: dir, env }).stdout.trim());
    for (const env of [{}, {}, { CAIRN_NO_PARTIAL_PARSE: '1' }]) {
      expect(a([], env).config.materialized).toBe('view');
      expect(a(['--target', 'prod'], env).config.materialized).toBe('table');
      expect(a([], env).tags).toEqual(['duckdb']);
    }
    expect(cli(['run', '--target', 'prod'], { cwd: dir }).stdout).toMatch(/OK created sql table model main\.a /);
  });

  it("rendered YAML is native as in dbt: \"{{ var('load', false) }}\" is false, not the text 'False'; | as_text keeps text", () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', `vars:\n  load: false\nseeds:\n  p:\n    +enabled: "{{ var('load') }}"\n`),
      'profiles.yml': PROFILE('p'),
      'seeds/codes.csv': 'code\n1\n',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select 2 as id',
      'models/s.yml': `version: 2\nmodels:\n  - name: b\n    config:\n      enabled: "{{ target.name == 'prod' }}"\n  - name: a\n    meta:\n      flag: "{{ var('load') | as_text }}"\n`,
    });
    const names = (args: string[]) => cli(['ls', '--output', 'json', ...args], { cwd: dir }).stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).name).sort();
    expect(names([])).toEqual(['a']);
    expect(names(['--vars', '{load: true}'])).toEqual(['a', 'codes']);
    expect(JSON.parse(cli(['ls', '--output', 'json', '--select', 'a'], { cwd: dir }).stdout.trim()).config.meta).toEqual({ flag: 'False' });
  });

  it('an error in a model config value names the YAML file, the entry and the key', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/a.sql': 'select 1 as id',
      'models/s.yml': "version: 2\nmodels:\n  - name: a\n    config:\n      materialized: \"{{ env_var('CAIRN_TEST_NOT_SET') }}\"\n",
    });
    const r = cli(['compile'], { cwd: dir, env: { CAIRN_TEST_NOT_SET: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[ENV_VAR_MISSING\] models\/s\.yml:3: environment variable `CAIRN_TEST_NOT_SET` is not set and env_var\(\) has no default \(in `config:` of model a\)/);
  });

  it('an error in a source value names the YAML file and line', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': PROFILE('p'),
      'models/sources.yml': "version: 2\nsources:\n  - name: app\n    schema: \"{{ env_var('CAIRN_TEST_NOT_SET') }}\"\n    tables: [{name: events}]\n",
      'models/m.sql': "select * from {{ source('app', 'events') }}",
    });
    const r = cli(['compile'], { cwd: dir, env: { CAIRN_TEST_NOT_SET: undefined } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[ENV_VAR_MISSING\] models\/sources\.yml:4: environment variable `CAIRN_TEST_NOT_SET` is not set/);
  });
});

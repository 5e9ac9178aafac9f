import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from '../helpers/project.js';
import { queryDuckdb } from '../helpers/duckdb.js';

const base = (files: Record<string, string>) => makeProject({
  'dbt_project.yml': PROJECT('t'),
  'profiles.yml': PROFILE('t'),
  'seeds/people.csv': 'id,name,team\n1,ann,a\n2,bob,b\n2,cid,z\n4,,a\n',
  'seeds/teams.csv': 'code\na\nb\n',
  'models/people_v.sql': "select * from {{ ref('people') }}",
  'models/downstream.sql': "select count(*) as n from {{ ref('people_v') }}",
  'models/other.sql': 'select 1 as x',
  ...files,
});

const results = (dir: string) => {
  const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as { results: Array<{ unique_id: string; status: string; failures: number | null; message: string }> };
  return Object.fromEntries(rr.results.map((r) => [r.unique_id.split('.')[2]!, r]));
};

describe('data tests', () => {
  it('generic tests with config (severity, where, warn_if/error_if, limit, store_failures), custom generic and singular tests', async () => {
    const dir = base({
      'models/schema.yml': `version: 2
models:
  - name: people_v
    columns:
      - name: id
        data_tests:
          - unique:
              config:
                severity: warn
                store_failures: true
          - not_null
      - name: name
        tests:
          - not_null:
              config:
                where: "id < 4"
          - is_short:
              max_len: 3
      - name: team
        tests:
          - accepted_values:
              arguments:
                values: ['a', 'b']
              config:
                error_if: ">= 2"
                warn_if: ">= 1"
          - relationships:
              to: ref('teams')
              field: code
              config:
                severity: warn
`,
      'tests/generic/is_short.sql': `{% test is_short(model, column_name, max_len) %}
select * from {{ model }} where length({{ column_name }}) > {{ max_len }}
{% endtest %}`,
      'tests/no_negative_ids.sql': "select * from {{ ref('people_v') }} where id < 0",
    });
    const r = cli(['build'], { cwd: dir });
    expect(r.stderr).toBe('');
    const s = results(dir);
    expect(s.unique_people_v_id).toMatchObject({ status: 'warn', failures: 1 });
    expect(s.not_null_people_v_id.status).toBe('pass');
    expect(s.not_null_people_v_name.status).toBe('pass');
    expect(s.is_short_people_v_name__3.status).toBe('pass');
    expect(s.accepted_values_people_v_team__a__b).toMatchObject({ status: 'warn', failures: 1 });
    expect(s.relationships_people_v_team__code__ref_teams_).toMatchObject({ status: 'warn', failures: 1 });
    expect(s.no_negative_ids.status).toBe('pass');
    // Warnings never block: downstream ran.
    expect(s.downstream.status).toBe('success');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Done\. PASS=\d+ WARN=3 ERROR=0 SKIP=0/);
    expect(await queryDuckdb(join(dir, 'test.duckdb'), 'select unique_field, n_records from main_dbt_test__audit.unique_people_v_id')).toEqual([{ unique_field: 2, n_records: 2 }]);
    // `cairn test` alone, selecting by test type.
    const t = cli(['test', '--select', 'test_type:singular'], { cwd: dir });
    expect(t.stdout).toMatch(/PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1/);
  });

  it('an error-severity failure skips the tested model\'s descendants while independent nodes run', () => {
    const dir = base({
      'models/schema.yml': 'version: 2\nmodels:\n  - name: people_v\n    columns:\n      - name: id\n        tests: [unique]\n',
    });
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    const s = results(dir);
    expect(s.unique_people_v_id).toMatchObject({ status: 'fail', failures: 1 });
    expect(s.downstream.status).toBe('skipped');
    expect(s.other.status).toBe('success');
    expect(r.stdout).toMatch(/Done\. PASS=4 WARN=0 ERROR=1 SKIP=1 TOTAL=6/);
    expect(r.stdout).toMatch(/FAIL 1 test unique_people_v_id \.+ \[FAIL 1 /);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown generic test name', 'version: 2\nmodels:\n  - name: people_v\n    columns:\n      - name: id\n        tests:\n          - uniqe\n', /models\/schema\.yml:7.*unknown generic test `uniqe`[\s\S]*did you mean `unique`\?/],
    ['relationships with no `to`', 'version: 2\nmodels:\n  - name: people_v\n    columns:\n      - name: id\n        tests:\n          - relationships:\n              field: id\n', /models\/schema\.yml:7.*test `relationships` needs the argument `to`/],
    ['relationships to a model that does not exist', "version: 2\nmodels:\n  - name: people_v\n    columns:\n      - name: id\n        tests:\n          - relationships:\n              to: ref('teamz')\n              field: code\n", /models\/schema\.yml:7.*`teamz`, which does not exist[\s\S]*did you mean `teams`\?/],
    ['tests on a model that does not exist', 'version: 2\nmodels:\n  - name: peple_v\n    columns:\n      - name: id\n        tests: [unique]\n', /models\/schema\.yml:3.*model `peple_v`, which does not exist[\s\S]*did you mean `people_v`\?/],
    ['a column that is not in the seed', 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types:\n        idd: varchar\n', /column_types names column `idd`[\s\S]*did you mean `id`\?/],
  ];
  for (const [what, yml, re] of bad) {
    it(`bad input: ${what} → exit 2 before anything runs`, () => {
      const dir = base({ 'models/schema.yml': yml });
      const r = cli(['build'], { cwd: dir });
      expect(r.stderr).toMatch(re);
      expect(r.code).toBe(2);
      expect(r.stdout).not.toMatch(/START/);
    });
  }

  it('bad input: source() of an undefined source names the model and line', () => {
    const dir = base({ 'models/from_src.sql': "select 1 as a\nfrom {{ source('raw', 'orderz') }}", 'models/src.yml': 'version: 2\nsources:\n  - name: raw\n    tables:\n      - name: orders\n' });
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/from_src\.sql:2.*source\('raw', 'orderz'\)[\s\S]*did you mean `raw\.orders`\?/);
  });

  it('a test on a column the model does not have fails that test at run time (exit 1), naming it', () => {
    const dir = base({ 'models/schema.yml': 'version: 2\nmodels:\n  - name: other\n    columns:\n      - name: nope\n        tests: [not_null]\n' });
    const r = cli(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error in test\.t\.not_null_other_nope[\s\S]*nope/);
    expect(results(dir).downstream.status).toBe('success');
  });

  it('unknown schema YAML keys are warnings with file and line; version: 2 and doc() in descriptions are fine', () => {
    const dir = base({ 'models/schema.yml': "version: 2\nmodels:\n  - name: other\n    descripton: typo\n    columns:\n      - name: x\n        description: '{{ doc(\"x\") }}'\n", 'models/docs.md': '{% docs x %}The x column.{% enddocs %}' });
    const r = cli(['run', '--select', 'other'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/WARNING.*models\/schema\.yml:4.*unknown key `descripton`[\s\S]*did you mean `description`\?/);
  });
});

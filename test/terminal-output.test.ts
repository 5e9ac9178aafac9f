// What the terminal shows: aligned result lines in colour, dbt's `FAIL N` with why, and the recap.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(): string {
  const dir = makeProject({
    'dbt_project.yml': PROJECT('term'), 'profiles.yml': PROFILE('term'),
    'models/a.sql': 'select 1 as id union all select 1',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n',
    'tests/warned.sql': "{{ config(severity='warn') }}\nselect 1 as x",
  });
  dirs.push(dir);
  return dir;
}
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('terminal output', () => {
  it('START and result brackets share one column, coloured or not (dbt: the text dotted out to 80 columns)', () => {
    const dir = project();
    const brackets = (stdout: string) => {
      const lines = stdout.split('\n').filter((l) => / \d+ of \d+ /.test(l)).map(strip);
      expect(lines.length).toBeGreaterThan(4);
      return new Set(lines.map((l) => l.indexOf(' [') - l.search(/\d+ of \d+ /)));
    };
    const coloured = cli(['build'], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\x1b[32m');
    expect([...brackets(coloured.stdout)]).toEqual([80]);
    expect([...brackets(cli(['build'], { cwd: dir, env: { NO_COLOR: '1' } }).stdout)]).toEqual([80]);
  });

  it("a failed test prints FAIL N, why, and dbt's recap", () => {
    const r = cli(['build'], { cwd: project() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\d of \d FAIL 1 test unique_a_id \.+ \[FAIL 1 in/);
    expect(r.stdout).toMatch(/FAIL 1 test unique_a_id[^\n]*\n[^\n]*Got 1 result, configured to fail if != 0\n[^\n]*compiled SQL at .*unique_a_id\.sql/);
    expect(r.stdout).toMatch(/WARN 1 test warned/);
    const recap = r.stdout.slice(r.stdout.indexOf('Completed with'));
    expect(recap).toMatch(/^Completed with 1 error and 1 warning:/);
    expect(recap).toMatch(/Failure in test unique_a_id\n[^\n]*Got 1 result/);
    expect(recap).toMatch(/Warning in test warned/);
    expect(recap).toMatch(/Done\. PASS=2 WARN=1 ERROR=1 SKIP=0 TOTAL=4/);
  });

  it('a clean run says it completed successfully', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('ok'), 'profiles.yml': PROFILE('ok'), 'models/a.sql': 'select 1 as id' });
    dirs.push(dir);
    const r = cli(['run'], { cwd: dir });
    expect(r.stdout).toMatch(/Completed successfully\n.*Done\. PASS=1/);
    expect(r.stdout).not.toContain('Completed with');
  });

  it('source freshness prints ages in days and hours', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('fresh', "on-run-start:\n  - \"create or replace table main.events as select timestamp '2020-01-01 00:00:00' as loaded_at\"\n"),
      'profiles.yml': PROFILE('fresh'),
      'models/sources.yml': 'version: 2\nsources:\n  - name: app\n    schema: main\n    loaded_at_field: loaded_at\n    freshness:\n      warn_after: {count: 100000, period: day}\n    tables:\n      - name: events\n',
      'models/a.sql': "select 1 as x",
    });
    dirs.push(dir);
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    const r = cli(['source', 'freshness'], { cwd: dir });
    expect(r.stdout).toMatch(/PASS freshness of app\.events \(\d{4}d( \d+h)? old\)/);
  });
});

// Snapshots, seeds and stored test failures on Dremio (issue 19 items 6-7) through the CLI, against
// the Dremio emulator — a TEST DOUBLE that runs the SQL on DuckDB. The source (a seed) changes
// between runs; every run's row counts and validity columns are checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT, DREMIO_PROFILE } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const profile = (port: number) => DREMIO_PROFILE(port, 2);

const snap = (name: string, cfg: string) => `{% snapshot ${name} %}
{{ config(unique_key='id', root_path='snaps', ${cfg}) }}
select id, v, updated_at from {{ ref('raw') }}
{% endsnapshot %}
`;

const T1 = '2024-01-01 00:00:00';
const T2 = '2024-02-01 00:00:00';
const T3 = '2024-03-01 00:00:00';
const csv = (rows: Array<[number, string, string]>) => `id,v,updated_at\n${rows.map((r) => r.join(',')).join('\n')}\n`;

interface Row { id: number; v: string; dbt_valid_from: string; dbt_valid_to: string | null; dbt_scd_id: string; dbt_updated_at: string; dbt_is_deleted?: string | null }
const read = async (name: string, extra = ''): Promise<Row[]> =>
  (await em!.db.query(`select id, v, dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_updated_at${extra} from ${em!.db.name(['lake', 'raw', 'snaps', name])} order by id, dbt_valid_from, dbt_valid_to nulls last`)) as unknown as Row[];
const current = (rows: Row[]) => rows.filter((r) => r.dbt_valid_to === null);

describe('snapshots on Dremio (emulator)', () => {
  it('timestamp and check strategies with hard_deletes ignore / invalidate / new_record, over four runs', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(em.port),
      'seeds/raw.csv': csv([[1, 'a', T1], [2, 'b', T1], [3, 'c', T1]]),
      'snapshots/s_ts.sql': snap('s_ts', "strategy='timestamp', updated_at='updated_at'"),
      'snapshots/s_inv.sql': snap('s_inv', "strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=true"),
      'snapshots/s_new.sql': snap('s_new', "strategy='check', check_cols=['v'], hard_deletes='new_record'"),
    });
    const build = async () => {
      const r = await cliAsync(['build'], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/PASS=4 WARN=0 ERROR=0/);
    };
    await build();
    for (const n of ['s_ts', 's_inv', 's_new']) {
      const rows = await read(n);
      expect(rows.length).toBe(3);
      expect(current(rows).length).toBe(3);
      expect(new Set(rows.map((r) => r.dbt_scd_id)).size).toBe(3);
    }
    expect((await read('s_ts')).map((r) => r.dbt_valid_from)).toEqual([`${T1}.000`, `${T1}.000`, `${T1}.000`]);

    // Run 2: 1 unchanged, 2 changed at T2, 3 deleted, 4 new.
    writeFileSync(join(dir, 'seeds/raw.csv'), csv([[1, 'a', T1], [2, 'B', T2], [4, 'd', T2]]));
    await build();
    const ts2 = await read('s_ts');
    expect(ts2.length).toBe(5);
    expect(current(ts2).map((r) => [r.id, r.v])).toEqual([[1, 'a'], [2, 'B'], [3, 'c'], [4, 'd']]);
    expect(ts2.filter((r) => r.id === 2)).toMatchObject([{ v: 'b', dbt_valid_from: `${T1}.000`, dbt_valid_to: `${T2}.000` }, { v: 'B', dbt_valid_from: `${T2}.000`, dbt_valid_to: null, dbt_updated_at: `${T2}.000` }]);
    const inv2 = await read('s_inv');
    expect(inv2.length).toBe(5);
    expect(current(inv2).map((r) => r.id)).toEqual([1, 2, 4]);
    expect(inv2.find((r) => r.id === 3)!.dbt_valid_to).not.toBeNull();
    const new2 = await read('s_new', ', dbt_is_deleted');
    expect(new2.length).toBe(6);
    expect(current(new2).map((r) => [r.id, r.dbt_is_deleted])).toEqual([[1, 'False'], [2, 'False'], [3, 'True'], [4, 'False']]);

    // Run 3: key 3 comes back.
    writeFileSync(join(dir, 'seeds/raw.csv'), csv([[1, 'a', T1], [2, 'B', T2], [3, 'c3', T3], [4, 'd', T2]]));
    await build();
    const inv3 = await read('s_inv');
    expect(inv3.length).toBe(6);
    expect(current(inv3).map((r) => [r.id, r.v])).toEqual([[1, 'a'], [2, 'B'], [3, 'c3'], [4, 'd']]);
    const new3 = await read('s_new', ', dbt_is_deleted');
    expect(new3.length).toBe(7);
    expect(current(new3).map((r) => [r.id, r.v, r.dbt_is_deleted])).toEqual([[1, 'a', 'False'], [2, 'B', 'False'], [3, 'c3', 'False'], [4, 'd', 'False']]);
    expect(new3.filter((r) => r.dbt_is_deleted === 'True' && r.dbt_valid_to !== null).length).toBe(1);
    expect((await read('s_ts')).length).toBe(6);

    // Run 4: nothing changed, nothing written.
    await build();
    expect((await read('s_ts')).length).toBe(6);
    expect((await read('s_inv')).length).toBe(6);
    expect((await read('s_new')).length).toBe(7);
    // One MERGE per snapshot per later run: the table moves in one commit.
    expect(em.jobs.find(/^MERGE INTO "lake"\."raw"\."snaps"\."s_new"/).length).toBe(3);
    expect(em.jobs.find(/__cairn_snapshot_staging/).every((j) => j.state === 'COMPLETED')).toBe(true);
  }, 180_000);
});

describe('seeds and store_failures on Dremio (emulator)', () => {
  it('a seed keeps its table (emptied and refilled); --full-refresh re-creates it; failing rows are stored per test', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(em.port),
      'seeds/people.csv': 'id,name\n1,ann\n2,\n3,\n',
      'seeds/schema.yml': `version: 2
seeds:
  - name: people
    columns:
      - name: name
        data_tests:
          - not_null:
              config: {store_failures: true, severity: warn}
`,
    });
    const first = await cliAsync(['build'], { cwd: dir });
    expect(first.stdout).toMatch(/PASS=1 WARN=1 ERROR=0/);
    const audit = em.catalog.roots().length && (await em.db.query(`select table_name from duckdb_tables() where schema_name = 'lake/raw/dbt_test__audit'`));
    expect(audit).toEqual([{ table_name: 'not_null_people_name' }]);
    const failures = async () => Number((await em!.db.query(`select count(*)::int as n from ${em!.db.name(['lake', 'raw', 'dbt_test__audit', 'not_null_people_name'])}`))[0]!.n);
    expect(await failures()).toBe(2);

    writeFileSync(join(dir, 'seeds/people.csv'), 'id,name\n1,ann\n2,bob\n3,\n4,dan\n');
    const before = em.jobs.list().length;
    const second = await cliAsync(['build'], { cwd: dir });
    expect(second.stdout).toMatch(/PASS=1 WARN=1 ERROR=0/);
    const seedJobs = em.jobs.list().slice(before).map((j) => j.sql.split('\n')[0]!).filter((s) => /"people"$|"people" /.test(s) && !/^SELECT/.test(s));
    expect(seedJobs).toEqual(['TRUNCATE TABLE "lake"."raw"."people"', 'INSERT INTO "lake"."raw"."people" ("id", "name") VALUES']);
    expect(await em.db.query(`select count(*)::int as n from ${em.db.name(['lake', 'raw', 'people'])}`)).toEqual([{ n: 4 }]);
    expect(await failures()).toBe(1);

    // New columns: the table is left as it is (not emptied) and --full-refresh is named.
    writeFileSync(join(dir, 'seeds/people.csv'), 'id,name,age\n1,ann,3\n');
    const changed = await cliAsync(['seed'], { cwd: dir });
    expect(changed.code).toBe(1);
    expect(changed.stdout + changed.stderr).toMatch(/seed people's columns changed \(table: id, name; CSV: id, name, age\)/);
    expect(changed.stdout + changed.stderr).toMatch(/--full-refresh/);
    expect(await em.db.query(`select count(*)::int as n from ${em.db.name(['lake', 'raw', 'people'])}`)).toEqual([{ n: 4 }]);
    const mark = em.jobs.list().length;
    expect((await cliAsync(['seed', '--full-refresh'], { cwd: dir })).code).toBe(0);
    expect(em.jobs.list().slice(mark).map((j) => j.sql.split(' (')[0]!.split('\n')[0]).filter((s) => /people/.test(s) && !/^SELECT/.test(s))).toEqual([
      'DROP TABLE IF EXISTS "lake"."raw"."people"', 'CREATE TABLE "lake"."raw"."people"', 'INSERT INTO "lake"."raw"."people"',
    ]);
  }, 120_000);

  it('store_failures_as: view is a clear error, not a silent skip', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(em.port),
      'seeds/people.csv': 'id,name\n1,\n',
      'seeds/schema.yml': 'version: 2\nseeds:\n  - name: people\n    columns:\n      - name: name\n        data_tests:\n          - not_null:\n              config: {store_failures_as: view}\n',
    });
    const r = await cliAsync(['build'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/store_failures_as `view` is not supported/);
  }, 60_000);
});

// on_schema_change: sync_all_columns on Dremio against the emulator (a test double that, like Dremio,
// refuses ALTER COLUMN type changes that are not Iceberg promotions). A change Iceberg cannot apply
// fails the node before any ALTER, leaving the table as it was; a promotion is applied in place.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT, DREMIO_PROFILE } from './helpers/project.js';

let em: Emulator | undefined;
let dir: string | undefined;
afterAll(async () => {
  await em?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const profile = (port: number) => DREMIO_PROFILE(port);
const model = (cols: string, rows: string) => `{{ config(materialized='incremental', unique_key='id', on_schema_change='sync_all_columns') }}
select ${cols} from (values ${rows}) as t(id, n, amount, note)`;

describe('sync_all_columns on Dremio checks Iceberg promotions before the first ALTER', () => {
  it('refuses DECIMAL -> DOUBLE naming column, types and --full-refresh, table untouched; then applies int -> bigint', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    dir = makeProject({
      'dbt_project.yml': PROJECT('p'),
      'profiles.yml': profile(em.port),
      'models/inc.sql': model('cast(id as int) as id, cast(n as int) as n, cast(amount as decimal(10, 2)) as amount, note', "(1, 1, 1.50, 'a'), (2, 2, 2.25, 'b')"),
    });
    const first = await cliAsync(['run'], { cwd: dir });
    expect(first.stdout).toMatch(/PASS=1 WARN=0 ERROR=0/);
    const table = em.db.name(['lake', 'raw', 'inc']);
    const snapshot = async () => ({
      columns: await em!.db.query(`select column_name, data_type from information_schema.columns where table_schema = 'lake/raw' and table_name = 'inc' order by ordinal_position`),
      rows: await em!.db.query(`select * from ${table} order by id`),
    });
    const before = await snapshot();
    expect(before.columns.map((c) => c['data_type'])).toEqual(['INTEGER', 'INTEGER', 'DECIMAL(10,2)', 'VARCHAR']);

    // amount becomes DOUBLE (not a promotion), note is dropped, extra is added.
    writeFileSync(join(dir, 'models/inc.sql'), model("cast(id as int) as id, cast(n as int) as n, cast(amount as double) as amount, 'x' as extra", "(2, 2, 9.5, 'z'), (3, 3, 3.5, 'c')"));
    const bad = await cliAsync(['run'], { cwd: dir });
    expect(bad.code).toBe(1);
    const out = bad.stdout + bad.stderr;
    expect(out).toMatch(/inc.*cannot change the type of column amount DECIMAL\(10,2\) -> DOUBLE in place/);
    expect(out).toMatch(/--full-refresh/);
    expect(await snapshot()).toEqual(before);
    expect(em.jobs.find(/ALTER TABLE/)).toEqual([]);

    // n widens int -> bigint (a promotion): the ALTER runs and the merge lands.
    writeFileSync(join(dir, 'models/inc.sql'), model('cast(id as int) as id, cast(n as bigint) as n, cast(amount as decimal(10, 2)) as amount, note', "(2, 20, 2.25, 'b2'), (3, 30, 3.50, 'c')"));
    const ok = await cliAsync(['run'], { cwd: dir });
    expect(ok.stdout + ok.stderr).toMatch(/PASS=1 WARN=0 ERROR=0/);
    expect(em.jobs.find(/ALTER TABLE .* ALTER COLUMN "n" "n" BIGINT/).length).toBe(1);
    const after = await snapshot();
    expect(after.columns.map((c) => c['data_type'])).toEqual(['INTEGER', 'BIGINT', 'DECIMAL(10,2)', 'VARCHAR']);
    expect(after.rows.map((r) => [r['id'], r['n'], r['note']])).toEqual([[1, 1, 'a'], [2, 20, 'b2'], [3, 30, 'c']]);

    // rows affected in run results come from Dremio's `Rows Merged` column.
    const rr = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results[0].adapter_response.rows_affected).toBe(2);
  }, 120_000);
});

// What a user sees when Dremio refuses a statement cairn sends on their model's behalf (emulator test
// double, which refuses as Dremio does): Dremio's message, the model, and a hint that says what to fix.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { makeProject, PROJECT, DREMIO_PROFILE } from './helpers/project.js';

let em: Emulator | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await em?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const profile = (port: number) => DREMIO_PROFILE(port);

describe('Dremio refusals reach the user with a hint', () => {
  it('an incremental merge whose new rows repeat a unique_key fails the node; the table keeps its rows', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const model = (rows: string) => `{{ config(materialized='incremental', unique_key='id') }}\nselect * from (values ${rows}) as t(id, v)`;
    const dir = makeProject({ 'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port), 'models/m.sql': model("(1, 'a'), (2, 'b')") });
    dirs.push(dir);
    expect((await cliAsync(['run'], { cwd: dir })).stdout).toMatch(/PASS=1/);
    writeFileSync(join(dir, 'models/m.sql'), model("(1, 'x'), (1, 'y'), (3, 'c')"));
    const r = await cliAsync(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/VALIDATION ERROR: A target row matched more than once\. Please update your query\./);
    expect(out).toMatch(/hint: the model's new rows repeat a unique_key value/);
    expect(await em.db.query(`select id, v from ${em.db.name(['lake', 'raw', 'm'])} order by id`)).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'b' }]);
  }, 90_000);

  it('partition_by month() on an integer column fails the table model with Iceberg\'s message', async () => {
    em ??= await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p'), 'profiles.yml': profile(em.port),
      'models/t.sql': "{{ config(materialized='table', partition_by=['month(id)']) }}\nselect 1 as id, date '2024-01-01' as day",
      'models/ok.sql': "{{ config(materialized='table', partition_by=['month(day)', 'bucket(4, id)']) }}\nselect 1 as id, date '2024-01-01' as day",
    });
    dirs.push(dir);
    const r = await cliAsync(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/PASS=1 WARN=0 ERROR=1/);
    expect(out).toMatch(/VALIDATION ERROR: Invalid source type int for transform: month/);
    expect(out).toMatch(/hint: partition_by year\/month\/day need a DATE or TIMESTAMP column/);
  }, 90_000);
});

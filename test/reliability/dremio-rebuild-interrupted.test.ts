// Issue 24 item 2: a table rebuild on Dremio never leaves the table dropped. Against the Dremio
// emulator (a TEST DOUBLE): the copy back from `__cairn_tmp` is made slow (job fault), then the run
// hits its query_timeout or gets Ctrl-C during it; or the copy back fails and the next run repairs.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DremioAdapter } from '../../adapters/dremio/dremio-adapter.js';
import { startEmulator, type Emulator } from '../dremio-emulator/server.js';
import { cliAsync } from '../helpers/cli-async.js';
import { DREMIO_PROFILE, makeProject, PROJECT } from '../helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });


const project = (port: number, extra = '') => makeProject({
  'dbt_project.yml': PROJECT('p', 'vars:\n  n: 3\n'),
  'profiles.yml': DREMIO_PROFILE(port, 1, extra),
  'models/t.sql': "{{ config(materialized='table') }}\nselect range as id from range({{ var('n') }})",
  'models/other.sql': "{{ config(materialized='table') }}\nselect 1 as id",
});

/** The copy back of `t`: CTAS of the target from its tmp table. */
const COPY_BACK = /^CREATE TABLE "lake"\."raw"\."t"\s*\nAS \(\nSELECT \* FROM "lake"\."raw"\."t__cairn_tmp"/;
const rows = async (name: string): Promise<number | null> => {
  const exists = await em!.db.query(`select count(*)::int as n from duckdb_tables() where schema_name = 'lake/raw' and table_name = '${name}'`);
  if (Number(exists[0]!.n) === 0) return null;
  return Number((await em!.db.query(`select count(*)::int as n from ${em!.db.name(['lake', 'raw', name])}`))[0]!.n);
};
const waitFor = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 600 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(cond()).toBe(true);
};

describe('a Dremio table rebuild interrupted during the copy back (emulator)', () => {
  it('query_timeout does not cancel the copy back: the table ends with the new rows', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port, '      query_timeout: 1\n');
    expect((await cliAsync(['run', '-s', 't'], { cwd: dir })).code).toBe(0);
    expect(await rows('t')).toBe(3);
    em.faults.slowJobs({ match: COPY_BACK, extraMs: 2500 });
    const r = await cliAsync(['run', '-s', 't', '--vars', '{n: 5}'], { cwd: dir });
    expect(em.faults.fired.slow).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/PASS=1 WARN=0 ERROR=0/);
    expect(await rows('t')).toBe(5);
    expect(await rows('t__cairn_tmp')).toBeNull();
  }, 90_000);

  it('Ctrl-C during the copy back lets it finish: the table ends with the new rows, the run stops', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port);
    expect((await cliAsync(['run', '-s', 't'], { cwd: dir })).code).toBe(0);
    em.faults.slowJobs({ match: COPY_BACK, extraMs: 2000 });
    let pid = 0;
    const run = cliAsync(['run', '-s', 't', '--vars', '{n: 5}'], { cwd: dir, onSpawn: (p) => (pid = p) });
    await waitFor(() => em!.jobs.find(COPY_BACK).length === 1);
    process.kill(pid, 'SIGINT');
    await run;
    const copy = em.jobs.find(COPY_BACK)[0]!;
    expect(copy.state).toBe('COMPLETED');
    expect(em.requests.some((x) => x.path.endsWith(`/job/${copy.id}/cancel`))).toBe(false);
    expect(await rows('t')).toBe(5);
    expect(await rows('t__cairn_tmp')).toBeNull();
  }, 90_000);

  it('a second Ctrl-C exits during the copy back: it says where the data is, the next run cleans up first', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port);
    expect((await cliAsync(['run', '-s', 't'], { cwd: dir })).code).toBe(0);
    em.faults.slowJobs({ match: COPY_BACK, extraMs: 1500 });
    let pid = 0;
    const run = cliAsync(['run', '-s', 't', '--vars', '{n: 5}'], { cwd: dir, onSpawn: (p) => (pid = p) });
    await waitFor(() => em!.jobs.find(COPY_BACK).length === 1);
    process.kill(pid, 'SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('cairn stopped during the copy back of "lake"."raw"."t": unless Dremio finishes that job, "lake"."raw"."t" was dropped and its new data is in "lake"."raw"."t__cairn_tmp"');
    // Dremio finishes the accepted job on its own; the tmp table is left behind.
    await waitFor(() => em!.jobs.find(COPY_BACK)[0]!.state === 'COMPLETED');
    expect(await rows('t__cairn_tmp')).toBe(5);
    const next = await cliAsync(['run', '-s', 'other'], { cwd: dir });
    expect(next.stdout + next.stderr).toMatch(/removed "lake"\."raw"\."t__cairn_tmp", left by a rebuild of model\.p\.t/);
    expect(await rows('t')).toBe(5);
    expect(await rows('t__cairn_tmp')).toBeNull();
  }, 90_000);

  it('a copy back that fails says where the data is, and the next run restores the table first', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 0 });
    const dir = project(em.port);
    expect((await cliAsync(['run', '-s', 't'], { cwd: dir })).code).toBe(0);
    em.faults.failJobs({ match: COPY_BACK, message: 'ExecutionSetupException: One or more nodes lost connectivity during query' });
    const r = await cliAsync(['run', '-s', 't', '--vars', '{n: 5}'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toContain('"lake"."raw"."t" was dropped and its new data is in "lake"."raw"."t__cairn_tmp"');
    expect(out).toMatch(/the next cairn run restores "lake"\."raw"\."t" from it/);
    expect(await rows('t')).toBeNull();
    expect(await rows('t__cairn_tmp')).toBe(5);
    expect(existsSync(`${dir}/target/dremio-interrupted-rebuilds.json`)).toBe(true);
    // The next run builds something else: the dropped table is restored before anything runs.
    const next = await cliAsync(['run', '-s', 'other'], { cwd: dir });
    expect(next.code).toBe(0);
    expect(next.stdout + next.stderr).toMatch(/restored "lake"\."raw"\."t" from "lake"\."raw"\."t__cairn_tmp"/);
    expect(await rows('t')).toBe(5);
    expect(await rows('t__cairn_tmp')).toBeNull();
    expect(JSON.parse(readFileSync(`${dir}/target/dremio-interrupted-rebuilds.json`, 'utf8'))).toEqual([]);
    const restoreAt = em.jobs.find(COPY_BACK).at(-1)!.submittedAt;
    expect(restoreAt).toBeLessThan(em.jobs.find(/"other"/)[0]!.submittedAt);
  }, 90_000);

  it('a copy back that completed but whose reply was lost counts as done (the table is there)', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 1 });
    const a = new DremioAdapter({ name: 't', type: 'dremio', schema: 'main', threads: 1, software_host: '127.0.0.1', port: em.port, user: 'dremio', password: 'dremio123' });
    a.client.retry = { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 };
    a.jobs.poll = { initialMs: 5, factor: 1.5, maxMs: 50 };
    try {
      await a.execute('CREATE TABLE "lake"."raw"."t" AS SELECT 1 AS id');
      await a.execute('CREATE TABLE "lake"."raw"."t__cairn_tmp" AS SELECT * FROM (VALUES (1), (2)) AS v(id)');
      em.faults.resetConnection({ match: /\/results/, times: 20 });
      await a.executeAll(['DROP TABLE "lake"."raw"."t"', 'CREATE TABLE "lake"."raw"."t"\nAS (\nSELECT * FROM "lake"."raw"."t__cairn_tmp"\n)', 'DROP TABLE IF EXISTS "lake"."raw"."t__cairn_tmp"']);
      expect(await rows('t')).toBe(2);
      expect(await rows('t__cairn_tmp')).toBeNull();
    } finally {
      await a.close();
    }
  });
});

// Issue 24 item 1: a connection lost after Dremio accepted an INSERT must never lead to the INSERT
// running twice. Against the Dremio emulator (a TEST DOUBLE) with its `dropSubmitResponse` fault:
// the job is accepted and runs, but the reply carrying its id never arrives.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DremioAdapter } from '../../adapters/dremio/dremio-adapter.js';
import { startEmulator, type Emulator } from '../dremio-emulator/server.js';
import { cliAsync } from '../helpers/cli-async.js';
import { DREMIO_PROFILE, makeProject, PROJECT } from '../helpers/project.js';

let em: Emulator | undefined;
const adapters: DremioAdapter[] = [];
afterEach(async () => { for (const a of adapters.splice(0)) await a.close(); await em?.close(); em = undefined; });

function make(): DremioAdapter {
  const a = new DremioAdapter({ name: 't', type: 'dremio', schema: 'main', threads: 2, software_host: '127.0.0.1', port: em!.port, user: 'dremio', password: 'dremio123' });
  a.client.retry = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 };
  a.jobs.poll = { initialMs: 5, factor: 1.5, maxMs: 50 };
  a.jobs.lookup = { attempts: 4, delayMs: 20 };
  adapters.push(a);
  return a;
}

const count = async (name: string) => Number((await em!.db.query(`select count(*)::int as n from ${em!.db.name(['lake', 'raw', name])}`))[0]!.n);

describe('a lost reply to an accepted write (Dremio emulator)', () => {
  it('an append model with retries: the INSERT runs once, the node succeeds with the job found by its label', async () => {
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], jobPolls: 1 });
    const dir = makeProject({
      'dbt_project.yml': PROJECT('p', 'models:\n  p:\n    +retries: 2\n    +retry_delay: 0\n'),
      'profiles.yml': DREMIO_PROFILE(em.port),
      'models/events.sql': "{{ config(materialized='incremental') }}\nselect * from (values (1), (2), (3)) as t(id)",
    });
    const first = await cliAsync(['run'], { cwd: dir });
    expect(first.stdout).toMatch(/PASS=1 WARN=0 ERROR=0/);
    expect(await count('events')).toBe(3);
    em.faults.dropSubmitResponse({ match: /^INSERT INTO/ });
    const second = await cliAsync(['run'], { cwd: dir });
    expect(em.faults.fired.dropResponse).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/PASS=1 WARN=0 ERROR=0/);
    // 6, not 9: the accepted INSERT was found in sys.jobs_recent, not sent again.
    expect(await count('events')).toBe(6);
    expect(em.jobs.find(/^INSERT INTO/).length).toBe(1);
    const rr = JSON.parse(readFileSync(`${dir}/target/run_results.json`, 'utf8'));
    expect(rr.results[0].adapter_response.job_id).toBe(em.jobs.find(/^INSERT INTO/)[0]!.id);
  }, 120_000);

  it('a MERGE whose reply is lost: its job is found and its outcome (rows merged) reported', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 1 });
    const a = make();
    await a.execute('CREATE TABLE "lake"."t" AS SELECT * FROM (VALUES (1, \'a\'), (2, \'b\')) AS v(id, v)');
    em.faults.dropSubmitResponse({ match: /^MERGE/ });
    const r = await a.execute('MERGE INTO "lake"."t" AS d USING (SELECT 2 AS id, \'B\' AS v) AS s ON (d.id = s.id) WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)');
    expect(r.jobId).toBe(em.jobs.find(/^MERGE/)[0]!.id);
    expect(em.jobs.find(/^MERGE/).length).toBe(1);
    expect(await em.db.query(`select id, v from ${em.db.name(['lake', 't'])} order by id`)).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'B' }]);
  });

  it('Dremio Cloud: the job is looked up in sys.project.history.jobs', async () => {
    em = await startEmulator({ mode: 'cloud', sources: ['lake'], pats: ['cloud-pat'], jobPolls: 1 });
    const a = new DremioAdapter({ name: 't', type: 'dremio', schema: 'main', threads: 2, cloud_host: `http://127.0.0.1:${em.port}`, cloud_project_id: em.projectId, pat: 'cloud-pat' });
    a.jobs.poll = { initialMs: 5, factor: 1.5, maxMs: 50 };
    a.jobs.lookup = { attempts: 4, delayMs: 20 };
    adapters.push(a);
    await a.execute('CREATE TABLE "lake"."t" AS SELECT 1 AS id');
    em.faults.dropSubmitResponse({ match: /^INSERT/ });
    const r = await a.execute('INSERT INTO "lake"."t" SELECT 2');
    expect(r.jobId).toBe(em.jobs.find(/^INSERT/)[0]!.id);
    expect(em.jobs.find(/FROM sys\.project\.history\.jobs/).length).toBeGreaterThan(0);
    expect(await em.db.query(`select count(*)::int as n from ${em.db.name(['lake', 't'])}`)).toEqual([{ n: 2 }]);
  });

  it('a write whose job cannot be found fails as "outcome unknown", is not retryable, and names what to look for', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 1 });
    const a = make();
    await a.execute('CREATE TABLE "lake"."t" AS SELECT 1 AS id');
    // The connection drops before Dremio sees the request: no job exists, but the client cannot know.
    em.faults.resetConnection({ match: /\/sql$/, method: 'POST' });
    let err: unknown;
    try { await a.execute('INSERT INTO "lake"."t" SELECT 2'); } catch (e) { err = e; }
    expect(String((err as Error).message)).toMatch(/outcome is unknown, so cairn did not run it again/);
    expect(String((err as { hint?: string }).hint)).toMatch(/cairn-job [0-9a-f-]{36}/);
    expect(a.classifyError(err)).toBe('permanent');
    expect(em.jobs.find(/^INSERT/).length).toBe(0);
  });

  it('a completed write whose results cannot be read still succeeds (never re-run), with the status row count', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 1 });
    const a = make();
    await a.execute('CREATE TABLE "lake"."t" AS SELECT 1 AS id');
    em.faults.resetConnection({ match: /\/results/, times: 20 });
    const r = await a.execute('INSERT INTO "lake"."t" SELECT 2');
    expect(r.jobId).toBe(em.jobs.find(/^INSERT/)[0]!.id);
    expect(r.rowsAffected).toBe(1);
    expect(em.jobs.find(/^INSERT/).length).toBe(1);
  });

  it('a write whose status polls keep failing names the job id and is not retryable', async () => {
    em = await startEmulator({ sources: ['lake'], jobPolls: 2 });
    const a = make();
    await a.execute('CREATE TABLE "lake"."t" AS SELECT 1 AS id');
    em.faults.resetConnection({ match: /\/job\/[^/]+$/, method: 'GET', times: 10 });
    let err: unknown;
    try { await a.execute('INSERT INTO "lake"."t" SELECT 2'); } catch (e) { err = e; }
    const id = em.jobs.find(/^INSERT/)[0]!.id;
    expect(String((err as Error).message)).toContain(`Dremio job ${id}`);
    expect(String((err as Error).message)).toMatch(/outcome is unknown/);
    expect(a.classifyError(err)).toBe('permanent');
  });
});

// The emulator's job history (sys.jobs_recent, sys.project.history.jobs) and its dropSubmitResponse
// fault, at the protocol level: what the adapter's lost-reply recovery relies on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from './dremio-emulator/server.js';
import { call, client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

let em: Emulator;
let storage: string;
let c: ReturnType<typeof client>;
beforeEach(async () => { ({ em, storage, c } = await startTestEmulator()); });
afterEach(async () => { await stopTestEmulator(em, storage); });

describe('emulator job history', () => {
  it('sys.jobs_recent lists every job with its SQL text and state, the querying job included (RUNNING)', async () => {
    const done = await c.ok('SELECT 42 AS answer');
    const r = await c.ok("SELECT job_id, status, query_type, query FROM sys.jobs_recent WHERE POSITION('answer' IN query) > 0 ORDER BY submitted_ts");
    expect(r.rows).toEqual([
      { job_id: done.id, status: 'COMPLETED', query_type: 'REST', query: 'SELECT 42 AS answer' },
      { job_id: r.id, status: 'RUNNING', query_type: 'REST', query: "SELECT job_id, status, query_type, query FROM sys.jobs_recent WHERE POSITION('answer' IN query) > 0 ORDER BY submitted_ts" },
    ]);
    const cloud = await c.ok('SELECT count(*) AS n FROM sys.project.history.jobs');
    expect(Number(cloud.rows[0].n)).toBeGreaterThanOrEqual(3);
  });

  it('dropSubmitResponse: the submit gets no reply, yet the job is accepted and runs to its end', async () => {
    await c.ok('CREATE TABLE "lake"."t" AS SELECT 1 AS id');
    em.faults.dropSubmitResponse({ match: /^INSERT/ });
    await expect(call('POST', `${em.softwareBase}/sql`, c.auth, { sql: 'INSERT INTO "lake"."t" SELECT 2' })).rejects.toThrow();
    const job = em.jobs.find(/^INSERT/)[0]!;
    expect(job.responseDropped).toBe(true);
    for (let i = 0; i < 200 && job.state !== 'COMPLETED'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(job.state).toBe('COMPLETED');
    expect((await c.ok('SELECT count(*) AS n FROM "lake"."t"')).rows[0].n).toBe(2);
  });
});

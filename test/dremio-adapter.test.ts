// The Dremio REST adapter against the Dremio emulator — a TEST DOUBLE (test/dremio-emulator) that
// speaks Dremio's wire protocol and runs SQL on DuckDB. Fault injection: retries, resets, cancels,
// timeouts, and each bad input of issue 4 with the message a user gets.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Target } from '../adapters/adapter.js';
import { DremioAdapter } from '../adapters/dremio/dremio-adapter.js';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';

let em: Emulator;
const adapters: DremioAdapter[] = [];

function make(extra: Partial<Target> = {}): DremioAdapter {
  const a = new DremioAdapter({ name: 'test', type: 'dremio', schema: 'main', threads: 2, software_host: '127.0.0.1', port: em.port, user: 'dremio', password: 'dremio123', ...extra });
  // Fast retries in tests; the policy (what is retried) is what is under test.
  a.client.retry = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
  a.jobs.poll = { initialMs: 5, factor: 1.5, maxMs: 50 };
  adapters.push(a);
  return a;
}

const messageOf = async (p: Promise<unknown>): Promise<string> => {
  try { await p; } catch (e) { return String((e as Error).message) + ' | hint: ' + String((e as { hint?: string }).hint ?? ''); }
  throw new Error('expected a failure');
};

beforeEach(async () => { em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], pats: ['good-pat-token'], jobPolls: 2 }); });
afterEach(async () => { for (const a of adapters.splice(0)) await a.close(); await em.close(); });

const posts = () => em.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/sql'));

describe('Dremio adapter protocol (emulator test double)', () => {
  it('runs a statement: submit, polls through non-final states, results; rowCount and job id recorded', async () => {
    const a = make();
    await a.open();
    const r = await a.execute('SELECT 1 AS x', { fetch: true });
    expect(r.rows).toEqual([{ x: 1 }]);
    expect(r.jobId).toBe(em.jobs.last()!.id);
    expect(em.jobs.last()!.statesSeen.length).toBeGreaterThan(1);
    const w = await a.execute('CREATE TABLE "lake"."t" AS SELECT * FROM (VALUES (1), (2), (3)) AS v(id)');
    expect(w.rowsAffected).toBe(3);
  });

  it('pages results by 500, fetching the later pages', async () => {
    const a = make();
    const r = await a.execute('SELECT * FROM (SELECT range AS n FROM range(1234)) AS q', { fetch: true });
    expect(r.rows!.length).toBe(1234);
    expect(r.rows![1233]).toEqual({ n: 1233 });
    const pages = em.requests.filter((x) => x.path.endsWith('/results')).map((x) => new URL(x.url, 'http://h').searchParams.get('offset'));
    expect(pages.sort()).toEqual(['0', '1000', '500']);
  });

  it('429 with and without Retry-After and 503 on submit are retried; the job is submitted once', async () => {
    const a = make();
    em.faults.rateLimit({ match: /\/sql$/, retryAfterSeconds: 0 });
    em.faults.rateLimit({ match: /\/sql$/ });
    em.faults.unavailable({ match: /\/sql$/ });
    const r = await a.execute('SELECT 7 AS x', { fetch: true });
    expect(r.rows).toEqual([{ x: 7 }]);
    expect(em.faults.fired).toMatchObject({ 429: 2, 503: 1 });
    expect(em.jobs.list().length).toBe(1);
  });

  it('survives a connection reset and a 500 while polling (idempotent status calls are retried)', async () => {
    const a = make();
    em.faults.resetConnection({ match: /\/job\/[^/]+$/, method: 'GET' });
    em.faults.serverError({ match: /\/job\/[^/]+$/, method: 'GET' });
    const r = await a.execute('SELECT 8 AS x', { fetch: true });
    expect(r.rows).toEqual([{ x: 8 }]);
    expect(em.faults.fired).toMatchObject({ reset: 1, 500: 1 });
  });

  it('never silently re-submits a statement after a reset or 500 on submit', async () => {
    const a = make();
    em.faults.resetConnection({ match: /\/sql$/ });
    const m = await messageOf(a.execute('SELECT 9 AS x'));
    expect(m).toMatch(/cannot reach Dremio at 127\.0\.0\.1:\d+ \(submit\)/);
    expect(m).toMatch(/not re-submitted/);
    expect(posts().length).toBe(1);
    em.faults.serverError({ match: /\/sql$/ });
    const m2 = await messageOf(a.execute('SELECT 9 AS x'));
    expect(m2).toMatch(/HTTP 500/);
    expect(posts().length).toBe(2);
    expect(a.classifyError(await a.execute('SELECT 1').then(() => null, (e) => e))).toBe('permanent');
  });

  it('reports a job cancelled by the server as CANCELED with its reason', async () => {
    const a = make();
    em.faults.cancelJobs({ reason: 'Query cancelled by administrator' });
    expect(await messageOf(a.execute('SELECT 1 AS x'))).toMatch(/Dremio job \S+ was CANCELED: Query cancelled by administrator/);
  });

  it('an abort (Ctrl-C) cancels the running job on the server', async () => {
    const a = make();
    em.faults.slowJobs({ extraMs: 10_000 });
    const ac = new AbortController();
    const p = a.execute('SELECT 1 AS x', { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    expect(await messageOf(p)).toMatch(/interrupted: Dremio job \S+ was cancelled/);
    expect(em.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toBe(true);
    const job = em.jobs.last()!;
    expect(['CANCELED', 'CANCELLATION_REQUESTED']).toContain(job.state);
  });

  it('cancelAll cancels every job in flight', async () => {
    const a = make();
    em.faults.slowJobs({ extraMs: 10_000, times: 2 });
    const p = Promise.allSettled([a.execute('SELECT 1 AS a'), a.execute('SELECT 2 AS b')]);
    await new Promise((r) => setTimeout(r, 100));
    await a.cancelAll();
    const cancels = em.requests.filter((r) => r.path.endsWith('/cancel')).length;
    expect(cancels).toBe(2);
    const results = await p;
    expect(results.every((r) => r.status === 'rejected' && /CANCELED/.test(String((r.reason as Error).message)))).toBe(true);
  });

  it('query_timeout cancels the job and says so', async () => {
    const a = make({ query_timeout: 0.3 });
    em.faults.slowJobs({ extraMs: 10_000 });
    const m = await messageOf(a.execute('SELECT 1 AS x'));
    expect(m).toMatch(/query timed out after 0\.3s \(query_timeout\); Dremio job \S+ was cancelled/);
    expect(em.requests.some((r) => r.path.endsWith('/cancel'))).toBe(true);
    expect(a.classifyError(new Error(m))).toBe('transient');
  });

  it('logs in again once when the session token expires', async () => {
    const a = make();
    await a.open();
    em.faults.expireTokens();
    expect((await a.execute('SELECT 3 AS x', { fetch: true })).rows).toEqual([{ x: 3 }]);
    expect(em.requests.filter((r) => r.path === '/apiv2/login').length).toBe(2);
  });

  it('Dremio error bodies are surfaced verbatim', async () => {
    const a = make();
    const m = await messageOf(a.execute('SELECT * FROM "lake"."nope"'));
    expect(m).toMatch(/Dremio job \S+ FAILED: .*nope.*not found/i);
  });

  it('creates spaces and folders, tolerating "already exists" (409 Software, 400 Cloud)', async () => {
    const a = make();
    await a.ensureSchema({ database: 'newspace', schema: 'a/"b.c"', identifier: 'v' });
    await a.ensureSchema({ database: 'analytics', schema: 'x', identifier: 'v' });
    await make().ensureSchema({ database: 'analytics', schema: 'x', identifier: 'v' });
    expect(em.requests.some((r) => r.status === 409)).toBe(true);
    expect(em.catalog.container(['newspace', 'a', 'b.c'])).toBeDefined();
    await a.execute('CREATE VIEW "newspace"."a"."b.c"."v" AS SELECT 1 AS one');
    expect(await a.getRelationKind({ database: 'newspace', schema: 'a/"b.c"', identifier: 'v' })).toBe('view');
  });
});

describe('Dremio adapter bad input (emulator test double)', () => {
  it('a wrong password says user/password login failed, without the password', async () => {
    const a = make({ password: 'Sup3rSecretPw' });
    const m = await messageOf(a.open());
    expect(m).toMatch(/user\/password login as `dremio` was rejected .*HTTP 401/);
    expect(m).not.toContain('Sup3rSecretPw');
  });

  it('a bad PAT says the personal access token was rejected, without the token', async () => {
    const a = make({ user: undefined, password: undefined, pat: 'bad-pat-XYZ123' });
    const m = await messageOf(a.execute('SELECT 1'));
    expect(m).toMatch(/personal access token \(pat\) authentication was rejected .*HTTP 401/);
    expect(m).not.toContain('bad-pat-XYZ123');
    const ok = make({ user: undefined, password: undefined, pat: 'good-pat-token' });
    expect((await ok.execute('SELECT 1 AS x', { fetch: true })).rows).toEqual([{ x: 1 }]);
  });

  it('an unreachable host names host:port and the cause', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const a = make({ port });
    const m = await messageOf(a.open());
    expect(m).toContain(`cannot reach Dremio at 127.0.0.1:${port} (login)`);
    expect(m).toMatch(/ECONNREFUSED/);
  });

  it('a TLS failure says so (use_ssl against a server that does not speak TLS)', async () => {
    const a = make({ use_ssl: true });
    const m = await messageOf(a.open());
    expect(m).toMatch(/TLS|SSL|EPROTO|wrong version/i);
    expect(m).toContain(`127.0.0.1:${em.port}`);
  });

  it('partition_by naming a missing column surfaces Dremio\'s error', async () => {
    const a = make();
    const stmts = a.dialect.table({ target: { database: 'lake', schema: '', identifier: 'p' }, tmp: { database: 'lake', schema: '', identifier: 'p__cairn_tmp' }, backup: { database: 'lake', schema: '', identifier: 'p__b' }, sql: 'select 1 as id', existing: null, config: { partition_by: ['month(nope)'] } });
    expect(await messageOf(a.executeAll(stmts))).toMatch(/FAILED: VALIDATION ERROR: Partition column\(s\) \[nope\] are not found/);
  });

  it('copy_into from a location with no files surfaces Dremio\'s error', async () => {
    const a = make();
    const stmts = a.dialect.copyInto!({ target: { database: 'lake', schema: '', identifier: 'c' }, exists: false, columns: [{ name: 'id', type: 'INTEGER' }], location: '@lake/empty/', fileFormat: 'csv', onError: 'abort', options: {}, truncate: false, config: {} });
    expect(await messageOf(a.executeAll(stmts))).toMatch(/FAILED: .*(No files|Storage location)/);
  });
});

describe('Dremio adapter branches (emulator test double)', () => {
  it('a target branch is sent as the REST references of every statement', async () => {
    const a = make({ catalog: 'lake', branch: 'dev' });
    await a.execute('SELECT 1 AS x', { fetch: true });
    expect(em.jobs.last()!.references).toEqual({ lake: { type: 'BRANCH', value: 'dev' } });
  });
});

describe('Dremio views on a versioned catalog (emulator test double)', () => {
  it('pins table references in views AT BRANCH when the target has a branch', async () => {
    await em.close();
    em = await startEmulator({ catalogs: ['nessie'], jobPolls: 0 });
    // The table is made on main, then branch dev copies it (the emulator versions catalogs).
    const m = make({ catalog: 'nessie', folder: 'f' });
    await m.ensureSchema({ database: 'nessie', schema: 'f', identifier: 't' });
    await m.execute('CREATE TABLE "nessie"."f"."t" AS SELECT 1 AS id');
    const a = make({ catalog: 'nessie', folder: 'f', branch: 'dev' });
    await a.createBranch('dev', 'main');
    const view = a.dialect.view({ target: { database: 'nessie', schema: 'f', identifier: 'v' }, sql: 'select * from "nessie"."f"."t" join "nessie"."f"."t" AT BRANCH "main" as m using (id)', existing: null, config: {} });
    await a.executeAll(view);
    const job = em.jobs.last()!;
    expect(job.sql).toMatch(/^CREATE OR REPLACE VIEW "nessie"\."f"\."v" AS\nselect \* from "nessie"\."f"\."t" AT BRANCH "dev" join "nessie"\."f"\."t" AT BRANCH "main" as m/);
    expect(job.atRefs.map((r) => r.value)).toEqual(['dev', 'main']);
    expect(job.state).toBe('COMPLETED');
    // The folder was made with CREATE FOLDER IF NOT EXISTS (a catalog, not a space).
    expect(em.jobs.find(/^CREATE FOLDER IF NOT EXISTS "nessie"\."f"/).length).toBe(1);
  });
});

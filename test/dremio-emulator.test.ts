// Tests for the Dremio REST API emulator — a TEST DOUBLE, not Dremio. They pin the wire protocol the
// cairn Dremio adapter relies on (see /work/shared/docs/dremio-rest.md §9), using plain undici calls.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { call, client, startTestEmulator, stopTestEmulator } from './helpers/emulator-client.js';

describe('Dremio REST emulator (test double for the cairn Dremio adapter)', () => {
  let em: Emulator;
  let storage: string;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    ({ em, storage, c } = await startTestEmulator());
  });
  afterAll(() => stopTestEmulator(em, storage));

  describe('auth', () => {
    it('logs in and returns a token body', async () => {
      const r = await call('POST', `${em.url}/apiv2/login`, undefined, { userName: 'dremio', password: 'dremio123' });
      expect(r.status).toBe(200);
      expect(typeof r.json.token).toBe('string');
      expect(r.json.userName).toBe('dremio');
      expect(r.json.expires).toBeGreaterThan(Date.now());
    });

    it('rejects bad credentials with a 401 error body', async () => {
      const r = await call('POST', `${em.url}/apiv2/login`, undefined, { userName: 'dremio', password: 'nope' });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ moreInfo: '', stackTrace: [] });
      expect(typeof r.json.errorMessage).toBe('string');
      const empty = await call('POST', `${em.url}/apiv2/login`, undefined, { userName: '', password: '' });
      expect(empty.json.errorMessage).toBe('user name or password cannot be null or empty');
    });

    it('answers a bad or missing auth header with an empty-body 401', async () => {
      for (const auth of [undefined, '_dremioWRONG', 'Bearer nope', 'Basic abc']) {
        const r = await call('GET', `${em.softwareBase}/catalog`, auth);
        expect(r.status).toBe(401);
        expect(r.text).toBe('');
      }
    });

    it('accepts _dremio<token>, _dremio <token> and Bearer <token|PAT>', async () => {
      const token = c.auth.slice('_dremio'.length);
      for (const auth of [`_dremio${token}`, `_dremio ${token}`, `Bearer ${token}`, 'Bearer pat-123']) {
        expect((await call('GET', `${em.softwareBase}/catalog`, auth)).status).toBe(200);
      }
    });

    it('expired tokens get the empty 401, re-login works', async () => {
      const d = client(em);
      await d.login();
      em.faults.expireTokens();
      const r = await d.call('GET', '/catalog');
      expect(r.status).toBe(401);
      expect(r.text).toBe('');
      await d.login();
      expect((await d.call('GET', '/catalog')).status).toBe(200);
      await c.login();
    });
  });

  describe('jobs', () => {
    it('submits SQL and walks through realistic states to COMPLETED', async () => {
      const id = await c.submit('SELECT 1 AS one', null);
      const { status, states } = await c.wait(id);
      expect(states.slice(0, -1).length).toBe(3);
      expect(states.at(-1)).toBe('COMPLETED');
      expect(states[0]).toBe('PENDING');
      expect(states.at(-2)).toBe('RUNNING');
      expect(status).toMatchObject({ jobState: 'COMPLETED', rowCount: 1, errorMessage: '', queryType: 'REST', cancellationReason: '' });
      expect(status.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(status.endedAt).toMatch(/Z$/);
      const r = await c.call('GET', `/job/${id}/results`);
      expect(r.json).toEqual({ rowCount: 1, schema: [{ name: 'one', type: { name: 'INTEGER' } }], rows: [{ one: 1 }] });
    });

    it('omits null fields while running (no endedAt)', async () => {
      const id = await c.submit('SELECT 1');
      const r = await c.call('GET', `/job/${id}`);
      expect(r.json.jobState).toBe('PENDING');
      expect('endedAt' in r.json).toBe(false);
      expect(r.json.rowCount).toBe(0);
      await c.wait(id);
    });

    it('returns 404 for an unknown job id', async () => {
      const r = await c.call('GET', '/job/nope-123');
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ errorMessage: 'Could not find a job with id [nope-123]', moreInfo: '' });
      expect((await c.call('GET', '/job/nope-123/results')).status).toBe(404);
      expect((await c.call('POST', '/job/nope-123/cancel')).status).toBe(404);
    });

    it('pages 1,234 rows with limit 500, rowCount = job total, past-the-end is empty', async () => {
      const id = await c.submit('SELECT range AS n FROM range(1234)');
      await c.wait(id);
      const pages: number[] = [];
      for (let offset = 0, i = 0; i < 10; i++, offset += 500) {
        const r = await c.call('GET', `/job/${id}/results?offset=${offset}&limit=500`);
        expect(r.status).toBe(200);
        expect(r.json.rowCount).toBe(1234);
        pages.push(r.json.rows.length);
        if (offset + 500 >= r.json.rowCount) break;
      }
      expect(pages).toEqual([500, 500, 234]);
      const past = await c.call('GET', `/job/${id}/results?offset=5000&limit=500`);
      expect(past.json.rows).toEqual([]);
      const dflt = await c.call('GET', `/job/${id}/results`);
      expect(dflt.json.rows.length).toBe(100);
    });

    it('rejects limit 501 and results of non-completed jobs with 400', async () => {
      const id = await c.submit('SELECT 1');
      const early = await c.call('GET', `/job/${id}/results`);
      expect(early.status).toBe(400);
      expect(early.json.errorMessage).toBe('Can not fetch details for a job that is in [PENDING] state.');
      await c.wait(id);
      const big = await c.call('GET', `/job/${id}/results?limit=501`);
      expect(big.status).toBe(400);
      expect(big.json.errorMessage).toBe('limit can not exceed 500 rows');
    });

    it('cancels a running job: 204, CANCELLATION_REQUESTED, then CANCELED (one L)', async () => {
      const id = await c.submit('CREATE TABLE lake.cancelled AS SELECT 1 AS a');
      const r = await c.call('POST', `/job/${id}/cancel`);
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      const { status, states } = await c.wait(id);
      expect(states).toEqual(['CANCELLATION_REQUESTED', 'CANCELED']);
      expect(status.cancellationReason).toBe("Query cancelled by user 'dremio'");
      expect(JSON.stringify(status)).not.toContain('CANCELLED');
      expect((await c.call('GET', `/job/${id}/results`)).json.errorMessage).toContain('[CANCELED]');
      // A cancelled job has no side effects, and a final job cannot be cancelled again.
      expect(em.catalog.dataset(['lake', 'cancelled'])).toBeUndefined();
      expect((await c.call('POST', `/job/${id}/cancel`)).status).toBe(409);
    });

    it('maps DuckDB types to Dremio schema names and encodings', async () => {
      const { rows, schema } = await c.ok(`SELECT CAST(1 AS BIGINT) AS b, CAST(2 AS INTEGER) AS i, CAST(1.5 AS DOUBLE) AS d,
        CAST(2.5 AS FLOAT) AS f, TRUE AS t, CAST(10.50 AS DECIMAL(10,2)) AS dec, DATE '2024-05-01' AS dt,
        TIME '12:34:56.789' AS tm, TIMESTAMP '2013-02-10 20:00:00' AS ts, 'x' AS s, CAST(NULL AS VARCHAR) AS n, SUM(CAST(3 AS BIGINT)) AS sm`);
      expect(schema.map((s: any) => s.type)).toEqual([
        { name: 'BIGINT' }, { name: 'INTEGER' }, { name: 'DOUBLE' }, { name: 'FLOAT' }, { name: 'BOOLEAN' },
        { name: 'DECIMAL', precision: 10, scale: 2 }, { name: 'DATE' }, { name: 'TIME' }, { name: 'TIMESTAMP' },
        { name: 'VARCHAR' }, { name: 'VARCHAR' }, { name: 'BIGINT' },
      ]);
      expect(rows[0]).toEqual({ b: 1, i: 2, d: 1.5, f: 2.5, t: true, dec: 10.5, dt: '2024-05-01', tm: '12:34:56.789',
        ts: '2013-02-10 20:00:00.000', s: 'x', n: null, sm: 3 });
    });

    it('answers sys.version', async () => {
      const { rows } = await c.ok('SELECT version FROM sys.version');
      expect(rows[0].version).toBe('25.0.0-emulator');
    });

    it('fails bad SQL later, with a Dremio-style errorMessage', async () => {
      const id = await c.submit('SELEC 1');
      const { status } = await c.wait(id);
      expect(status.jobState).toBe('FAILED');
      expect(status.errorMessage).toMatch(/^PARSE ERROR: /);
      const missing = await c.run('SELECT * FROM lake.nowhere.t');
      expect(missing.status.errorMessage).toBe("VALIDATION ERROR: Object 't' not found within 'lake.nowhere'");
      const badCol = await c.run('SELECT nope FROM sys.version');
      expect(badCol.status.errorMessage).toMatch(/^VALIDATION ERROR: .*nope/);
    });
  });

  describe('catalog', () => {
    it('looks up by path, 404 with Dremio text for missing paths', async () => {
      const r = await c.call('GET', '/catalog/by-path/analytics');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ entityType: 'space', name: 'analytics', path: ['analytics'] });
      const missing = await c.call('GET', '/catalog/by-path/a/b');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ errorMessage: 'Could not find entity with path [[a, b]]', moreInfo: '' });
    });

    it('creates spaces and folders; 409 on Software for an existing object', async () => {
      const s = await c.call('POST', '/catalog', { entityType: 'space', name: 'marts' });
      expect(s.status).toBe(200);
      expect(s.json).toMatchObject({ entityType: 'space', name: 'marts' });
      expect(typeof s.json.id).toBe('string');
      const f = await c.call('POST', '/catalog', { entityType: 'folder', path: ['marts', 'staging'] });
      expect(f.status).toBe(200);
      const again = await c.call('POST', '/catalog', { entityType: 'folder', path: ['marts', 'staging'] });
      expect(again.status).toBe(409);
      expect(again.json.errorMessage).toContain('An object already exists with that name');
      const parent = await c.call('GET', '/catalog/by-path/marts');
      expect(parent.json.children).toEqual([expect.objectContaining({ path: ['marts', 'staging'], type: 'CONTAINER', containerType: 'FOLDER' })]);
      const inSource = await c.call('POST', '/catalog', { entityType: 'folder', path: ['lake', 'x'] });
      expect(inSource.status).toBe(400);
      expect(inSource.json.errorMessage).toContain('Can not create a folder inside a [SOURCE]');
      const byId = await c.call('GET', `/catalog/${f.json.id}`);
      expect(byId.json.path).toEqual(['marts', 'staging']);
      expect((await c.call('DELETE', `/catalog/${s.json.id}`)).status).toBe(204);
      expect((await c.call('GET', '/catalog/by-path/marts/staging')).status).toBe(404);
    });

    it('serves the Cloud prefix with Bearer auth; an existing object is a 400 there', async () => {
      const cloud = client(em, em.cloudBase);
      cloud.useBearer('pat-123');
      expect((await cloud.call('POST', '/catalog', { entityType: 'space', name: 'cloudy' })).status).toBe(200);
      const dup = await cloud.call('POST', '/catalog', { entityType: 'space', name: 'cloudy' });
      expect(dup.status).toBe(400);
      expect(dup.json.errorMessage).toContain('An object already exists with that name.');
      const { rows } = await (async () => { const id = await cloud.submit('SELECT 42 AS x'); await cloud.wait(id); return (await cloud.call('GET', `/job/${id}/results`)).json; })();
      expect(rows).toEqual([{ x: 42 }]);
      // Cloud does not accept the _dremio scheme, and other project ids are unknown.
      expect((await call('GET', `${em.cloudBase}/catalog`, c.auth)).status).toBe(401);
      expect((await call('GET', `${em.url}/v0/projects/other/catalog`, 'Bearer pat-123')).status).toBe(404);
    });

    it('cloud mode serves only the project prefix', async () => {
      const cl = await startEmulator({ mode: 'cloud', projectId: 'p1', pats: ['t'] });
      try {
        expect((await call('POST', `${cl.url}/apiv2/login`, undefined, { userName: 'dremio', password: 'dremio123' })).status).toBe(404);
        expect((await call('GET', `${cl.url}/v0/projects/p1/catalog`, 'Bearer t')).status).toBe(200);
      } finally { await cl.close(); }
    });

    it('404 for unknown routes and 405 for wrong methods', async () => {
      const r = await c.call('GET', '/nothing-here');
      expect(r.status).toBe(404);
      expect(r.json).toHaveProperty('errorMessage');
      expect((await c.call('DELETE', '/sql')).status).toBe(405);
    });
  });

  describe('fault injection', () => {
    it('429 with and without Retry-After, then recovers', async () => {
      em.faults.rateLimit({ retryAfterSeconds: 2, match: /\/catalog$/ });
      em.faults.rateLimit({ match: /\/catalog$/ });
      const a = await c.call('GET', '/catalog');
      expect(a.status).toBe(429);
      expect(a.headers['retry-after']).toBe('2');
      const b = await c.call('GET', '/catalog');
      expect(b.status).toBe(429);
      expect(b.headers['retry-after']).toBeUndefined();
      expect((await c.call('GET', '/catalog')).status).toBe(200);
    });

    it('503 and 500 for the next N matching requests', async () => {
      em.faults.unavailable({ times: 2, method: 'POST', match: '/sql' });
      expect((await c.call('POST', '/sql', { sql: 'SELECT 1' })).status).toBe(503);
      expect((await c.call('POST', '/sql', { sql: 'SELECT 1' })).status).toBe(503);
      em.faults.serverError();
      const e = await c.call('GET', '/catalog');
      expect(e.status).toBe(500);
      expect(e.json.errorMessage).toMatch(/^Something went wrong/);
      expect(em.requests.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(2);
    });

    it('resets the connection', async () => {
      em.faults.resetConnection({ match: /\/catalog$/ });
      await expect(c.call('GET', '/catalog')).rejects.toThrow();
      expect((await c.call('GET', '/catalog')).status).toBe(200);
    });

    it('slow jobs stay non-final for extra polls', async () => {
      em.faults.slowJobs({ match: /slow_one/, extraPolls: 4 });
      const id = await c.submit('SELECT 1 AS slow_one');
      const { states } = await c.wait(id);
      expect(states.length).toBe(3 + 4 + 1);
    });

    it('fails or server-cancels the next matching job', async () => {
      em.faults.failJobs({ match: /boom/, message: 'SYSTEM ERROR: OutOfMemoryException' });
      const f = await c.run('SELECT 1 AS boom');
      expect(f.status).toMatchObject({ jobState: 'FAILED', errorMessage: 'SYSTEM ERROR: OutOfMemoryException' });
      em.faults.cancelJobs({ match: /bye/, reason: 'Query cancelled by admin' });
      const k = await c.run('SELECT 1 AS bye');
      expect(k.status).toMatchObject({ jobState: 'CANCELED', cancellationReason: 'Query cancelled by admin' });
      expect((await c.run('SELECT 1 AS boom')).status.jobState).toBe('COMPLETED');
    });

    it('fixed-duration jobs complete by wall time', async () => {
      const timed = await startEmulator({ jobDurationMs: 1000 });
      try {
        const t = client(timed);
        await t.login();
        const start = Date.now();
        const id = await t.submit('SELECT 1');
        expect((await t.call('GET', `/job/${id}`)).json.jobState).not.toBe('COMPLETED');
        let state = '';
        for (let i = 0; i < 100 && state !== 'COMPLETED'; i++) {
          await new Promise((r) => setTimeout(r, 20));
          state = (await t.call('GET', `/job/${id}`)).json.jobState;
        }
        expect(state).toBe('COMPLETED');
        expect(Date.now() - start).toBeGreaterThanOrEqual(990);
      } finally { await timed.close(); }
    });
  });

  describe('reflections (kept in memory)', () => {
    it('creates, lists by dataset, updates with a new tag, rejects a stale tag', async () => {
      await c.ok(`create table lake.refl as select 1 as a, 2 as b`);
      const ds = (await c.call('GET', '/catalog/by-path/lake/refl')).json;
      const created = await c.call('POST', '/reflection', { type: 'RAW', name: 'raw_refl', datasetId: ds.id, enabled: true, displayFields: [{ name: 'a' }], entityType: 'reflection' });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ name: 'raw_refl', datasetId: ds.id, type: 'RAW' });
      const list = await c.call('GET', `/dataset/${ds.id}/reflection`);
      expect(list.json.data.map((r: any) => r.id)).toEqual([created.json.id]);
      const upd = await c.call('PUT', `/reflection/${created.json.id}`, { ...created.json, displayFields: [{ name: 'b' }] });
      expect(upd.status).toBe(200);
      expect(upd.json.tag).not.toBe(created.json.tag);
      expect(upd.json.displayFields).toEqual([{ name: 'b' }]);
      const stale = await c.call('PUT', `/reflection/${created.json.id}`, { ...created.json });
      expect(stale.status).toBe(409);
      expect((await c.call('GET', `/reflection/${created.json.id}`)).json.tag).toBe(upd.json.tag);
      expect((await c.call('POST', '/reflection', { type: 'RAW', name: 'x', datasetId: 'nope' })).status).toBe(404);
    });
  });

});

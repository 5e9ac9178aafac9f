// Tests for the Dremio REST API emulator — a TEST DOUBLE, not Dremio. They pin the wire protocol the
// cairn Dremio adapter relies on (see /work/shared/docs/dremio-rest.md §9), using plain undici calls.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { translate } from './dremio-emulator/sql-translate.js';
import { render } from './dremio-emulator/sql-tokenize.js';

interface Resp { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

async function call(method: string, url: string, auth?: string, body?: unknown): Promise<Resp> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers['authorization'] = auth;
  const r = await request(url, {
    method: method as 'GET',
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await r.body.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: r.statusCode, headers: r.headers, text, json };
}

/** A tiny client over the emulator; every loop is bounded. */
function client(em: Emulator, base = em.softwareBase) {
  let auth = '';
  return {
    get auth() { return auth; },
    async login(user = 'dremio', password = 'dremio123') {
      const r = await call('POST', `${em.url}/apiv2/login`, undefined, { userName: user, password });
      auth = `_dremio${r.json.token}`;
      return r;
    },
    useBearer(token: string) { auth = `Bearer ${token}`; },
    call: (method: string, path: string, body?: unknown) => call(method, `${base}${path}`, auth, body),
    async submit(sql: string, context: string[] | null = null): Promise<string> {
      const r = await call('POST', `${base}/sql`, auth, { sql, context });
      expect(r.status).toBe(200);
      return r.json.id as string;
    },
    async wait(id: string, maxPolls = 50) {
      const states: string[] = [];
      for (let i = 0; i < maxPolls; i++) {
        const r = await call('GET', `${base}/job/${id}`, auth);
        expect(r.status).toBe(200);
        states.push(r.json.jobState);
        if (['COMPLETED', 'FAILED', 'CANCELED'].includes(r.json.jobState)) return { status: r.json, states };
        await new Promise((res) => setTimeout(res, 5));
      }
      throw new Error(`job ${id} not final after ${maxPolls} polls: ${states.join(',')}`);
    },
    async run(sql: string, context: string[] | null = null) {
      const id = await this.submit(sql, context);
      const { status } = await this.wait(id);
      if (status.jobState !== 'COMPLETED') return { id, status, rows: [] as any[], schema: [] as any[] };
      const r = await call('GET', `${base}/job/${id}/results?offset=0&limit=500`, auth);
      return { id, status, rows: r.json.rows as any[], schema: r.json.schema as any[] };
    },
    async ok(sql: string, context: string[] | null = null) {
      const r = await this.run(sql, context);
      if (r.status.jobState !== 'COMPLETED') throw new Error(`${sql} -> ${r.status.jobState}: ${r.status.errorMessage}`);
      return r;
    },
  };
}

describe('Dremio REST emulator (test double for the cairn Dremio adapter)', () => {
  let em: Emulator;
  let storage: string;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'cairn-emu-'));
    em = await startEmulator({ sources: ['lake'], spaces: ['analytics'], catalogs: ['nessie'], pats: ['pat-123'], storageRoots: { lake: storage } });
    c = client(em);
    await c.login();
  });
  afterAll(async () => {
    await em?.close();
    rmSync(storage, { recursive: true, force: true });
  });

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

  describe('SQL translation round trips', () => {
    it('CTAS + INSERT + MERGE, visible through SQL, catalog and DuckDB', async () => {
      const ctas = await c.ok(`/* {"app":"cairn"} */ create table "lake"."stg"."deep.er"."orders"
        partition by ("id") localsort by ("id") store as (type=>'iceberg') with single writer
        as (select 1 as id, 'a' as v union all select 2, 'b')`);
      expect(ctas.rows[0]).toMatchObject({ Records: 2 });
      const dup = await c.run(`create table "lake"."stg"."deep.er"."orders" as select 1 as id`);
      expect(dup.status.errorMessage).toContain('already exists');
      await c.ok(`insert into "lake"."stg"."deep.er"."orders" ("id", "v") select 3, 'c'`);
      await c.ok(`create table "lake"."stg"."deep.er"."orders__dbt_tmp" as select * from (values (2, 'B'), (4, 'd')) t (id, v)`);
      const merge = await c.ok(`merge into "lake"."stg"."deep.er"."orders" as DBT_INTERNAL_DEST
        using "lake"."stg"."deep.er"."orders__dbt_tmp" as DBT_INTERNAL_SOURCE
        on (DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id)
        when matched then update set "v" = DBT_INTERNAL_SOURCE."v"
        when not matched then insert ("id", "v") values (DBT_INTERNAL_SOURCE.id, DBT_INTERNAL_SOURCE.v)`);
      expect(merge.rows[0]).toEqual({ Records: 2 });
      const { rows } = await c.ok(`select id, v from "lake"."stg"."deep.er"."orders" order by id`);
      expect(rows).toEqual([{ id: 1, v: 'a' }, { id: 2, v: 'B' }, { id: 3, v: 'c' }, { id: 4, v: 'd' }]);
      expect(await em.db.query(`select count(*) as n from ${em.db.name(['lake', 'stg', 'deep.er', 'orders'])}`)).toEqual([{ n: 4 }]);
      const entity = await c.call('GET', `/catalog/by-path/lake/stg/${encodeURIComponent('deep.er')}/orders`);
      expect(entity.json).toMatchObject({ entityType: 'dataset', type: 'PHYSICAL_DATASET', path: ['lake', 'stg', 'deep.er', 'orders'] });
      expect(entity.json.fields.map((f: any) => f.name)).toEqual(['id', 'v']);
      // Filesystem sources create the directories on demand.
      expect((await c.call('GET', '/catalog/by-path/lake/stg')).json.entityType).toBe('folder');
      await c.ok(`drop table if exists "lake"."stg"."deep.er"."orders__dbt_tmp"`);
      await c.ok(`drop table if exists "lake"."stg"."deep.er"."orders__dbt_tmp"`);
      expect(em.catalog.dataset(['lake', 'stg', 'deep.er', 'orders__dbt_tmp'])).toBeUndefined();
    });

    it('creates views over tables in spaces (folders must exist) and replaces them', async () => {
      await c.ok(`create table lake.base as select 1 as id, 10.25 as amount`);
      const noFolder = await c.run(`create view "analytics"."missing"."v" as select * from lake.base`);
      expect(noFolder.status.errorMessage).toMatch(/^VALIDATION ERROR: .*analytics\.missing/);
      await c.ok(`create folder if not exists "analytics"."reports"`);
      await c.ok(`create or replace view "analytics"."reports"."v" as select id, amount * 2 as amt from "lake"."base"`);
      const before = { ...em.catalog.dataset(['analytics', 'reports', 'v'])! };
      const r = await c.ok(`select * from "analytics"."reports"."v"`);
      expect(r.rows).toEqual([{ id: 1, amt: 20.5 }]);
      await c.ok(`create or replace view "analytics"."reports"."v" as select id from "lake"."base"`);
      const after = em.catalog.dataset(['analytics', 'reports', 'v'])!;
      expect(after.id).toBe(before.id);
      expect(after.tag).not.toBe(before.tag);
      const ent = await c.call('GET', '/catalog/by-path/analytics/reports/v');
      expect(ent.json).toMatchObject({ entityType: 'dataset', type: 'VIRTUAL_DATASET', fields: [{ name: 'id', type: { name: 'INTEGER' } }] });
      const tableInSpace = await c.run(`create table analytics.reports.t as select 1 as a`);
      expect(tableInSpace.status.jobState).toBe('FAILED');
      // Unqualified names resolve in the request context.
      const ctx = await c.ok(`select count(*) as n from v`, ['analytics', 'reports']);
      expect(ctx.rows).toEqual([{ n: 1 }]);
      await c.ok(`drop view "analytics"."reports"."v"`);
      expect((await c.call('GET', '/catalog/by-path/analytics/reports/v')).status).toBe(404);
    });

    it('supports ALTER TABLE ADD COLUMNS / DROP COLUMN, DELETE, TRUNCATE and AT BRANCH (recorded)', async () => {
      await c.ok(`create table nessie.t1 (id bigint, name varchar)`);
      await c.ok(`insert into nessie.t1 at branch main values (1, 'a'), (2, 'b')`);
      const job = em.jobs.last()!;
      expect(job.atRefs).toEqual([{ path: ['nessie', 't1'], type: 'BRANCH', value: 'main' }]);
      await c.ok(`alter table nessie.t1 add columns ("score" double, "flag" boolean)`);
      await c.ok(`alter table nessie.t1 drop column "flag"`);
      await c.ok(`delete from nessie.t1 where id = 1`);
      const { rows } = await c.ok(`select * from nessie.t1`);
      expect(rows).toEqual([{ id: 2, name: 'b', score: null }]);
      await c.ok(`truncate table nessie.t1`);
      expect((await c.ok(`select count(*) as n from nessie.t1`)).rows).toEqual([{ n: 0 }]);
      const folderMissing = await c.run(`create table nessie.nofolder.t as select 1 as a`);
      expect(folderMissing.status.jobState).toBe('FAILED');
    });

    it('fails CTAS when a partition column is not in the result', async () => {
      const r = await c.run(`create table lake.p partition by (month("ts"), "nope") as select 1 as id, current_date as ts`);
      expect(r.status.jobState).toBe('FAILED');
      expect(r.status.errorMessage).toBe('VALIDATION ERROR: Partition column(s) [nope] are not found in table.');
      expect(em.catalog.dataset(['lake', 'p'])).toBeUndefined();
    });

    it('versions catalogs: a branch is a copy; AT BRANCH reads and writes it; MERGE publishes; DROP removes it', async () => {
      await c.ok(`create table nessie.b1 as select 1 as id`);
      await c.ok(`CREATE BRANCH IF NOT EXISTS "dev" AT BRANCH "main" IN "nessie"`);
      await c.ok(`insert into nessie.b1 at branch dev values (2)`);
      expect((await c.ok(`select count(*) as n from nessie.b1`)).rows).toEqual([{ n: 1 }]);
      expect((await c.ok(`select count(*) as n from nessie.b1 at branch "dev"`)).rows).toEqual([{ n: 2 }]);
      expect((await c.run(`select * from nessie.b1 at branch nope`)).status.errorMessage).toMatch(/Branch 'nope' is not found in source \[nessie\]/);
      expect((await c.run(`CREATE BRANCH "dev" IN "nessie"`)).status.errorMessage).toMatch(/already exists/);
      await c.ok(`MERGE BRANCH "dev" INTO "main" IN "nessie"`);
      expect((await c.ok(`select count(*) as n from nessie.b1`)).rows).toEqual([{ n: 2 }]);
      await c.ok(`DROP BRANCH "dev" FORCE IN "nessie"`);
      expect((await c.run(`select * from nessie.b1 at branch dev`)).status.errorMessage).toMatch(/Branch 'dev' is not found/);
      expect((await c.run(`DROP BRANCH "main" IN "nessie"`)).status.errorMessage).toMatch(/Cannot drop the default branch/);
    });

    it('keeps column references and string literals intact', async () => {
      await c.ok(`create table lake.lit as select 'from lake.x join y' as s, 1 as "lake.y"`);
      const r = await c.ok(`select t.s, t."lake.y", extract(year from date '2020-01-01') as yr from lake.lit as t -- from lake.zzz`);
      expect(r.rows).toEqual([{ s: 'from lake.x join y', 'lake.y': 1, yr: 2020 }]);
    });

    it('COPY INTO loads CSV from a storage root, and fails without files', async () => {
      mkdirSync(join(storage, 'incoming'), { recursive: true });
      writeFileSync(join(storage, 'incoming', 'a.csv'), 'id,name,extra\n1,ann,x\n2,bob,y\n');
      writeFileSync(join(storage, 'incoming', 'b.csv'), 'id,name\n3,cy\n');
      await c.ok(`create table lake.people (id int, name varchar)`);
      const r = await c.ok(`copy into lake.people from '@lake/incoming/' file_format 'csv' (ON_ERROR 'abort')`);
      expect(r.rows[0]).toMatchObject({ Records: 3 });
      expect((await c.ok(`select * from lake.people order by id`)).rows).toEqual([{ id: 1, name: 'ann' }, { id: 2, name: 'bob' }, { id: 3, name: 'cy' }]);
      const none = await c.run(`copy into lake.people from '@lake/empty/' file_format 'csv'`);
      expect(none.status.jobState).toBe('FAILED');
      expect(none.status.errorMessage).toMatch(/^VALIDATION ERROR: No files were found/);
      writeFileSync(join(storage, 'incoming', 'c.csv'), 'id,name\nnotanumber,dee\n4,eve\n');
      const abort = await c.run(`copy into lake.people from '@lake/incoming/' files ('c.csv') file_format 'csv'`);
      expect(abort.status.jobState).toBe('FAILED');
      const cont = await c.ok(`copy into lake.people from '@lake/incoming/' files ('c.csv') file_format 'csv' (ON_ERROR 'continue')`);
      expect(cont.rows[0]).toEqual({ Records: 1, 'Rejected Records': 1 });
    });

    it('queries INFORMATION_SCHEMA with Dremio schema names', async () => {
      await c.ok(`create table lake.info.t as select 1 as a`);
      const r = await c.ok(`select table_schema, table_name, table_type from information_schema."tables" where ilike(table_schema, 'lake.info')`);
      expect(r.rows).toEqual([{ TABLE_SCHEMA: 'lake.info', TABLE_NAME: 't', TABLE_TYPE: 'TABLE' }]);
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

  describe('dbt-dremio shaped statements', () => {
    it('seed CTAS from VALUES, typed-contract CTAS, snapshot MERGE with a subquery source', async () => {
      await c.ok(`create table "lake"."seeds"."s1" as (
        select cast("c1" as bigint) as "c1", cast("c2" as varchar) as "c2"
        from (values ('1','it''s'), ('2', cast(null as varchar))) temp_table ( "c1", "c2" ) )`);
      expect((await c.ok(`select * from "lake"."seeds"."s1" order by "c1"`)).rows).toEqual([{ c1: 1, c2: "it's" }, { c1: 2, c2: null }]);
      await c.ok(`create table "lake"."seeds"."typed" ( id bigint not null, amount decimal(12,2) ) as ( select 1 as id, 3.5 as amount )`);
      const typed = await c.ok(`select * from "lake"."seeds"."typed"`);
      expect(typed.schema[1]).toEqual({ name: 'amount', type: { name: 'DECIMAL', precision: 12, scale: 2 } });
      await c.ok(`create table lake.snap as select 1 as dbt_scd_id, cast(null as timestamp) as dbt_valid_to`);
      await c.ok(`create table lake.snap_staging as select 1 as dbt_scd_id, timestamp '2024-01-01 00:00:00' as dbt_valid_to, 'update' as dbt_change_type
        union all select 2, null, 'insert'`);
      await c.ok(`merge into lake.snap as DBT_INTERNAL_DEST
        using (select * from lake.snap_staging where dbt_change_type in ('update', 'delete', 'insert')) as DBT_INTERNAL_SOURCE
        on (DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')
            and DBT_INTERNAL_DEST.dbt_valid_to is null)
        when matched then update set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to
        when not matched then insert (dbt_scd_id, dbt_valid_to) values (DBT_INTERNAL_SOURCE.dbt_scd_id, DBT_INTERNAL_SOURCE.dbt_valid_to)`);
      expect((await c.ok(`select * from lake.snap order by dbt_scd_id`)).rows).toEqual([
        { dbt_scd_id: 1, dbt_valid_to: '2024-01-01 00:00:00.000' }, { dbt_scd_id: 2, dbt_valid_to: null },
      ]);
    });

    it('fails statements it does not understand with PARSE ERROR, and tag DDL as unsupported', async () => {
      expect((await c.run('FROBNICATE lake.x')).status.errorMessage).toMatch(/^PARSE ERROR: /);
      expect((await c.run('CREATE TAG t IN nessie')).status.errorMessage).toMatch(/^UNSUPPORTED_OPERATION ERROR: /);
      expect((await c.run('CREATE BRANCH b IN lake')).status.errorMessage).toMatch(/^VALIDATION ERROR: .*does not support versioning/);
      expect((await c.run('SELECT 1; SELECT 2')).status.errorMessage).toMatch(/^PARSE ERROR: /);
    });
  });

  describe('standalone CLI', () => {
    it('compiles with tsc (NodeNext) and listens on the given port', async () => {
      const out = join(process.cwd(), 'test', '.tmp', `emu-build-${process.pid}`);
      try {
        execFileSync(process.execPath, [join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc'),
          '--outDir', out, '--rootDir', process.cwd(), '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
          '--strict', '--skipLibCheck', '--types', 'node', '--ignoreConfig', join(process.cwd(), 'test', 'dremio-emulator', 'main.ts')], { stdio: 'pipe', timeout: 120_000 });
        const proc = spawn(process.execPath, [join(out, 'test', 'dremio-emulator', 'main.js'), '--port', '0', '--storage', `lake=${storage}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          const line = await new Promise<string>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no banner within 20s')), 20_000);
            proc.stdout.on('data', (d: Buffer) => { clearTimeout(timer); resolve(d.toString()); });
            proc.once('exit', (code) => reject(new Error(`exited ${code}`)));
          });
          const m = /Dremio emulator listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
          expect(m).not.toBeNull();
          const r = await call('POST', `${m![1]}/apiv2/login`, undefined, { userName: 'dremio', password: 'dremio123' });
          expect(r.status).toBe(200);
          const lake = await call('GET', `${m![1]}/api/v3/catalog/by-path/lake`, `_dremio${r.json.token}`);
          expect(lake.json.entityType).toBe('source');
        } finally {
          const exited = new Promise((res) => proc.once('exit', res));
          proc.kill('SIGTERM');
          await exited;
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

describe('Dremio SQL -> DuckDB translation (emulator test double)', () => {
  const exists = (p: readonly string[]) => p.join('.') === 'space.f.known';
  const tr = (sql: string, context?: string[]) => render(translate(sql, { exists, ...(context ? { context } : {}) }).tokens);

  it('maps paths of any depth, with dotted components, to schema "a/b/c" and table', () => {
    expect(tr('select * from "a"."b"."c"."t"')).toBe('select * from "a/b/c"."t"');
    expect(tr('select * from Samples."samples.dremio.com"."SF weather"'))
      .toBe('select * from "Samples/samples.dremio.com"."SF weather"');
    expect(tr('select * from "space"."v"')).toBe('select * from "space"."v"');
  });

  it('rewrites only relation positions', () => {
    expect(tr('insert into "s"."p"."m"( "a" ) select DBT_INTERNAL_SOURCE."a", x.y.z from "s"."p"."tmp" DBT_INTERNAL_SOURCE'))
      .toBe('insert into "s/p"."m" ("a") select DBT_INTERNAL_SOURCE."a", x.y.z from "s/p"."tmp" DBT_INTERNAL_SOURCE');
    expect(tr("select 'from a.b' as s, extract(year from t.ts) from a.b as t, c.d join e.f.g on true"))
      .toBe(`select 'from a.b' as s, extract(year from t.ts) from "a"."b" as t, "c"."d" join "e/f"."g" on true`);
    expect(tr('select a is distinct from b.c from x.y')).toBe('select a is distinct from b.c from "x"."y"');
  });

  it('leaves CTE names alone and resolves bare names in the request context', () => {
    expect(tr('with q as (select 1) select * from q', ['space', 'f'])).toBe('with q as(select 1) select * from q');
    expect(tr('select * from known', ['space', 'f'])).toBe('select * from "space/f"."known"');
    expect(tr('create table t as select 1', ['lake'])).toBe('create table "lake"."t" as select 1');
  });

  it('handles DDL positions and strips AT BRANCH, recording it', () => {
    expect(tr('drop table if exists "s"."p"."m"')).toBe('drop table if exists "s/p"."m"');
    expect(tr('create folder if not exists cat.f1.f2')).toBe('create folder if not exists "cat/f1"."f2"');
    const t = translate('merge into cat.t at branch dev as d using cat.s at branch "dev" as s on (d.id = s.id) when matched then update set v = s.v', { exists });
    expect(render(t.tokens)).toBe('merge into "cat"."t" as d using "cat"."s" as s on(d.id = s.id) when matched then update set v = s.v');
    expect(t.atRefs.map((r) => r.value)).toEqual(['dev', 'dev']);
  });

  it('tokenizes quotes, escapes and comments', () => {
    expect(tr(`select 'it''s -- not a comment' as "we""ird" /* from a.b */ from x.y -- from c.d`))
      .toBe(`select 'it''s -- not a comment' as "we""ird" from "x"."y"`);
    expect(() => tr(`select 'unterminated`)).toThrow(/PARSE ERROR/);
  });
});

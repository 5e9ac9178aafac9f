// The sample project on Dremio, through the REST adapter against the Dremio emulator — a TEST DOUBLE
// (test/dremio-emulator) that runs the SQL on DuckDB. Results must equal the DuckDB build's.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { call } from './helpers/emulator-client.js';
import { cli, copySample, repoRoot } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const ROWS = `select order_id, customer_id, cast(amount as double) as amount, status, strftime(order_timestamp, '%Y-%m-%d %H:%M:%S') as ts, strftime(order_date, '%Y-%m-%d') as d`;

async function duckdbResult(ds?: string[]): Promise<Record<string, unknown>[]> {
  const dir = copySample();
  for (const d of ds ?? [undefined]) expect(cli(['build', ...(d ? ['--ds', d] : [])], { cwd: dir }).code).toBe(0);
  return queryDuckdb(join(dir, 'cairn_dev.duckdb'), `${ROWS} from silver.orders_incremental order by order_id`);
}

async function emulatorRows(e: Emulator, table: string[]): Promise<Record<string, unknown>[]> {
  return e.db.query(`${ROWS} from ${e.db.name(table)} order by order_id`);
}

describe('sample project on Dremio (emulator test double)', () => {
  it('builds in Software mode (user/password) with the same rows as on DuckDB, and reruns idempotently', async () => {
    const dir = copySample();
    em = await startEmulator({ sources: ['lake'], storageRoots: { samples: join(dir, 'data') }, jobPolls: 1 });
    const env = { DREMIO_PORT: String(em.port), DREMIO_HOST: '127.0.0.1' };
    const first = await cliAsync(['build', '--target', 'dremio'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Done\. PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5/);
    const expected = await duckdbResult();
    expect(expected.length).toBe(9);
    expect(await emulatorRows(em, ['lake', 'orders_pipeline', 'silver', 'orders_incremental'])).toEqual(expected);
    const second = await cliAsync(['run', '--target', 'dremio'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(await emulatorRows(em, ['lake', 'orders_pipeline', 'silver', 'orders_incremental'])).toEqual(expected);
    const summary = await em.db.query(`select strftime(order_date, '%Y-%m-%d') as d, order_count from ${em.db.name(['orders_pipeline', 'gold', 'orders_summary'])} order by 1`);
    expect(summary).toEqual([{ d: '2024-01-01', order_count: 3 }, { d: '2024-01-02', order_count: 3 }, { d: '2024-01-03', order_count: 3 }]);
    // The view was created in a space made through the REST catalog API.
    expect(em.requests.some((r) => r.method === 'POST' && r.path === '/api/v3/catalog')).toBe(true);
    // Every job went through the Software prefix, and the replaced table never dropped before its tmp was built.
    const sqls = em.jobs.list().map((j) => j.sql);
    const tmpAt = sqls.findIndex((s) => /CREATE TABLE "lake"\."orders_pipeline"\."bronze"\."orders_raw__cairn_tmp"/.test(s));
    const dropAt = sqls.findIndex((s) => /^DROP TABLE "lake"\."orders_pipeline"\."bronze"\."orders_raw"$/.test(s));
    expect(tmpAt).toBeGreaterThan(-1);
    expect(dropAt).toBeGreaterThan(tmpAt);
  }, 180_000);

  it('builds in Cloud mode (PAT, /v0/projects/{id}) day by day like DuckDB', async () => {
    const dir = copySample();
    em = await startEmulator({ mode: 'cloud', sources: ['lake'], pats: ['cloud-pat-123'], storageRoots: { samples: join(dir, 'data') }, jobPolls: 1 });
    const env = { DREMIO_CLOUD_HOST: `http://127.0.0.1:${em.port}`, DREMIO_PROJECT_ID: em.projectId, DREMIO_PAT: 'cloud-pat-123' };
    const day1 = await cliAsync(['run', '--target', 'dremio_cloud', '--ds', '2024-01-01'], { cwd: dir, env });
    expect(day1.stderr).toBe('');
    expect(day1.code).toBe(0);
    const day2 = await cliAsync(['run', '--target', 'dremio_cloud', '--ds', '2024-01-02'], { cwd: dir, env });
    expect(day2.code).toBe(0);
    expect(day2.stdout).toMatch(/OK created sql incremental model orders_pipeline\.silver\.orders_incremental \.+ \[OK 4 /);
    expect(await emulatorRows(em, ['lake', 'orders_pipeline', 'silver', 'orders_incremental'])).toEqual(await duckdbResult(['2024-01-01', '2024-01-02']));
    expect(em.requests.every((r) => r.path.startsWith(`/v0/projects/${em!.projectId}/`))).toBe(true);
    expect(day2.stdout + day2.stderr).not.toContain('cloud-pat-123');
    // The space folder already existed on the second run: Cloud answers 400 "already exists", tolerated.
    expect(em.requests.some((r) => r.method === 'POST' && r.path.endsWith('/catalog') && r.status === 400)).toBe(true);
  }, 180_000);

  it('the `dremio_scratch` target stops before anything runs, naming the incremental model and what to use instead', async () => {
    const dir = copySample();
    em = await startEmulator({ sources: ['lake'], storageRoots: { samples: join(dir, 'data') }, jobPolls: 0 });
    const r = await cliAsync(['build', '--target', 'dremio_scratch'], { cwd: dir, env: { DREMIO_PORT: String(em.port), DREMIO_HOST: '127.0.0.1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[CONFIG_INVALID\] models\/silver\/orders_incremental\.sql \(orders_incremental\): incremental model orders_incremental writes to `\$scratch`, an INTERNAL source where Dremio makes Parquet tables/);
    expect(r.stderr).toMatch(/hint: write it to an Iceberg-capable source: set object_storage_source to a file-system source/);
    // Nothing ran: no statement reached Dremio.
    expect(em.jobs.list()).toEqual([]);
  }, 120_000);

  it('`npm run emulator` with no flags serves what `cairn build --target dremio` needs, run after run', async () => {
    const dir = copySample();
    const proc = spawn(process.execPath, [join(repoRoot, 'dist', 'test', 'dremio-emulator', 'main.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no banner within 20s')), 20_000);
        let out = '';
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) { clearTimeout(timer); resolve(m[1]!); }
        });
        proc.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
      });
      const env = { DREMIO_PORT: new URL(url).port, DREMIO_HOST: '127.0.0.1' };
      const first = await cliAsync(['build', '--target', 'dremio'], { cwd: dir, env });
      expect(first.stderr).toBe('');
      expect(first.stdout).toMatch(/Done\. PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5/);
      const second = await cliAsync(['build', '--target', 'dremio'], { cwd: dir, env });
      expect(second.code).toBe(0);
      // The second run was incremental (MERGE into the Iceberg table), and nothing was duplicated.
      expect(second.stdout).toMatch(/OK created sql incremental model orders_pipeline\.silver\.orders_incremental/);
      const login = await call('POST', `${url}/apiv2/login`, undefined, { userName: 'dremio', password: 'dremio123' });
      const auth = `_dremio${login.json.token}`;
      const lake = await call('GET', `${url}/api/v3/catalog/by-path/lake`, auth);
      expect(lake.json.type).toBe('NAS');
      const job = await call('POST', `${url}/api/v3/sql`, auth, { sql: 'select count(*) as n, count(distinct order_id) as d from lake.orders_pipeline.silver.orders_incremental' });
      let state = '';
      for (let i = 0; i < 100 && !['COMPLETED', 'FAILED', 'CANCELED'].includes(state); i++) {
        state = (await call('GET', `${url}/api/v3/job/${job.json.id}`, auth)).json.jobState;
        await new Promise((res) => setTimeout(res, 10));
      }
      expect(state).toBe('COMPLETED');
      const rows = await call('GET', `${url}/api/v3/job/${job.json.id}/results?offset=0&limit=500`, auth);
      expect(rows.json.rows).toEqual([{ n: 9, d: 9 }]);
    } finally {
      const exited = new Promise((res) => proc.once('exit', res));
      proc.kill('SIGTERM');
      await exited;
    }
  }, 180_000);
});

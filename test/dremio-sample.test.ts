// The sample project on Dremio, through the REST adapter against the Dremio emulator — a TEST DOUBLE
// (test/dremio-emulator) that runs the SQL on DuckDB. Results must equal the DuckDB build's.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './dremio-emulator/server.js';
import { cliAsync } from './helpers/cli-async.js';
import { queryDuckdb } from './helpers/duckdb.js';
import { cli, copySample } from './helpers/project.js';

let em: Emulator | undefined;
afterEach(async () => { await em?.close(); em = undefined; });

const ROWS = `select order_id, customer_id, cast(amount as double) as amount, status, strftime(order_timestamp, '%Y-%m-%d %H:%M:%S') as ts, strftime(order_date, '%Y-%m-%d') as d`;

async function duckdbResult(ds?: string[]): Promise<Record<string, unknown>[]> {
  const dir = copySample();
  for (const d of ds ?? [undefined]) expect(cli(['build', ...(d ? ['--ds', d] : [])], { cwd: dir }).code).toBe(0);
  return queryDuckdb(join(dir, 'cairn_dev.duckdb'), `${ROWS} from main.orders_incremental order by order_id`);
}

async function emulatorRows(e: Emulator, table: string[]): Promise<Record<string, unknown>[]> {
  return e.db.query(`${ROWS} from ${e.db.name(table)} order by order_id`);
}

describe('sample project on Dremio (emulator test double)', () => {
  it('builds in Software mode (user/password) with the same rows as on DuckDB, and reruns idempotently', async () => {
    const dir = copySample();
    em = await startEmulator({ storageRoots: { samples: join(dir, 'data') }, jobPolls: 1 });
    const env = { DREMIO_PORT: String(em.port), DREMIO_HOST: '127.0.0.1' };
    const first = await cliAsync(['build', '--target', 'dremio'], { cwd: dir, env });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/Done\. PASS=5 WARN=0 ERROR=0 SKIP=0 TOTAL=5/);
    const expected = await duckdbResult();
    expect(expected.length).toBe(9);
    expect(await emulatorRows(em, ['$scratch', 'orders_pipeline', 'orders_incremental'])).toEqual(expected);
    const second = await cliAsync(['run', '--target', 'dremio'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(await emulatorRows(em, ['$scratch', 'orders_pipeline', 'orders_incremental'])).toEqual(expected);
    const summary = await em.db.query(`select strftime(order_date, '%Y-%m-%d') as d, order_count from ${em.db.name(['orders_pipeline', 'gold', 'orders_summary'])} order by 1`);
    expect(summary).toEqual([{ d: '2024-01-01', order_count: 3 }, { d: '2024-01-02', order_count: 3 }, { d: '2024-01-03', order_count: 3 }]);
    // The view was created in a space made through the REST catalog API.
    expect(em.requests.some((r) => r.method === 'POST' && r.path === '/api/v3/catalog')).toBe(true);
    // Every job went through the Software prefix, and the replaced table never dropped before its tmp was built.
    const sqls = em.jobs.list().map((j) => j.sql);
    const tmpAt = sqls.findIndex((s) => /CREATE TABLE "\$scratch"\."orders_pipeline"\."orders_raw__cairn_tmp"/.test(s));
    const dropAt = sqls.findIndex((s) => /^DROP TABLE "\$scratch"\."orders_pipeline"\."orders_raw"$/.test(s));
    expect(tmpAt).toBeGreaterThan(-1);
    expect(dropAt).toBeGreaterThan(tmpAt);
  }, 180_000);

  it('builds in Cloud mode (PAT, /v0/projects/{id}) day by day like DuckDB', async () => {
    const dir = copySample();
    em = await startEmulator({ mode: 'cloud', pats: ['cloud-pat-123'], storageRoots: { samples: join(dir, 'data') }, jobPolls: 1 });
    const env = { DREMIO_CLOUD_HOST: `http://127.0.0.1:${em.port}`, DREMIO_PROJECT_ID: em.projectId, DREMIO_PAT: 'cloud-pat-123' };
    const day1 = await cliAsync(['run', '--target', 'dremio_cloud', '--ds', '2024-01-01'], { cwd: dir, env });
    expect(day1.stderr).toBe('');
    expect(day1.code).toBe(0);
    const day2 = await cliAsync(['run', '--target', 'dremio_cloud', '--ds', '2024-01-02'], { cwd: dir, env });
    expect(day2.code).toBe(0);
    expect(day2.stdout).toMatch(/OK created sql incremental model orders_pipeline\.orders_incremental \.+ \[OK 4 /);
    expect(await emulatorRows(em, ['$scratch', 'orders_pipeline', 'orders_incremental'])).toEqual(await duckdbResult(['2024-01-01', '2024-01-02']));
    expect(em.requests.every((r) => r.path.startsWith(`/v0/projects/${em!.projectId}/`))).toBe(true);
    expect(day2.stdout + day2.stderr).not.toContain('cloud-pat-123');
    // The space folder already existed on the second run: Cloud answers 400 "already exists", tolerated.
    expect(em.requests.some((r) => r.method === 'POST' && r.path.endsWith('/catalog') && r.status === 400)).toBe(true);
  }, 180_000);
});

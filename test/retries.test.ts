import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbProvider } from '../adapters/duckdb/index.js';
import { build, run } from '../core/api/index.js';
import { retry } from '../core/api/retry.js';
import type { RunEvent } from '../core/execute/events.js';
import { retryDelay } from '../core/execute/retry.js';
import { faultyProvider } from './helpers/fault-adapter.js';
import { cli, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

const TRANSIENT = 'IO Error: Connection reset by peer';
const PERMANENT = 'Catalog Error: Table with name nope does not exist!';

// a → b → d, a → c → d, c → e: a failure in b must skip only d.
function diamond(extra = '') {
  return makeProject({
    'dbt_project.yml': PROJECT('dia', `models:\n  dia:\n    +materialized: table\n    +retries: 2\n    +retry_delay: 0\n${extra}`),
    'profiles.yml': PROFILE('dia'),
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select id from {{ ref('a') }}",
    'models/c.sql': "select id from {{ ref('a') }}",
    'models/d.sql': "select b.id from {{ ref('b') }} b join {{ ref('c') }} c using (id)",
    'models/e.sql': "select id from {{ ref('c') }}",
  });
}

const byName = (results: { uniqueId: string; status: string; attempts?: number }[]) =>
  Object.fromEntries(results.map((r) => [r.uniqueId.split('.').pop(), { status: r.status, attempts: r.attempts }]));

describe('retries and failure isolation', () => {
  it('a transient error twice then OK ends OK after 3 attempts, each retry reported', async () => {
    const dir = diamond();
    const adapters = faultyProvider(duckdbProvider, [{ node: 'b', times: 2, message: TRANSIENT }]);
    const events: RunEvent[] = [];
    const r = await run({ projectDir: dir, profilesDir: dir, adapters, onEvent: (e) => events.push(e) });
    expect(r.success).toBe(true);
    expect(byName(r.results).b).toEqual({ status: 'success', attempts: 3 });
    expect(byName(r.results).a).toEqual({ status: 'success', attempts: 1 });
    expect(adapters.calls.get('b')).toBe(3);
    expect(events.filter((e) => e.type === 'node_retry').map((e) => (e as { attempt: number }).attempt)).toEqual([2, 3]);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.results.find((x: { unique_id: string }) => x.unique_id === 'model.dia.b').adapter_response.attempts).toBe(3);
  });

  it('a permanent error is tried once; the other branch is built and only descendants skipped; retry runs only those', async () => {
    const dir = diamond();
    const adapters = faultyProvider(duckdbProvider, [{ node: 'b', times: 1, message: PERMANENT }]);
    const r = await run({ projectDir: dir, profilesDir: dir, adapters });
    expect(r.success).toBe(false);
    expect(byName(r.results)).toEqual({
      a: { status: 'success', attempts: 1 },
      b: { status: 'error', attempts: 1 },
      c: { status: 'success', attempts: 1 },
      d: { status: 'skipped', attempts: undefined },
      e: { status: 'success', attempts: 1 },
    });
    expect(adapters.calls.get('b')).toBe(1);
    const db = join(dir, 'test.duckdb');
    expect((await queryDuckdb(db, "select table_name from information_schema.tables order by 1")).map((x) => x.table_name)).toEqual(['a', 'c', 'e']);

    // The fault is spent: `cairn retry` (the real CLI) runs b and d only.
    const again = cli(['retry', '--log-format', 'json'], { cwd: dir });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const started = again.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.event === 'node_start').map((e) => e.unique_id);
    expect(started).toEqual(['model.dia.b', 'model.dia.d']);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    expect(rr.args.which).toBe('run');
    expect(rr.results.map((x: { status: string }) => x.status)).toEqual(['success', 'success']);
    // Now nothing is left to retry: it says so and keeps the last results.
    const third = cli(['retry'], { cwd: dir });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('nothing to retry: every node of the last run succeeded');
    expect(JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results.length).toBe(2);
  });

  it('a transient error that never clears is tried retries+1 times', async () => {
    const dir = diamond();
    const adapters = faultyProvider(duckdbProvider, [{ node: 'c', times: Infinity, message: 'HTTP 503 Service Unavailable' }]);
    const r = await build({ projectDir: dir, profilesDir: dir, adapters });
    expect(byName(r.results).c).toEqual({ status: 'error', attempts: 3 });
    expect(byName(r.results).e.status).toBe('skipped');
    expect(byName(r.results).b.status).toBe('success');
  });

  it('cairn retry keeps the last run\'s ds and target', async () => {
    const dir = diamond();
    const adapters = faultyProvider(duckdbProvider, [{ node: 'd', times: 1, message: PERMANENT }]);
    await run({ projectDir: dir, profilesDir: dir, adapters, ds: '2024-03-05', vars: { k: 1 } });
    const r = await retry({ projectDir: dir, profilesDir: dir, adapters: duckdbProvider });
    expect(r.retried).toEqual(['model.dia.d']);
    expect(r.project.ctx.ds).toBe('2024-03-05');
    expect(r.project.ctx.cliVars).toEqual({ k: 1 });
    expect(r.success).toBe(true);
  });

  it('backoff doubles, is capped, and jitters within ±20%', () => {
    const p = { retries: 5, delayMs: 1000, backoff: 'exponential' as const, maxDelayMs: 5000 };
    expect([1, 2, 3, 4].map((n) => retryDelay(p, n, () => 0.5))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelay({ ...p, backoff: 'fixed' }, 4, () => 0.5)).toBe(1000);
    expect(retryDelay(p, 1, () => 0)).toBe(800);
    expect(retryDelay(p, 1, () => 1)).toBe(1200);
  });
});

describe('DuckDB error classes', () => {
  it('transient: conflicts, locks, busy, timeouts, resets, 429/5xx; permanent: syntax, missing objects, permissions', async () => {
    const { DuckDBAdapter } = await import('../adapters/duckdb/duckdb-adapter.js');
    const a = new DuckDBAdapter({ name: 'dev', type: 'duckdb', schema: 'main', threads: 1 }, '/tmp');
    const cls = (m: string) => a.classifyError(new Error(m));
    for (const m of ['TransactionContext Error: Catalog write-write conflict on create', 'IO Error: Could not set lock on file "x.duckdb"', 'HTTP Error: 503 Service Unavailable',
      'HTTP 429 Too Many Requests', 'IO Error: Connection reset by peer', 'connect ECONNREFUSED 127.0.0.1:443', 'resource busy', 'operation timed out']) expect(cls(m), m).toBe('transient');
    for (const m of ['Parser Error: syntax error at or near "selec"', 'Catalog Error: Table with name x does not exist!', 'Binder Error: column y not found',
      'Permission denied', 'Conversion Error: Could not convert string to INT32', 'Catalog Error: conflict? no: Table does not exist']) expect(cls(m), m).toBe('permanent');
  });
});

describe('bad retry input', () => {
  it('retries that is not a non-negative integer is a located config error', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('bad'),
      'profiles.yml': PROFILE('bad'),
      'models/m.sql': "{{ config(retries=-1) }} select 1 as x",
    });
    const r = cli(['run'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[CONFIG_INVALID] models/m.sql (m): `retries` must be a non-negative integer, got `-1`');
    const r2 = cli(['run'], { cwd: makeProject({ 'dbt_project.yml': PROJECT('bad', 'models:\n  +retries: two\n'), 'profiles.yml': PROFILE('bad'), 'models/m.sql': 'select 1 as x' }) });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('`retries` must be a non-negative integer, got `"two"`');
  });

  it('cairn retry with no previous run results says so', () => {
    const dir = makeProject({ 'dbt_project.yml': PROJECT('none'), 'profiles.yml': PROFILE('none'), 'models/m.sql': 'select 1 as x' });
    rmSync(join(dir, 'target'), { recursive: true, force: true });
    const r = cli(['retry'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error\[NO_RUN_RESULTS\].*nothing to retry: no previous run results at .*run_results\.json/);
    expect(r.stderr).toContain('hint: run `cairn run` or `cairn build` first');
    expect(existsSync(join(dir, 'target/run_results.json'))).toBe(false);
  });
});

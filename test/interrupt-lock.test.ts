import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, lockPath } from '../core/orchestration/lock.js';
import { cli, cliPath, makeProject, PROFILE, PROJECT } from './helpers/project.js';
import { queryDuckdb } from './helpers/duckdb.js';

// A model that takes minutes unless interrupted: only when var slow is true.
const SLOW = `select {{ var('v') }} as v, n from (select 1 as n) {% if var('slow', false) %} , (select max(a.range + b.range) as c from range(300000) a, range(300000) b) {% endif %}`;

function project() {
  return makeProject({
    'dbt_project.yml': PROJECT('intr', "models:\n  intr:\n    +materialized: table\nvars:\n  v: 1\n"),
    'profiles.yml': PROFILE('intr').replace('threads: 4', 'threads: 2'),
    'models/a.sql': "select {{ var('v') }} as v, range as n from range(1000)",
    'models/b.sql': "select v, n from {{ ref('a') }}",
    'models/slow.sql': SLOW,
    'models/after_slow.sql': "select v, n from {{ ref('slow') }}",
    'models/c.sql': "select v, count(*) as n from {{ ref('b') }} group by v",
  });
}

/** Starts the CLI; resolves `started` once `marker` shows up on stdout. */
function start(args: string[], cwd: string, marker: RegExp) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  const started = new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${marker} within 30s:\n${out}\n${err}`)), 30_000);
    child.stdout.on('data', (d) => { out += d; if (marker.test(out)) { clearTimeout(t); resolve(); } });
  });
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : -1))));
  return { child, started, exited, out: () => out, err: () => err };
}

describe('Ctrl-C / SIGTERM', () => {
  it('cancels the running statement, writes run_results, exits 130, and leaves every table old or new', async () => {
    const dir = project();
    expect(cli(['run'], { cwd: dir }).code).toBe(0);
    const p = start(['run', '--vars', '{v: 2, slow: true}'], dir, /START sql table model main\.slow/);
    await p.started;
    await new Promise((r) => setTimeout(r, 300));
    p.child.kill('SIGTERM');
    // The slow statement would run for many minutes: exiting at all means it was cancelled.
    expect(await p.exited).toBe(130);
    const rr = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8'));
    const st = Object.fromEntries(rr.results.map((r: { unique_id: string; status: string }) => [r.unique_id.split('.').pop(), r.status]));
    expect(st.slow).toBe('error');
    expect(st.after_slow).toBe('skipped');
    const db = join(dir, 'test.duckdb');
    for (const t of ['a', 'b', 'c', 'slow', 'after_slow']) {
      const rows = await queryDuckdb(db, `select distinct v from main.${t}`);
      // One version per table, never a mix or a missing table.
      expect(rows.length, t).toBe(1);
      expect([1, 2], t).toContain(rows[0]!.v);
    }
    expect((await queryDuckdb(db, 'select distinct v from main.slow'))[0]!.v).toBe(1);
    expect((await queryDuckdb(db, 'select count(*) as n from main.a'))[0]!.n).toBe(1000);
    expect((await queryDuckdb(db, "select count(*) as n from information_schema.tables where table_name like '%__cairn%'"))[0]!.n).toBe(0);
    expect(existsSync(join(dir, 'target/cairn.dev.lock'))).toBe(false);
  });
});

describe('--fail-fast', () => {
  it('cancels the running statement and starts nothing new', () => {
    const dir = makeProject({
      'dbt_project.yml': PROJECT('ff', "models:\n  ff:\n    +materialized: table\n"),
      'profiles.yml': PROFILE('ff').replace('threads: 4', 'threads: 2'),
      'models/slow.sql': "select max(a.range + b.range) as c from range(300000) a, range(300000) b",
      'models/bad.sql': "select * from {{ 'nowhere' }}",
      'models/later.sql': "select 1 as x from {{ ref('bad') }} union all select 2",
      'models/z_independent.sql': 'select 1 as x',
    });
    const r = cli(['run', '--fail-fast', '--log-format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const ends = Object.fromEntries(r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'node_end').map((e) => [e.unique_id.split('.').pop(), e]));
    expect(ends.bad.status).toBe('error');
    expect(ends.slow.status).toBe('error');
    expect(ends.slow.error).toMatch(/interrupt/i);
    expect(ends.z_independent.status).toBe('skipped');
    expect(ends.z_independent.message).toBe('skipped: the run was stopped');
  });
});

describe('run lock', () => {
  it('a second run on the same target fails at once naming the holder; --wait waits', async () => {
    const dir = project();
    const first = start(['run', '--vars', '{slow: true}', '--select', 'slow'], dir, /START sql table model main\.slow/);
    await first.started;
    const holder = JSON.parse(readFileSync(join(dir, 'target/cairn.dev.lock'), 'utf8'));
    expect(holder.pid).toBe(first.child.pid);
    const second = cli(['run', '--select', 'a'], { cwd: dir });
    // It answered while the holder still held the lock (mid multi-minute query): it did not wait.
    expect(JSON.parse(readFileSync(join(dir, 'target/cairn.dev.lock'), 'utf8')).pid).toBe(first.child.pid);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`error[LOCKED]`);
    expect(second.stderr).toContain(`locked by another cairn run (pid ${first.child.pid}, started ${holder.started_at}, \`run\`, invocation ${holder.invocation_id})`);
    // --wait queues behind the holder and runs once it is gone.
    const waiting = start(['run', '--select', 'a', '--wait'], dir, /Done\./);
    await new Promise((r) => setTimeout(r, 500));
    expect(waiting.out()).not.toMatch(/START/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(130);
    await waiting.started;
    expect(await waiting.exited).toBe(0);
  });

  it('two processes racing for the lock: exactly one gets it', async () => {
    const dir = makeProject({ 'x': '' });
    // The winner holds the lock until killed, so a slow-starting loser still finds it held.
    const script = `
      import { acquireRunLock } from ${JSON.stringify(join(cliPath, '../../core/orchestration/lock.js'))};
      try { await acquireRunLock({ targetDir: process.argv[2], target: 'dev' }); console.log('HELD'); setInterval(() => {}, 1000); }
      catch (e) { console.log('LOCKED ' + e.code); }`;
    writeFileSync(join(dir, 'race.mjs'), script);
    for (let round = 0; round < 3; round++) {
      const tdir = join(dir, `t${round}`);
      mkdirSync(tdir);
      const racers = [0, 1].map(() => spawn(process.execPath, [join(dir, 'race.mjs'), tdir]));
      const outs = await Promise.all(racers.map((c) => new Promise<string>((res) => {
        let o = '';
        const t = setTimeout(() => res(o.trim() || 'NO ANSWER'), 60_000);
        c.stdout.on('data', (d) => { o += d; if (o.includes('\n')) { clearTimeout(t); res(o.trim()); } });
      })));
      racers.forEach((c) => c.kill());
      expect(outs.sort()).toEqual(['HELD', 'LOCKED LOCKED']);
    }
  });

  it('a stale lock of a dead process is taken over', async () => {
    const dir = makeProject({ 'x': '' });
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    mkdirSync(join(dir, 'target'));
    writeFileSync(lockPath(join(dir, 'target'), 'dev'), JSON.stringify({ pid: dead.pid, started_at: '2024-01-01T00:00:00Z', target: 'dev', host: (await import('node:os')).hostname() }));
    const l = await acquireRunLock({ targetDir: join(dir, 'target'), target: 'dev' });
    expect(JSON.parse(readFileSync(l.path, 'utf8')).pid).toBe(process.pid);
    l.release();
    expect(existsSync(l.path)).toBe(false);
  });
});

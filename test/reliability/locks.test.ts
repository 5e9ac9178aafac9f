// Stale run locks: a PID that is alive but not the lock's owner, a lock from long ago, a dead run's
// lock (taken over with a warning naming that run), and --wait that gives up after --wait-timeout.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processStartTicks } from '../../core/orchestration/process-identity.js';
import { cli } from '../helpers/project.js';
import { project } from './helpers.js';

function lockedProject(name: string, lock: Record<string, unknown>): string {
  const dir = project(name, { 'models/m.sql': 'select 1 as x' });
  mkdirSync(join(dir, 'target'), { recursive: true });
  writeFileSync(join(dir, 'target/cairn.dev.lock'), JSON.stringify({ target: 'dev', host: hostname(), command: 'run', ...lock }));
  return dir;
}

// A live process that is not cairn, for locks that must be honoured or not by its start time.
const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
afterAll(() => { sleeper.kill('SIGKILL'); });

describe('run locks', () => {
  it('a lock held by a live PID that is not its owner (PID 1, lock from 2020) is taken over with a warning', () => {
    const dir = lockedProject('lk1', { pid: 1, started_at: '2020-01-01T00:00:00.000Z' });
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/taking over the lock of an earlier run that did not finish \(pid 1, started 2020-01-01T00:00:00\.000Z, `run`\): process 1 started after the lock was taken/);
    expect(existsSync(join(dir, 'target/cairn.dev.lock'))).toBe(false);
  });

  it('a live PID whose start time differs from the recorded one is another program', () => {
    const real = processStartTicks(sleeper.pid!)!;
    expect(real).toBeGreaterThan(0);
    const dir = lockedProject('lk2', { pid: sleeper.pid, started_at: new Date().toISOString(), proc_start: real - 1, invocation_id: 'inv-123' });
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\(pid ${sleeper.pid}, started [^)]*, \`run\`, invocation inv-123\\)`));
    expect(r.stdout).toContain(`process ${sleeper.pid} is now another program`);
  });

  it("a dead run's lock is taken over with a warning naming the run", () => {
    const dir = lockedProject('lk3', { pid: 9_999_990 /* above any pid_max: never alive */, started_at: '2026-01-02T03:04:05.000Z', invocation_id: 'inv-dead' });
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('taking over the lock of an earlier run that did not finish (pid 9999990, started 2026-01-02T03:04:05.000Z, `run`, invocation inv-dead)');
    expect(r.stdout).toContain('is no longer running');
  });

  it('a lock from before a reboot is stale', () => {
    const dir = lockedProject('lk4', { pid: sleeper.pid, started_at: new Date().toISOString(), proc_start: processStartTicks(sleeper.pid!), boot_id: 'not-this-boot' });
    const r = cli(['run'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('the machine has restarted since');
  });

  it("the owner's lock is honoured, says how to clear it by hand, and --wait gives up after --wait-timeout", () => {
    const lock = { pid: sleeper.pid, started_at: new Date().toISOString(), proc_start: processStartTicks(sleeper.pid!) };
    const dir = lockedProject('lk5', lock);
    const r = cli(['run'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error[LOCKED]');
    expect(r.stderr).toContain(`remove the lock by hand: rm ${join(dir, 'target/cairn.dev.lock')}`);
    const w = cli(['run', '--wait', '--wait-timeout', '1'], { cwd: dir });
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/is locked by another cairn run \(pid \d+, started .*\) \(gave up waiting after 1 s\)/);
    // The owner's lock is still there.
    expect(JSON.parse(readFileSync(join(dir, 'target/cairn.dev.lock'), 'utf8')).pid).toBe(sleeper.pid);
    expect(cli(['run', '--wait', '--wait-timeout', 'soon'], { cwd: dir }).stderr).toContain('--wait-timeout must be a whole number');
  });
});

// One run at a time per project and target: `target/cairn.<target>.lock` holds the PID, process
// start time and boot id of the run that owns it. Creation is atomic (O_EXCL), so two processes
// cannot both hold it; a lock whose process is gone (killed, crashed, rebooted, or its PID now
// belongs to another process) is taken over with a warning naming that run.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { CairnError } from '../errors.js';
import { bootId, processStartMs, processStartTicks } from './process-identity.js';

export interface LockInfo {
  pid: number;
  started_at: string;
  target: string;
  host: string;
  command?: string;
  invocation_id?: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat), and the boot it ran in. */
  proc_start?: number;
  boot_id?: string;
}

export interface RunLock {
  path: string;
  info: LockInfo;
  release(): void;
}

export function lockPath(targetDir: string, target: string): string {
  return join(targetDir, `cairn.${target.replace(/[^A-Za-z0-9_-]/g, '_')}.lock`);
}

function readLock(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Why a lock no longer has an owner, or undefined while it does. Only this host's locks can be
 * checked; another host's lock is honoured (its run may be alive there).
 */
export function staleReason(held: LockInfo | undefined): string | undefined {
  if (!held) return 'the lock file is empty';
  if (held.host !== hostname()) return undefined;
  if (!alive(held.pid)) return `process ${held.pid} is no longer running`;
  const boot = bootId();
  if (held.boot_id && boot && held.boot_id !== boot) return 'the machine has restarted since';
  if (held.proc_start !== undefined) {
    const now = processStartTicks(held.pid);
    if (now !== undefined && now !== held.proc_start) return `process ${held.pid} is now another program`;
    return undefined;
  }
  // A lock without the owner's start time: a process that started after the lock was taken is not its owner.
  const started = processStartMs(held.pid);
  const taken = Date.parse(held.started_at);
  if (started !== undefined && Number.isFinite(taken) && started > taken + 5000) return `process ${held.pid} started after the lock was taken, so it is another program`;
  return undefined;
}

function describe(held: LockInfo): string {
  return `pid ${held.pid}${held.host !== hostname() ? ` on ${held.host}` : ''}, started ${held.started_at}${held.command ? `, \`${held.command}\`` : ''}${held.invocation_id ? `, invocation ${held.invocation_id}` : ''}`;
}

export interface AcquireOptions {
  targetDir: string;
  target: string;
  command?: string;
  invocationId?: string;
  /** Wait for the holder instead of failing at once. */
  wait?: boolean;
  /** Give up waiting after this long (default: forever; the CLI's --wait-timeout sets it). */
  timeoutMs?: number;
  /** Told when a dead run's lock is taken over. */
  onWarning?: (message: string) => void;
  pollMs?: number;
  /** Stops waiting (Ctrl-C while queued behind another run). */
  signal?: AbortSignal;
}

export async function acquireRunLock(o: AcquireOptions): Promise<RunLock> {
  const path = lockPath(o.targetDir, o.target);
  mkdirSync(dirname(path), { recursive: true });
  const info: LockInfo = {
    pid: process.pid, started_at: new Date().toISOString(), target: o.target, host: hostname(), command: o.command, invocation_id: o.invocationId,
    proc_start: processStartTicks(process.pid), boot_id: bootId(),
  };
  const t0 = Date.now();
  for (;;) {
    if (tryCreate(path, info)) break;
    const held = readLock(path);
    if (held === undefined) {
      // Created but not yet written by its owner: look again shortly.
      await new Promise((r) => setTimeout(r, 20));
      if (readLock(path) === undefined) takeOver(path);
      continue;
    }
    const why = staleReason(held);
    if (why !== undefined) {
      if (takeOver(path, held)) o.onWarning?.(`taking over the lock of an earlier run that did not finish (${describe(held)}): ${why}`);
      continue;
    }
    const timedOut = o.timeoutMs !== undefined && Date.now() - t0 >= o.timeoutMs;
    if (!o.wait || o.signal?.aborted || timedOut) {
      const waited = timedOut ? ` (gave up waiting after ${Math.round((Date.now() - t0) / 1000)} s)` : '';
      throw new CairnError('LOCKED', `target \`${o.target}\` is locked by another cairn run (${describe(held)})${waited}`, {
        file: path,
        hint: `wait for it to finish, or pass --wait (with --wait-timeout) to queue behind it; if no such run exists any more, remove the lock by hand: rm ${path}`,
        exitCode: 1,
      });
    }
    const left = o.timeoutMs === undefined ? Infinity : o.timeoutMs - (Date.now() - t0);
    await new Promise((r) => setTimeout(r, Math.max(1, Math.min(o.pollMs ?? 250, left))));
  }
  let released = false;
  return {
    path,
    info,
    release() {
      if (released) return;
      released = true;
      // Only remove our own lock (a takeover by someone else must stay intact).
      if (readLock(path)?.pid === process.pid) {
        try { unlinkSync(path); } catch { /* already gone */ }
      }
    },
  };
}

/** Moves the stale lock aside under a unique name first, so two processes taking over cannot delete each other's fresh lock. */
function takeOver(path: string, expected?: LockInfo): boolean {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return false; // someone else took it over first
  }
  const moved = readLock(aside);
  if (expected && moved && moved.pid !== expected.pid) {
    // We moved a fresh lock someone just created: put it back if the slot is still empty.
    try { renameSync(aside, path); } catch { /* fall through */ }
    return false;
  }
  try { unlinkSync(aside); } catch { /* gone */ }
  return true;
}

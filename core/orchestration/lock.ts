// One run at a time per project and target: `target/cairn.<target>.lock` holds the PID and start
// time of the run that owns it. Creation is atomic (O_EXCL), so two processes cannot both hold it; a
// lock whose process is gone (killed, crashed) is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { CairnError } from '../errors.js';

export interface LockInfo {
  pid: number;
  started_at: string;
  target: string;
  host: string;
  command?: string;
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

/** A holder that is this host's dead process (or a lock file left empty by a crash) is stale. */
function isStale(_path: string, held: LockInfo | undefined): boolean {
  if (!held) return true;
  return held.host === hostname() && !alive(held.pid);
}

export interface AcquireOptions {
  targetDir: string;
  target: string;
  command?: string;
  /** Wait for the holder instead of failing at once. */
  wait?: boolean;
  /** Give up waiting after this long (default: forever). */
  timeoutMs?: number;
  pollMs?: number;
  /** Stops waiting (Ctrl-C while queued behind another run). */
  signal?: AbortSignal;
}

export async function acquireRunLock(o: AcquireOptions): Promise<RunLock> {
  const path = lockPath(o.targetDir, o.target);
  mkdirSync(dirname(path), { recursive: true });
  const info: LockInfo = { pid: process.pid, started_at: new Date().toISOString(), target: o.target, host: hostname(), command: o.command };
  const t0 = Date.now();
  for (;;) {
    if (tryCreate(path, info)) break;
    const held = readLock(path);
    if (held === undefined) {
      // Created but not yet written by its owner: look again shortly.
      await new Promise((r) => setTimeout(r, 20));
      if (readLock(path) === undefined && isStale(path, undefined)) takeOver(path);
      continue;
    }
    if (isStale(path, held)) {
      takeOver(path, held);
      continue;
    }
    if (!o.wait || o.signal?.aborted || (o.timeoutMs !== undefined && Date.now() - t0 > o.timeoutMs)) {
      throw new CairnError('LOCKED', `target \`${o.target}\` is locked by another cairn run (pid ${held.pid}${held.host !== hostname() ? ` on ${held.host}` : ''}, started ${held.started_at}${held.command ? `, \`${held.command}\`` : ''})`, {
        file: path,
        hint: 'wait for it to finish, or pass --wait to queue behind it',
        exitCode: 1,
      });
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 250));
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
function takeOver(path: string, expected?: LockInfo): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else took it over first
  }
  const moved = readLock(aside);
  if (expected && moved && moved.pid !== expected.pid) {
    // We moved a fresh lock someone just created: put it back if the slot is still empty.
    try { renameSync(aside, path); } catch { /* fall through */ }
    return;
  }
  try { unlinkSync(aside); } catch { /* gone */ }
}

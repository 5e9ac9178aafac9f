// A short exclusive lock around the ledger file's read-merge-write. The run lock is per target, but
// the ledger file holds every target's entries: two runs on different targets of one project may save
// at the same moment, and without this the later writer would drop the earlier one's entries.
// The critical section is milliseconds (read, merge, write a temp file, rename), so a lock file older
// than STALE_MS belongs to a process that died inside it and is removed.
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';

const STALE_MS = 10_000;
const WAIT_MS = 15_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function withFileLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  const t0 = Date.now();
  let held = false;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      held = true;
      break;
    } catch (e) {
      // No lock possible here (read-only folder...): go on unlocked, as before there was a lock.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') break;
    }
    let age = 0;
    try {
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile: try again
    }
    if (age > STALE_MS) {
      try { unlinkSync(lock); } catch { /* another waiter removed it */ }
      continue;
    }
    // Held far longer than any save takes: write anyway (the write itself is atomic, never torn).
    if (Date.now() - t0 > WAIT_MS) break;
    Atomics.wait(sleeper, 0, 0, 5); // a synchronous pause: saving happens once, at the end of a run
  }
  try {
    return fn();
  } finally {
    if (held) try { unlinkSync(lock); } catch { /* gone already */ }
  }
}

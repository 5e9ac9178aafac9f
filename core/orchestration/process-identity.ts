// Which process a PID is now, on Linux: its start time (field 22 of /proc/<pid>/stat, clock ticks
// since boot) and this boot's id. A lock records its owner's; a PID that is alive but started at
// another time (reused after the owner died, PID 1 after a container restart) is not the owner.
// Elsewhere (no /proc) these are undefined and callers fall back to "alive or not".
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Start time of `pid` in clock ticks since boot, or undefined when unknown (gone, or no /proc). */
export function processStartTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Wall-clock start of `pid` (ms since the epoch), or undefined when unknown. */
export function processStartMs(pid: number): number | undefined {
  const ticks = processStartTicks(pid);
  if (ticks === undefined) return undefined;
  try {
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'latin1'))?.[1]);
    return Number.isFinite(btime) ? btime * 1000 + (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** This boot's random id (changes on every reboot), or undefined. */
export function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || undefined;
  } catch {
    return undefined;
  }
}

// The stat of every file of a large project, taken by a `find` child process while this process
// loads the profile, the macros and the parse snapshot. An invocation served by the partial-parse
// cache reads almost no file but stats them all: on 10,000 models statSync took ~0.1 s of the main
// thread (9-12 µs per call on this VM, Stats objects and their Dates included); starting find and
// reading its output take ~15 + ~50 ms of it (10k compile --select: 591 -> 558 ms median of 20).
// A worker thread was tried first and lost: its page faults contend with the main thread's in the
// same address space; a child process has its own.
//
// Only an optimization: the keys must equal statKeyOf(statSync(path)) exactly (checked by
// test/stat-prefetch.test.ts), a path it did not report is stat'ed as before, and without GNU find
// (or off Linux) nothing is started.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAscii } from 'node:buffer';
import { join } from 'node:path';

/** How long to wait for find before stat'ing in-process instead. */
const TIMEOUT_MS = 5_000;
/** The last start point given to find: its line says the walk is over. */
const SENTINEL = 'dbt_project.yml';

export class StatPrefetch {
  private stats?: Map<string, string>;

  private constructor(private readonly fd: number, private readonly pid: number) {}

  /** Starts find over `bases` (folders relative to the project); undefined where it cannot run. */
  static start(projectDir: string, bases: readonly string[]): StatPrefetch | undefined {
    if (process.platform !== 'linux' || !bases.length) return undefined;
    const file = join(tmpdir(), `cairn-stat-${process.pid}-${Date.now()}`);
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx+');
      unlinkSync(file); // the two open descriptors keep it; nothing is left behind
      // %C@/%T@: seconds with nanoseconds; -L follows links as the walk does; dot files are pruned.
      const child = spawn('find', ['-L', ...bases, SENTINEL, '-name', '.?*', '-prune', '-o', '-printf', '%y %s:%i:%C@:%T@ %p\\0'], {
        cwd: projectDir,
        stdio: ['ignore', fd, 'ignore'],
      });
      child.on('error', () => undefined);
      child.unref();
      if (child.pid === undefined) throw new Error('find did not start');
      return new StatPrefetch(fd, child.pid);
    } catch {
      if (fd !== undefined) closeSync(fd);
      return undefined;
    }
  }

  /** The stat key of `path` (relative to the project, as FileFinder names it), or undefined. */
  get(path: string): string | undefined {
    this.stats ??= this.collect();
    return this.stats.get(path);
  }

  private collect(): Map<string, string> {
    const stats = new Map<string, string>();
    const text = this.waitForOutput();
    if (text === undefined) return stats;
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\0', at);
      if (end < 0) end = text.length;
      const sp = text.indexOf(' ', at + 2);
      if (text[at] === 'f' && sp > 0 && sp < end) {
        const key = statKeyFromFind(text.slice(at + 2, sp));
        if (key) stats.set(text.slice(sp + 1, end), key);
      }
      at = end + 1;
    }
    return stats;
  }

  /** find's whole output once its last line is written; undefined if it failed or took too long. */
  private waitForOutput(): string | undefined {
    const tick = new Int32Array(new SharedArrayBuffer(4));
    let buf = Buffer.allocUnsafe(1 << 20);
    let size = 0;
    const tail = Buffer.from(` ${SENTINEL}\0`);
    try {
      let exited = false;
      for (const start = Date.now(); Date.now() - start < TIMEOUT_MS; ) {
        if (size === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
        const n = readSync(this.fd, buf, size, buf.length - size, size);
        if (n > 0) {
          size += n;
          // find writes in blocks: the walk is over when its output ends with the sentinel's line
          // (`f <key> dbt_project.yml`, not a file of that name in some folder).
          if (size >= tail.length && buf.subarray(size - tail.length, size).equals(tail)) {
            const text = buf.toString(isAscii(buf.subarray(0, size)) ? 'latin1' : 'utf8', 0, size);
            const last = text.slice(text.lastIndexOf('\0', text.length - 2) + 1, -1);
            if (/^f \S+ [^/]+$/.test(last)) return text;
          }
          continue;
        }
        // Exited without the last line (not GNU find, say), once what it wrote before exiting is read.
        if (exited) return undefined;
        exited = !alive(this.pid);
        if (!exited) Atomics.wait(tick, 0, 0, 1);
      }
      return undefined;
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Whether the child is still running (a zombie has exited; libuv reaps it later). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * `size:ino:ctime:mtime` as find prints it (times as seconds with nanoseconds) → the key discover.ts
 * builds from a Stats object, whose ctimeMs/mtimeMs Node computes as sec * 1e3 + nsec / 1e6.
 * Written with indexOf, not a regex and split: it runs once per file.
 */
export function statKeyFromFind(s: string): string | undefined {
  const a = s.indexOf(':');
  const b = s.indexOf(':', a + 1);
  const c = s.indexOf(':', b + 1);
  if (a <= 0 || b <= a + 1 || c <= b + 1) return undefined;
  const ctime = ms(s, b + 1, c);
  const mtime = ms(s, c + 1, s.length);
  if (Number.isNaN(ctime) || Number.isNaN(mtime)) return undefined;
  return `${s.slice(0, b)}:${ctime}:${mtime}`;
}

const DIGITS = /^\d+$/;

/** Seconds with up to 9 digits of fraction (nanoseconds) between from and to, in Node's milliseconds. */
function ms(s: string, from: number, to: number): number {
  let dot = s.indexOf('.', from);
  if (dot < 0 || dot > to) dot = to;
  const sec = s.slice(from, dot);
  const frac = s.slice(dot + 1, Math.min(to, dot + 10));
  // Digits only: Number() would also take signs, spaces and exponents.
  if (!DIGITS.test(sec) || (frac && !DIGITS.test(frac))) return NaN;
  return Number(sec) * 1e3 + Number(frac.padEnd(9, '0')) / 1e6;
}

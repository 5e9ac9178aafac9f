// `schedules:` in dbt_project.yml and the long-running loop of `cairn schedule`. Each schedule fires
// at its cron times (croner computes them, in the schedule's timezone); a schedule never has two runs
// at once (max_active_runs 1: a fire while the last run is still going is skipped and logged). Time
// comes from an injectable clock so tests can drive hours of schedule in milliseconds.
import { Cron } from 'croner';
import { CairnError } from '../errors.js';

export interface ScheduleDef {
  name: string;
  cron: string;
  timezone: string;
  /** Command the schedule runs (default `build`). */
  command: string;
  select?: string[];
  exclude?: string[];
  target?: string;
  vars?: Record<string, unknown>;
  fullRefresh?: boolean;
}

const COMMANDS = ['run', 'build', 'seed', 'test', 'snapshot'];
const list = (v: unknown): string[] | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : String(v).split(/\s+/).filter(Boolean));

function invalid(name: string, message: string, hint?: string): CairnError {
  return new CairnError('SCHEDULE_INVALID', `schedule \`${name}\`: ${message}`, { file: 'dbt_project.yml', hint });
}

export function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and checks `schedules:`; every problem names its schedule. */
export function parseSchedules(raw: unknown): ScheduleDef[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new CairnError('SCHEDULE_INVALID', '`schedules` must be a list', { file: 'dbt_project.yml', hint: 'schedules:\n    - name: nightly\n      cron: "0 6 * * *"' });
  const seen = new Set<string>();
  return raw.map((s, i) => {
    if (!s || typeof s !== 'object') throw invalid(`#${i + 1}`, 'must be a mapping with name and cron');
    const o = s as Record<string, unknown>;
    const name = typeof o.name === 'string' && o.name ? o.name : `#${i + 1}`;
    if (name.startsWith('#')) throw invalid(name, 'has no `name`');
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw invalid(name, 'name must be letters, digits, `_` or `-` (it names run folders)');
    if (seen.has(name)) throw invalid(name, 'is defined twice');
    seen.add(name);
    if (typeof o.cron !== 'string' || !o.cron.trim()) throw invalid(name, 'has no `cron`', 'e.g. cron: "0 6 * * *" (06:00 every day)');
    const timezone = o.timezone === undefined ? 'UTC' : String(o.timezone);
    if (!validTimezone(timezone)) throw invalid(name, `unknown timezone \`${timezone}\``, 'use an IANA name such as UTC, Europe/Berlin or America/New_York');
    try {
      new Cron(o.cron, { timezone, paused: true });
    } catch (e) {
      throw invalid(name, `invalid cron expression \`${o.cron}\`: ${(e as Error).message.replace(/^CronPattern: /, '')}`, 'five fields: minute hour day-of-month month day-of-week, e.g. "*/15 * * * *"');
    }
    const command = String(o.command ?? 'build');
    if (!COMMANDS.includes(command)) throw invalid(name, `unknown command \`${command}\``, `use one of ${COMMANDS.join(', ')}`);
    if (o.vars !== undefined && (typeof o.vars !== 'object' || o.vars === null || Array.isArray(o.vars))) throw invalid(name, '`vars` must be a mapping');
    return {
      name, cron: o.cron, timezone, command, select: list(o.select), exclude: list(o.exclude),
      target: o.target === undefined ? undefined : String(o.target), vars: o.vars as Record<string, unknown> | undefined,
      fullRefresh: o.full_refresh === true,
    };
  });
}

export function nextFireTimes(def: ScheduleDef, from: Date, n: number): Date[] {
  return new Cron(def.cron, { timezone: def.timezone, paused: true }).nextRuns(n, from);
}

export interface Clock {
  now(): number;
  /** Resolves at `at` (epoch ms) or when `signal` aborts. */
  sleepUntil(at: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil(at, signal) {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); };
      // Long waits in slices: timers drift over hours and setTimeout caps at ~24.8 days.
      const wait = () => {
        const left = at - Date.now();
        if (left <= 0) return done();
        t = setTimeout(wait, Math.min(left, 60_000));
      };
      let t = setTimeout(wait, 0);
      signal.addEventListener('abort', done, { once: true });
    });
  },
};

export type ScheduleLog =
  | { type: 'fire'; schedule: string; runId: string; at: Date }
  | { type: 'skip'; schedule: string; at: Date; reason: string }
  | { type: 'done'; schedule: string; runId: string; success: boolean; error?: string }
  | { type: 'next'; schedule: string; at: Date };

export interface SchedulerOptions {
  schedules: readonly ScheduleDef[];
  /** Runs one fire of a schedule; resolves true on success. Must not throw for run failures. */
  runJob(def: ScheduleDef, runId: string, fireTime: Date): Promise<boolean>;
  clock?: Clock;
  onLog?(e: ScheduleLog): void;
}

export function runId(def: ScheduleDef, fireTime: Date): string {
  return `${def.name}__${fireTime.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export interface RunningScheduler {
  /** Stops firing; resolves once the runs in flight have finished. */
  stop(): Promise<void>;
}

export function startScheduler(o: SchedulerOptions): RunningScheduler {
  const clock = o.clock ?? systemClock;
  const log = o.onLog ?? (() => undefined);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const loops = o.schedules.map(async (def) => {
    const cron = new Cron(def.cron, { timezone: def.timezone, paused: true });
    let active: Promise<unknown> | undefined;
    let from = new Date(clock.now());
    while (!stopping.signal.aborted) {
      const next = cron.nextRun(from);
      if (!next) return;
      log({ type: 'next', schedule: def.name, at: next });
      await clock.sleepUntil(next.getTime(), stopping.signal);
      if (stopping.signal.aborted) return;
      from = next;
      if (active) {
        log({ type: 'skip', schedule: def.name, at: next, reason: 'the previous run is still going (max_active_runs: 1)' });
        continue;
      }
      const id = runId(def, next);
      log({ type: 'fire', schedule: def.name, runId: id, at: next });
      const job = o.runJob(def, id, next).then(
        (success) => log({ type: 'done', schedule: def.name, runId: id, success }),
        (e: unknown) => log({ type: 'done', schedule: def.name, runId: id, success: false, error: String((e as Error)?.message ?? e) }),
      ).finally(() => { active = undefined; inFlight.delete(job); });
      active = job;
      inFlight.add(job);
    }
  });
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
      await Promise.all([...inFlight]);
    },
  };
}

// `cairn schedule`: the project's `schedules:` — list their next fire times, or serve them until
// stopped. Each fire is a normal invocation (same lock, so schedules on one target queue up) whose
// artifacts go to target/runs/<run_id>/.
import { join } from 'node:path';
import { targetDir } from '../artifacts/paths.js';
import { isCairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';
import { defaultDs } from '../orchestration/run-dates.js';
import { nextFireTimes, parseSchedules, startScheduler, type Clock, type RunningScheduler, type ScheduleDef, type ScheduleLog } from '../orchestration/schedule.js';
import type { CommonOptions } from './options.js';
import { execute } from './run.js';

export interface ScheduleListing extends ScheduleDef {
  next: Date[];
}

function readSchedules(projectDir: string, only?: readonly string[]): { defs: ScheduleDef[]; raw: Record<string, unknown>; targetPath: string } {
  const cfg = loadProjectConfig(projectDir, new Map());
  let defs = parseSchedules(cfg.raw.schedules);
  if (only?.length) defs = defs.filter((d) => only.includes(d.name));
  return { defs, raw: cfg.raw, targetPath: cfg.targetPath };
}

export function listSchedules(o: { projectDir: string; now?: Date; count?: number }): ScheduleListing[] {
  const now = o.now ?? new Date();
  return readSchedules(o.projectDir).defs.map((d) => ({ ...d, next: nextFireTimes(d, now, o.count ?? 3) }));
}

export interface ServeOptions extends CommonOptions {
  /** Only these schedules (default: all). */
  names?: string[];
  clock?: Clock;
  onLog?(e: ScheduleLog): void;
  /** Aborting it cancels runs in flight (a second Ctrl-C); `stop()` waits for them. */
  signal?: AbortSignal;
}

export function serveSchedules(o: ServeOptions): RunningScheduler & { schedules: ScheduleDef[] } {
  const { defs, raw, targetPath } = readSchedules(o.projectDir, o.names);
  const tdir = targetDir(o.projectDir, targetPath);
  const s = startScheduler({
    schedules: defs,
    clock: o.clock,
    onLog: o.onLog,
    async runJob(def, runId, fireTime) {
      try {
        const r = await execute(def.command, {
          ...o,
          select: def.select ?? o.select,
          exclude: def.exclude ?? o.exclude,
          target: def.target ?? o.target,
          vars: { ...(o.vars ?? {}), ...(def.vars ?? {}) },
          fullRefresh: def.fullRefresh,
          // The run's logical date follows its fire time, so a late or replayed fire computes the same ds.
          ds: defaultDs(raw, fireTime),
          artifactsDir: join(tdir, 'runs', runId),
          wait: true,
          signal: o.signal,
          extraArgs: { schedule: def.name, run_id: runId, fire_time: fireTime.toISOString() },
        });
        return r.success;
      } catch (e) {
        o.onEvent?.({ type: 'warning', message: `schedule ${def.name} run ${runId} failed: ${isCairnError(e) ? e.format() : String((e as Error)?.message ?? e)}` });
        return false;
      }
    },
  });
  return { ...s, schedules: defs };
}

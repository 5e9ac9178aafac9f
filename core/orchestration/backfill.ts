// `cairn run --start D1 --end D2`: the selection once per day, in date order (or N days at a time),
// each day with its own `ds`. One lock and one connection for the whole backfill. When a node fails
// on a day, it and everything downstream of it are left out of the later days (reported as
// skipped), while unrelated nodes carry on.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { targetDir, writeFileAtomic } from '../artifacts/paths.js';
import type { InvocationArgs, NodeResult } from '../artifacts/run-results.js';
import { COMMAND_RESOURCES, type RunOptions } from '../api/run.js';
import { loadAndParse, select } from '../api/project.js';
import { runInvocation } from '../execute/invocation.js';
import { reachable } from '../graph/dag.js';
import { CairnError } from '../errors.js';
import { acquireRunLock } from './lock.js';
import { daysBetween } from './run-dates.js';
import { notifyFailure, onFailureConfig, runSummary } from './notify.js';

export interface BackfillOptions extends RunOptions {
  start: string;
  end: string;
  /** Days run at once (default 1: strictly in order). */
  concurrencyDays?: number;
}

export interface BackfillDay {
  ds: string;
  success: boolean;
  results: NodeResult[];
  /** Nodes left out because they, or a parent, failed on an earlier day. */
  blocked: string[];
  artifactsDir: string;
}

export interface BackfillResult {
  backfillId: string;
  days: BackfillDay[];
  /** Every day of the range; days not in `days` were not run (stopped by --fail-fast or a signal). */
  planned: string[];
  success: boolean;
  elapsed: number;
}

export async function backfill(which: string, o: BackfillOptions): Promise<BackfillResult> {
  const days = daysBetween(o.start, o.end);
  const n = o.concurrencyDays ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new CairnError('USAGE', `--concurrency-days must be a positive integer, got \`${String(o.concurrencyDays)}\``);
  const t0 = Date.now();
  const types = COMMAND_RESOURCES[which] ?? ['model'];
  const first = loadAndParse({ ...o, ds: days[0] });
  const tdir = targetDir(first.ctx.projectDir, first.ctx.project.targetPath);
  const backfillId = `backfill_${o.start}_${o.end}_${randomUUID().slice(0, 8)}`;
  const lock = await acquireRunLock({ targetDir: tdir, target: first.ctx.target.name, command: `${which} --start ${o.start} --end ${o.end}`, invocationId: backfillId,
    wait: o.wait, timeoutMs: o.waitTimeoutMs, signal: o.signal, onWarning: (message) => o.onEvent?.({ type: 'warning', message }),
  });
  const adapter = o.adapters.connect(first.ctx.target, { projectDir: first.ctx.projectDir, onWarning: o.onEvent && ((message) => o.onEvent!({ type: 'warning', message })) });
  const blocked = new Set<string>();
  // With several days at once, one node never runs for two days at the same time: both would write
  // the same table (a write-write conflict in DuckDB, a race anywhere).
  const busy = new Map<string, Promise<void>>();
  const gate = async (id: string): Promise<() => void> => {
    for (let held = busy.get(id); held; held = busy.get(id)) await held;
    let release!: () => void;
    busy.set(id, new Promise<void>((r) => (release = r)));
    return () => { busy.delete(id); release(); };
  };
  const out: BackfillDay[] = [];
  try {
    await adapter.open();
    const runDay = async (ds: string): Promise<BackfillDay> => {
      const p = ds === days[0] ? first : loadAndParse({ ...o, ds, onEvent: undefined });
      const wanted = o.onlyIds ? new Set(o.onlyIds) : select(p, o, types);
      const blockedHere = [...wanted].filter((id) => blocked.has(id));
      const selected = new Set([...wanted].filter((id) => !blocked.has(id)));
      const artifactsDir = join(tdir, 'runs', backfillId, ds);
      const args: InvocationArgs = {
        which, select: o.select, exclude: o.exclude, target: p.ctx.target.name, vars: o.vars, ds,
        full_refresh: o.fullRefresh ?? false, threads: p.ctx.target.threads, backfill: { start: o.start, end: o.end, id: backfillId },
      };
      if (blockedHere.length) o.onEvent?.({ type: 'warning', message: `ds ${ds}: ${blockedHere.length} node(s) left out because they or a parent failed on an earlier day: ${blockedHere.join(', ')}` });
      const r = await runInvocation(p, adapter, {
        args, selected, resourceTypes: types, threads: p.ctx.target.threads, fullRefresh: o.fullRefresh ?? false,
        failFast: o.failFast, signal: o.signal, onEvent: o.onEvent, artifactsDir, gate: n > 1 ? gate : undefined,
      });
      for (const res of r.results) {
        if ((res.status === 'error' || res.status === 'fail') && res.blocksChildren !== false) {
          blocked.add(res.uniqueId);
          for (const d of reachable(p.dag, res.uniqueId, 'down').keys()) blocked.add(d);
        }
      }
      return { ds, success: r.success && blockedHere.length === 0, results: r.results, blocked: blockedHere, artifactsDir };
    };
    // Days start in order; with N > 1 up to N run at once (a failure blocks the days that start after it).
    let next = 0;
    const worker = async () => {
      // --fail-fast ends the whole backfill at the first failed day.
      while (next < days.length && !o.signal?.aborted && !(o.failFast && out.some((d) => !d.success))) {
        const ds = days[next++]!;
        out.push(await runDay(ds));
      }
    };
    await Promise.all(Array.from({ length: Math.min(n, days.length) }, worker));
  } finally {
    await adapter.close();
    lock.release();
  }
  out.sort((a, b) => a.ds.localeCompare(b.ds));
  const result: BackfillResult = { backfillId, days: out, planned: days, success: out.length === days.length && out.every((d) => d.success), elapsed: (Date.now() - t0) / 1000 };
  writeFileAtomic(join(tdir, 'backfill_results.json'), JSON.stringify({
    backfill_id: backfillId, start: o.start, end: o.end, success: result.success, elapsed_time: result.elapsed,
    days: out.map((d) => ({ ds: d.ds, success: d.success, blocked: d.blocked, artifacts: d.artifactsDir, results: d.results.map((r) => ({ unique_id: r.uniqueId, status: r.status, attempts: r.attempts ?? 1, message: r.message })) })),
  }, null, 2));
  const notify = onFailureConfig(first.ctx.project.raw, first.ctx.target);
  if (!result.success && notify) {
    const summary = runSummary({ project: first.ctx.project.name, target: first.ctx.target.name, command: `${which} --start ${o.start} --end ${o.end}`, invocationId: backfillId, ds: `${o.start}..${o.end}`, elapsed: result.elapsed, results: out.flatMap((d) => d.results) });
    for (const w of await notifyFailure(notify, summary, first.ctx.projectDir)) o.onEvent?.({ type: 'warning', message: w });
  }
  return result;
}

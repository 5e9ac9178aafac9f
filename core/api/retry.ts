// `cairn retry`: re-run exactly the nodes that errored, failed or were skipped in the last
// target/run_results.json, with the command, target, vars, ds and full-refresh it recorded.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readProgress, RUNNING } from '../artifacts/run-progress.js';
import { targetDir } from '../artifacts/paths.js';
import { CairnError } from '../errors.js';
import { loadProjectConfig } from '../project/project-config.js';
import type { CommonOptions } from './options.js';
import { execute, type RunOptions, type RunResult } from './run.js';
import { loadAndParse } from './project.js';

interface StoredRunResults {
  metadata?: { status?: string; invocation_id?: string; started_at?: string; generated_at?: string };
  results: Array<{ unique_id: string; status: string }>;
  args: { which?: string; target?: string; vars?: Record<string, unknown>; ds?: string; full_refresh?: boolean; threads?: number; select?: string[]; exclude?: string[] };
}

const RETRYABLE = new Set(['error', 'fail', 'skipped']);

export function readLastRunResults(projectDir: string): { path: string; data: StoredRunResults } {
  const cfg = loadProjectConfig(projectDir, new Map());
  const path = join(targetDir(projectDir, cfg.targetPath), 'run_results.json');
  if (!existsSync(path)) {
    throw new CairnError('NO_RUN_RESULTS', `nothing to retry: no previous run results at ${path}`, { hint: 'run `cairn run` or `cairn build` first' });
  }
  let data: StoredRunResults;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as StoredRunResults;
  } catch (e) {
    throw new CairnError('NO_RUN_RESULTS', `cannot read ${path}: ${(e as Error).message}`, { hint: 'run `cairn run` or `cairn build` again' });
  }
  if (!Array.isArray(data?.results) || !data.args) throw new CairnError('NO_RUN_RESULTS', `${path} is not a run_results.json cairn can retry from`);
  return { path, data };
}

export interface RetryResult extends RunResult {
  /** Ids re-run (empty when the last run had nothing to retry). */
  retried: string[];
  which: string;
}

/** Options the caller gives explicitly (project dir, adapters, event sink) win; the rest comes from the last run. */
export async function retry(o: CommonOptions & Pick<RunOptions, 'signal' | 'failFast' | 'wait' | 'waitTimeoutMs'>): Promise<RetryResult> {
  const { path, data } = readLastRunResults(o.projectDir);
  let statuses = data.results.map((r) => [r.unique_id, r.status] as const);
  if (data.metadata?.status === RUNNING) {
    // The last run never finished (killed): what it recorded as done stays done, the rest is retried.
    const done = readProgress(dirname(path));
    statuses = statuses.map(([id, st]) => [id, done.get(id) ?? st]);
    const left = statuses.filter(([, st]) => st === RUNNING).length;
    o.onEvent?.({
      type: 'warning',
      message: `the last run (invocation ${data.metadata.invocation_id ?? '?'}, started ${data.metadata.started_at ?? data.metadata.generated_at ?? '?'}) did not finish: ${left} node${left === 1 ? ' was' : 's were'} still running or waiting when it stopped; retrying them`,
    });
  }
  const ids = statuses.filter(([, st]) => RETRYABLE.has(st) || st === RUNNING).map(([id]) => id);
  const a = data.args;
  const which = a.which ?? 'run';
  if (ids.length === 0) {
    // Nothing failed last time: say so, and keep that run's results rather than overwrite them with an empty run.
    o.onEvent?.({ type: 'warning', message: 'nothing to retry: every node of the last run succeeded' });
    const project = loadAndParse({ ...o, target: o.target ?? a.target, vars: { ...(a.vars ?? {}), ...(o.vars ?? {}) }, ds: o.ds ?? a.ds, onEvent: undefined });
    return { results: [], elapsed: 0, success: true, project, retried: [], which };
  }
  const r = await execute(which, {
    ...o,
    target: o.target ?? a.target,
    vars: { ...(a.vars ?? {}), ...(o.vars ?? {}) },
    ds: o.ds ?? a.ds,
    fullRefresh: o.fullRefresh ?? a.full_refresh,
    select: a.select,
    exclude: a.exclude,
    onlyIds: new Set(ids),
    extraArgs: { retry: true },
  });
  return { ...r, retried: ids, which };
}

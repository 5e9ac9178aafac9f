// `cairn run` and `cairn build`: execute selected nodes on the target's engine.
import type { InvocationArgs } from '../artifacts/run-results.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { runInvocation, type InvocationResult } from '../execute/invocation.js';
import type { ResourceType } from '../project/types.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';
import { acquireRunLock } from '../orchestration/lock.js';
import { targetDir } from '../artifacts/paths.js';
import { notifyFailure, onFailureConfig, runSummary } from '../orchestration/notify.js';

export interface RunOptions extends CommonOptions {
  failFast?: boolean;
  signal?: AbortSignal;
  /** Wait for another run on the same target instead of failing (`--wait`). */
  wait?: boolean;
  /** Run exactly these node ids (cairn retry, backfills), instead of --select/--exclude. */
  onlyIds?: ReadonlySet<string>;
  /** Where run_results.json/manifest.json go (default: target-path). */
  artifactsDir?: string;
  /** Extra fields recorded in run_results.json `args`. */
  extraArgs?: Record<string, unknown>;
}

export interface RunResult extends InvocationResult {
  project: ParsedProject;
}

/** Resource kinds each command executes. */
export const COMMAND_RESOURCES: Record<string, ResourceType[]> = {
  run: ['model', 'task'],
  build: ['seed', 'snapshot', 'model', 'task', 'test', 'unit_test'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  snapshot: ['snapshot'],
};

export async function execute(which: keyof typeof COMMAND_RESOURCES | string, o: RunOptions): Promise<RunResult> {
  const p = loadAndParse(o);
  const types = COMMAND_RESOURCES[which] ?? ['model'];
  const selected = o.onlyIds ? new Set([...o.onlyIds].filter((id) => p.nodes.has(id))) : select(p, o, types);
  const notify = onFailureConfig(p.ctx.project.raw, p.ctx.target);
  const lock = await acquireRunLock({ targetDir: targetDir(p.ctx.projectDir, p.ctx.project.targetPath), target: p.ctx.target.name, command: which, wait: o.wait, signal: o.signal });
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  try {
    await adapter.open();
    const args: InvocationArgs = {
      which, select: o.select, exclude: o.exclude, target: p.ctx.target.name, vars: o.vars, ds: p.ctx.ds,
      full_refresh: o.fullRefresh ?? false, threads: p.ctx.target.threads, project_dir: p.ctx.projectDir, profiles_dir: o.profilesDir,
      ...o.extraArgs,
    };
    const r = await runInvocation(p, adapter, {
      args, selected, resourceTypes: types, threads: p.ctx.target.threads, fullRefresh: o.fullRefresh ?? false,
      failFast: o.failFast, signal: o.signal, onEvent: o.onEvent, artifactsDir: o.artifactsDir,
    });
    if (!r.success && notify) {
      const summary = runSummary({ project: p.ctx.project.name, target: p.ctx.target.name, command: which, invocationId: p.ctx.invocationId, ds: p.ctx.ds, elapsed: r.elapsed, results: r.results });
      for (const w of await notifyFailure(notify, summary, p.ctx.projectDir)) o.onEvent?.({ type: 'warning', message: w });
    }
    return { ...r, project: p };
  } finally {
    await adapter.close();
    lock.release();
  }
}

export const run = (o: RunOptions) => execute('run', o);
export const build = (o: RunOptions) => execute('build', o);

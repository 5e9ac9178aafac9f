// `cairn run` and `cairn build`: execute selected nodes on the target's engine.
import { logAsEvent } from '../compile/introspect.js';
import type { InvocationArgs } from '../artifacts/run-results.js';
import { targetDir } from '../artifacts/paths.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { runInvocation, type InvocationOptions, type InvocationResult } from '../execute/invocation.js';
import { runProjectHooks } from '../hooks/run-hooks.js';
import { acquireRunLock } from '../orchestration/lock.js';
import { notifyFailure, onFailureConfig, runSummary } from '../orchestration/notify.js';
import { preflightNodes } from '../orchestration/preflight.js';
import { requireBranches, wapBranchName, withWapBranch } from '../orchestration/wap.js';
import type { ResourceType } from '../project/types.js';
import { deferredRelations, requireStateForDefer } from '../state/defer.js';
import { loadState } from '../state/load-state.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';

export interface RunOptions extends CommonOptions {
  compileOptions?: InvocationOptions['compileOptions'];
  failFast?: boolean;
  signal?: AbortSignal;
  /** `--resource-type`: narrow the command's resource kinds. */
  resourceTypes?: ResourceType[];
  /** `--defer`: refs to models outside the run and not built here resolve to the `state` manifest's relations. */
  defer?: boolean;
  /** `--favor-state`: with --defer, such refs go to the state's relations even when built here. */
  favorState?: boolean;
  /** Wait for another run on the same target instead of failing (`--wait`). */
  wait?: boolean;
  /** Give up waiting for the lock after this long (default: forever). */
  waitTimeoutMs?: number;
  /** Run exactly these node ids (cairn retry, backfills), instead of --select/--exclude. */
  onlyIds?: ReadonlySet<string>;
  /** Where run_results.json/manifest.json go (default: target-path). */
  artifactsDir?: string;
  /** Extra fields recorded in run_results.json `args`. */
  extraArgs?: Record<string, unknown>;
  /** `--wap`: build and test on a run branch, merge into the target branch only if all passed. */
  wap?: boolean;
  /** `--changed-only` / `--no-changed-only`; unset: the project's `changed_only:` setting (default off). */
  changedOnly?: boolean;
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
  requireStateForDefer(o.defer, o.state, o.favorState);
  const p = loadAndParse(o);
  const all = COMMAND_RESOURCES[which] ?? ['model'];
  const types = o.resourceTypes?.length ? all.filter((t) => o.resourceTypes!.includes(t)) : all;
  const selected = o.onlyIds ? new Set([...o.onlyIds].filter((id) => p.nodes.has(id))) : select(p, o, types);
  const notify = onFailureConfig(p.ctx.project.raw, p.ctx.target);
  const lock = await acquireRunLock({ targetDir: targetDir(p.ctx.projectDir, p.ctx.project.targetPath), target: p.ctx.target.name, command: which, invocationId: p.ctx.invocationId,
    wait: o.wait, timeoutMs: o.waitTimeoutMs, signal: o.signal, onWarning: (message) => o.onEvent?.({ type: 'warning', message }),
  });
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir, onWarning: o.onEvent && ((message) => o.onEvent!({ type: 'warning', message })) });
  try {
    if (o.wap) requireBranches(adapter, p.ctx.target);
    await adapter.open();
    if (adapter.preflight) await adapter.preflight(preflightNodes(p, selected, types, o.fullRefresh ?? false), { wap: o.wap ?? false });
    let compileOptions: RunOptions['compileOptions'] = o.compileOptions;
    if (o.defer && o.state) {
      const t = new Set(types);
      const deferred = await deferredRelations(p, adapter, loadState(o.state, p.ctx.projectDir), new Set([...selected].filter((id) => t.has(p.nodes.get(id)!.resourceType))), o.favorState);
      compileOptions = { ...compileOptions, relationOverride: (n) => deferred.get(n.uniqueId) };
    }
    const args: InvocationArgs = {
      which, select: o.select, exclude: o.exclude, target: p.ctx.target.name, vars: o.vars, ds: p.ctx.ds,
      full_refresh: o.fullRefresh ?? false, threads: p.ctx.target.threads, project_dir: p.ctx.projectDir, profiles_dir: o.profilesDir,
      ...(o.wap ? { wap: true, wap_branch: wapBranchName(p.ctx.invocationId) } : {}),
      ...o.extraArgs,
    };
    const invoke = async () => {
      await runProjectHooks(p, adapter, 'on-run-start', {}, logAsEvent(o.onEvent));
      const res = await runInvocation(p, adapter, {
        args, selected, resourceTypes: types, threads: p.ctx.target.threads, fullRefresh: o.fullRefresh ?? false,
        failFast: o.failFast, signal: o.signal, onEvent: o.onEvent, compileOptions, artifactsDir: o.artifactsDir,
        changedOnly: o.changedOnly ?? p.ctx.project.raw.changed_only === true,
        // --wap: what was built counts only once merged; a run that is not merged leaves the ledger as it was.
        deferLedgerSave: o.wap,
      });
      await runProjectHooks(p, adapter, 'on-run-end', { results: res.results }, logAsEvent(o.onEvent));
      return res;
    };
    const r = o.wap ? await withWapBranch(adapter, p.ctx.target, p.ctx.invocationId, o.onEvent ?? (() => undefined), o.signal, invoke) : await invoke();
    if (r.success) await r.saveLedger?.();
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

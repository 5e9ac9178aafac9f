// `cairn run` and `cairn build`: execute selected nodes on the target's engine.
import type { InvocationArgs } from '../artifacts/run-results.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { runInvocation, type InvocationOptions, type InvocationResult } from '../execute/invocation.js';
import type { ResourceType } from '../project/types.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';
import { runProjectHooks } from '../hooks/run-hooks.js';
import { deferredRelations, requireStateForDefer } from '../state/defer.js';
import { loadState } from '../state/load-state.js';

export interface RunOptions extends CommonOptions {
  compileOptions?: InvocationOptions['compileOptions'];
  failFast?: boolean;
  signal?: AbortSignal;
  /** `--resource-type`: narrow the command's resource kinds. */
  resourceTypes?: ResourceType[];
  /** `--defer`: refs to models outside the run and not built here resolve to the `state` manifest's relations. */
  defer?: boolean;
}

export interface RunResult extends InvocationResult {
  project: ParsedProject;
}

/** Resource kinds each command executes. */
export const COMMAND_RESOURCES: Record<string, ResourceType[]> = {
  run: ['model'],
  build: ['seed', 'snapshot', 'model', 'test', 'unit_test'],
  seed: ['seed'],
  test: ['test', 'unit_test'],
  snapshot: ['snapshot'],
};

export async function execute(which: keyof typeof COMMAND_RESOURCES | string, o: RunOptions): Promise<RunResult> {
  requireStateForDefer(o.defer, o.state);
  const p = loadAndParse(o);
  const all = COMMAND_RESOURCES[which] ?? ['model'];
  const types = o.resourceTypes?.length ? all.filter((t) => o.resourceTypes!.includes(t)) : all;
  const selected = select(p, o, types);
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    let compileOptions: RunOptions['compileOptions'];
    if (o.defer && o.state) {
      const t = new Set(types);
      const deferred = await deferredRelations(p, adapter, loadState(o.state, p.ctx.projectDir), new Set([...selected].filter((id) => t.has(p.nodes.get(id)!.resourceType))));
      compileOptions = { relationOverride: (n) => deferred.get(n.uniqueId) };
    }
    const args: InvocationArgs = {
      which, select: o.select, exclude: o.exclude, target: p.ctx.target.name, vars: o.vars, ds: p.ctx.ds,
      full_refresh: o.fullRefresh ?? false, threads: p.ctx.target.threads, project_dir: p.ctx.projectDir, profiles_dir: o.profilesDir,
    };
    await runProjectHooks(p, adapter, 'on-run-start');
    const r = await runInvocation(p, adapter, {
      args, selected, resourceTypes: types, threads: p.ctx.target.threads, fullRefresh: o.fullRefresh ?? false,
      failFast: o.failFast, signal: o.signal, onEvent: o.onEvent, compileOptions,
    });
    await runProjectHooks(p, adapter, 'on-run-end', { results: r.results });
    return { ...r, project: p };
  } finally {
    await adapter.close();
  }
}

export const run = (o: RunOptions) => execute('run', o);
export const build = (o: RunOptions) => execute('build', o);

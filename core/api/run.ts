// `cairn run` and `cairn build`: execute selected nodes on the target's engine.
import type { InvocationArgs } from '../artifacts/run-results.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { runInvocation, type InvocationResult } from '../execute/invocation.js';
import type { ResourceType } from '../project/types.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';

export interface RunOptions extends CommonOptions {
  failFast?: boolean;
  signal?: AbortSignal;
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
  const p = loadAndParse(o);
  const types = COMMAND_RESOURCES[which] ?? ['model'];
  const selected = select(p, o, types);
  const adapter = o.adapters.connect(p.ctx.target, { projectDir: p.ctx.projectDir });
  await adapter.open();
  try {
    const args: InvocationArgs = {
      which, select: o.select, exclude: o.exclude, target: p.ctx.target.name, vars: o.vars, ds: p.ctx.ds,
      full_refresh: o.fullRefresh ?? false, threads: p.ctx.target.threads, project_dir: p.ctx.projectDir, profiles_dir: o.profilesDir,
    };
    const r = await runInvocation(p, adapter, {
      args, selected, resourceTypes: types, threads: p.ctx.target.threads, fullRefresh: o.fullRefresh ?? false,
      failFast: o.failFast, signal: o.signal, onEvent: o.onEvent,
    });
    return { ...r, project: p };
  } finally {
    await adapter.close();
  }
}

export const run = (o: RunOptions) => execute('run', o);
export const build = (o: RunOptions) => execute('build', o);

import { Command } from 'commander';
import { execute } from '../../core/api/index.js';
import type { ResourceType } from '../../core/project/types.js';
import { action } from '../errors.js';
import { toCommonOptions, withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

/** `run`, `build`, `seed`, `test`, `snapshot` share one shape: select, execute, report. */
export function executeCommand(name: 'run' | 'build' | 'seed' | 'test' | 'snapshot', description: string): Command {
  return withCommonOptions(new Command(name).description(description))
    .option('--full-refresh', 'rebuild incremental models and seeds from scratch')
    .option('-x, --fail-fast', 'stop at the first failure and cancel running statements')
    .option('--resource-type <types...>', 'only these kinds: seed, snapshot, model, test')
    .option('--defer', 'refs to models not in this run and not built here read the --state relations')
    .action(action(async (f: CommonFlags & { failFast?: boolean; resourceType?: string[]; defer?: boolean }) => {
      const ac = new AbortController();
      const onSig = () => ac.abort();
      process.once('SIGINT', onSig);
      process.once('SIGTERM', onSig);
      try {
        const r = await execute(name, { ...toCommonOptions(f), resourceTypes: f.resourceType as ResourceType[] | undefined, failFast: f.failFast, defer: f.defer, signal: ac.signal, onEvent: createReporter(f.logFormat ?? 'text') });
        if (ac.signal.aborted) return 130;
        return r.success ? 0 : 1;
      } finally {
        process.off('SIGINT', onSig);
        process.off('SIGTERM', onSig);
      }
    }));
}

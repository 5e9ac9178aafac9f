import { Command } from 'commander';
import { execute } from '../../core/api/index.js';
import { action } from '../errors.js';
import { toCommonOptions, withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';
import { withSignals } from '../signals.js';

/** `run`, `build`, `seed`, `test`, `snapshot` share one shape: select, execute, report. */
export function executeCommand(name: 'run' | 'build' | 'seed' | 'test' | 'snapshot', description: string): Command {
  return withCommonOptions(new Command(name).description(description))
    .option('--full-refresh', 'rebuild incremental models and seeds from scratch')
    .option('-x, --fail-fast', 'stop at the first failure and cancel running statements')
    .option('--wait', 'wait for another run on the same target instead of failing')
    .action(action(async (f: CommonFlags & { failFast?: boolean; wait?: boolean }) =>
      withSignals(async (signal) => {
        const r = await execute(name, { ...toCommonOptions(f), failFast: f.failFast, wait: f.wait, signal, onEvent: createReporter(f.logFormat ?? 'text') });
        if (signal.aborted) return 130;
        return r.success ? 0 : 1;
      })));
}

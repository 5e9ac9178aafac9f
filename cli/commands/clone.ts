import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

export function cloneCommand(): Command {
  return withCommonOptions(new Command('clone').description('create views in this target over the --state target\'s relations'))
    .option('--full-refresh', 'replace relations that already exist here')
    .action(action(async (f: CommonFlags) => {
      const [{ clone }, { toCommonOptions }] = await Promise.all([import('../../core/state/clone.js'), import('../core-options.js')]);
      const r = await clone({ ...toCommonOptions(f), onEvent: createReporter(f.logFormat ?? 'text', (l) => process.stderr.write(l + '\n')) });
      for (const c of r.cloned) process.stdout.write(`cloned ${c.node}: ${c.relation} -> ${c.from}\n`);
      for (const s of r.skipped) process.stdout.write(`skipped ${s.node}: ${s.reason}\n`);
      process.stdout.write(`Cloned ${r.cloned.length}, skipped ${r.skipped.length}\n`);
      return 0;
    }));
}

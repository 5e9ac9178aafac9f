import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

/** `cairn run-operation MACRO --args '{...}'`. */
export function runOperationCommand(): Command {
  return withCommonOptions(new Command('run-operation').description('run a macro').argument('<macro>', 'macro name'), { selection: false })
    .option('--args <yaml>', "keyword arguments as YAML or JSON, e.g. '{role: reporter}'")
    .action(action(async (macro: string, f: CommonFlags & { args?: string }) => {
      const [{ runOperation }, { parseVars, toCommonOptions }] = await Promise.all([import('../../core/api/run-operation.js'), import('../core-options.js')]);
      const r = await runOperation({ ...toCommonOptions(f), macro, args: parseVars(f.args, '--args'), onEvent: createReporter('text') });
      process.stdout.write(`Ran ${macro}: ${r.statements.length} statement${r.statements.length === 1 ? '' : 's'}\n`);
      return 0;
    }));
}

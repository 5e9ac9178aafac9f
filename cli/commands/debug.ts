import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { green, red } from '../reporter.js';

export function debugCommand(): Command {
  return withCommonOptions(new Command('debug').description('check the project files, the profile and the connection'), { selection: false })
    .action(action(async (f: CommonFlags) => {
      const [{ debug }, { toCommonOptions }] = await Promise.all([import('../../core/api/debug.js'), import('../core-options.js')]);
      const r = await debug(toCommonOptions(f));
      for (const c of r.checks) process.stdout.write(`  ${c.name}: ${c.ok ? green('OK') : red('ERROR')}${c.detail ? `  ${c.detail}` : ''}\n`);
      process.stdout.write(r.ok ? green('All checks passed!\n') : red('Some checks failed.\n'));
      return r.ok ? 0 : 1;
    }));
}

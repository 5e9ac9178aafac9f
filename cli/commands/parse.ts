import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

/** `cairn parse`: check the project and write manifest.json, nothing rendered or run. */
export function parseCommand(): Command {
  return withCommonOptions(new Command('parse').description('read and check the project, write target/manifest.json (nothing is rendered or run)'), { selection: false })
    .action(action(async (f: CommonFlags) => {
      const [{ parse }, { toCommonOptions }] = await Promise.all([import('../../core/api/parse.js'), import('../core-options.js')]);
      const r = parse({ ...toCommonOptions(f), onEvent: createReporter(f.logFormat ?? 'text') });
      const parts = Object.entries(r.counts).sort().map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`);
      if (!f.quiet) process.stdout.write(`Parsed ${parts.join(', ') || 'no nodes'} in ${r.elapsed.toFixed(2)}s; wrote ${r.manifestPath}\n`);
      return 0;
    }));
}

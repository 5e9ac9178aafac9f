import { Command } from 'commander';
import { redact } from '../../core/util/redact.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

export function compileCommand(): Command {
  return withCommonOptions(new Command('compile').description('render models to SQL under target/compiled'))
    .option('--inline', 'print the compiled SQL of the selected nodes')
    .option('--full-refresh', 'compile as if incremental tables were rebuilt')
    .option('--defer', 'refs to models not selected and not built here read the --state relations')
    .action(action(async (f: CommonFlags & { inline?: boolean; defer?: boolean }) => {
      const [{ compile }, { toCommonOptions }] = await Promise.all([import('../../core/api/compile.js'), import('../core-options.js')]);
      const o = toCommonOptions(f);
      const r = await compile({ ...o, defer: f.defer, onEvent: createReporter(f.logFormat ?? 'text') });
      if (f.inline) {
        for (const id of r.order) {
          const sql = r.compiled.get(id);
          if (sql === undefined) continue;
          if (r.order.length > 1) process.stdout.write(`-- ${id}\n`);
          process.stdout.write(redact(sql).trimEnd() + '\n');
        }
      } else {
        process.stdout.write(`Compiled ${r.compiled.size} node${r.compiled.size === 1 ? '' : 's'} to ${r.project.ctx.project.targetPath}/compiled/\n`);
      }
      return 0;
    }));
}

import { Command } from 'commander';
import { redact } from '../../core/util/redact.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

export function compileCommand(): Command {
  return withCommonOptions(new Command('compile').description('render models to SQL under target/compiled'))
    .option('--inline [sql]', 'compile this SQL (refs, sources, macros resolved) and print it; without SQL, print the compiled SQL of the selected nodes')
    .option('--full-refresh', 'compile as if incremental tables were rebuilt')
    .option('--defer', 'refs to models not selected and not built here read the --state relations')
    .option('--favor-state', 'with --defer: such refs read the --state relations even when built here')
    .action(action(async (f: CommonFlags & { inline?: boolean | string; defer?: boolean; favorState?: boolean }) => {
      const [{ compile, compileInlineSql }, { toCommonOptions }] = await Promise.all([import('../../core/api/compile.js'), import('../core-options.js')]);
      const o = toCommonOptions(f);
      if (typeof f.inline === 'string') {
        process.stdout.write(redact(compileInlineSql({ ...o, onEvent: createReporter(f.logFormat ?? 'text') }, f.inline)).trimEnd() + '\n');
        return 0;
      }
      const r = await compile({ ...o, defer: f.defer, favorState: f.favorState, onEvent: createReporter(f.logFormat ?? 'text') });
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

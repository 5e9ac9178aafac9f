import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { formatTable } from '../table-format.js';

export function showCommand(): Command {
  return withCommonOptions(new Command('show').description("preview a model's rows (runs its compiled SQL with a limit)"))
    .option('--inline <sql>', 'SQL to run instead of a model')
    .option('--limit <n>', 'rows to show', '5')
    .action(action(async (f: CommonFlags & { inline?: string; limit: string }) => {
      const [{ show }, { parseCount, toCommonOptions }] = await Promise.all([import('../../core/api/show.js'), import('../core-options.js')]);
      const r = await show({ ...toCommonOptions(f), inline: f.inline, limit: parseCount('--limit', f.limit) });
      process.stdout.write(`Previewing ${r.node ?? 'inline query'}:\n${formatTable(r.columns, r.rows)}\n`);
      return 0;
    }));
}

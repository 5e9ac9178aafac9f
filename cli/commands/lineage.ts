import { Command, Option } from 'commander';
import type { LineageQueryResult } from '../../core/api/docs.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';

function printText(r: LineageQueryResult): void {
  const out: string[] = [`${r.name}.${r.column}${r.transform ? `  (${r.transform})` : ''}`];
  if (r.unresolved) out.push(`  unresolved: ${r.unresolved}`);
  for (const dir of ['upstream', 'downstream'] as const) {
    const hops = r[dir];
    if (!hops) continue;
    out.push(`${dir}:`);
    if (!hops.length) out.push('  (none)');
    for (const h of hops) out.push(`  ${'  '.repeat(h.depth - 1)}${h.name}.${h.column}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

export function lineageCommand(): Command {
  return withCommonOptions(new Command('lineage').description("a column's upstream and downstream columns, from the compiled SQL").argument('<model.column>', 'e.g. orders_summary.total_amount'), { selection: false })
    .option('--upstream', 'only the columns it derives from')
    .option('--downstream', 'only the columns derived from it')
    .addOption(new Option('--output <format>', 'text or json').choices(['text', 'json']).default('text'))
    .action(action(async (spec: string, f: CommonFlags & { upstream?: boolean; downstream?: boolean; output: string }) => {
      const [{ columnLineage }, { toCommonOptions }] = await Promise.all([import('../../core/api/docs.js'), import('../core-options.js')]);
      const r = await columnLineage({ ...toCommonOptions(f), spec, upstream: f.upstream, downstream: f.downstream });
      if (f.output === 'json') process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else printText(r);
      return 0;
    }));
}

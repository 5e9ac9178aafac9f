import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter, green, red, yellow } from '../reporter.js';
import { humanAge } from '../../core/util/time-format.js';

/** `cairn source freshness`: exit 1 when a source is stale at error level. */
export function sourceCommand(): Command {
  const cmd = new Command('source').description('source commands');
  cmd.addCommand(withCommonOptions(new Command('freshness').description('check how recent each source table is'))
    .action(action(async (f: CommonFlags) => {
      const [{ sourceFreshness }, { toCommonOptions }] = await Promise.all([import('../../core/api/source-freshness.js'), import('../core-options.js')]);
      const r = await sourceFreshness({ ...toCommonOptions(f), onEvent: createReporter('text') });
      r.results.forEach((x, i) => {
        const tag = x.status === 'pass' ? green('PASS') : x.status === 'warn' ? yellow('WARN') : red(x.status === 'error' ? 'ERROR STALE' : 'ERROR');
        const age = x.ageSeconds === null ? 'no rows' : `${humanAge(x.ageSeconds)} old`;
        process.stdout.write(`${i + 1} of ${r.results.length} ${tag} freshness of ${x.source}.${x.table} (${age})${x.message ? ': ' + x.message : ''}\n`);
      });
      const c = (s: string) => r.results.filter((x) => x.status === s).length;
      process.stdout.write(`Done. PASS=${c('pass')} WARN=${c('warn')} ERROR=${c('error') + c('runtime error')} TOTAL=${r.results.length}\n`);
      return r.success ? 0 : 1;
    })));
  return cmd;
}

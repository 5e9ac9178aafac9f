import { Command } from 'commander';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';

/** `cairn state`: processed intervals of microbatch models (done / failed / missing). */
export function stateCommand(): Command {
  return withCommonOptions(new Command('state').description('show which intervals of microbatch models are done, failed or missing'))
    .option('--start <date>', 'first interval to check (default: the first recorded one)')
    .option('--end <date>', 'last interval to check (default: ds)')
    .action(action(async (f: CommonFlags & { start?: string; end?: string }) => {
      const [{ compactDays, state }, { toCommonOptions }] = await Promise.all([import('../../core/api/state.js'), import('../core-options.js')]);
      const models = await state({ ...toCommonOptions(f), start: f.start, end: f.end });
      if (f.logFormat === 'json') {
        process.stdout.write(JSON.stringify(models, null, 2) + '\n');
        return 0;
      }
      if (!models.length) process.stdout.write("no models with incremental_strategy 'microbatch' in the selection\n");
      for (const m of models) {
        process.stdout.write(`${m.uniqueId} (batch_size ${m.batchSize}): ${m.done.length} done, ${m.failed.length} failed, ${m.missing.length} missing\n`);
        if (m.done.length) process.stdout.write(`  done:    ${compactDays(m.done)}\n`);
        if (m.failed.length) process.stdout.write(`  failed:  ${compactDays(m.failed)}\n`);
        if (m.missing.length) process.stdout.write(`  missing: ${compactDays(m.missing)}\n`);
      }
      return models.some((m) => m.failed.length) ? 1 : 0;
    }));
}

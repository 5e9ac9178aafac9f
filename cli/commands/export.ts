import { Command } from 'commander';
import { CairnError } from '../../core/errors.js';
import { action } from '../errors.js';
import { withCommonOptions, type CommonFlags } from '../common-options.js';
import { createReporter } from '../reporter.js';

export function exportCommand(): Command {
  return withCommonOptions(new Command('export').argument('<format>', 'what to export: airflow').description('write the project as a DAG for another scheduler (Airflow)'), { selection: false })
    .option('--out <dir>', 'folder for the generated file', 'dags')
    .option('--airflow-tests <mode>', 'build: one `cairn build` task per node; separate: `run` and `test` tasks', 'build')
    .action(action(async (format: string, f: CommonFlags & { out: string; airflowTests: string }) => {
      if (format !== 'airflow') throw new CairnError('USAGE', `unknown export format \`${format}\``, { hint: 'cairn export airflow --out dags/' });
      const [{ exportAirflow }, { toCommonOptions }] = await Promise.all([import('../../core/export/export-airflow.js'), import('../core-options.js')]);
      const r = exportAirflow({ ...toCommonOptions(f), out: f.out, airflowTests: f.airflowTests, onEvent: createReporter('text', (l) => process.stderr.write(l + '\n')) });
      process.stdout.write(`Wrote ${r.file}\n`);
      return 0;
    }));
}

import { Command } from 'commander';
import { action } from '../errors.js';

export function cleanCommand(): Command {
  return new Command('clean')
    .description('delete the folders listed in clean-targets (target/ by default)')
    .option('--project-dir <dir>', 'project folder')
    .option('--vars <yaml>', 'variables')
    .action(action(async (f: { projectDir?: string; vars?: string }) => {
      const [{ clean }, { parseVars }] = await Promise.all([import('../../core/api/clean.js'), import('../core-options.js')]);
      const removed = clean({ projectDir: f.projectDir ?? process.cwd(), vars: parseVars(f.vars) });
      process.stdout.write(removed.length ? removed.map((r) => `Removed ${r}\n`).join('') : 'Nothing to clean.\n');
      return 0;
    }));
}

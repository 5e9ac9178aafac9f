import { Command } from 'commander';
import { clean } from '../../core/api/index.js';
import { action } from '../errors.js';
import { parseVars } from '../common-options.js';

export function cleanCommand(): Command {
  return new Command('clean')
    .description('delete the folders listed in clean-targets (target/ by default)')
    .option('--project-dir <dir>', 'project folder')
    .option('--vars <yaml>', 'variables')
    .action(action(async (f: { projectDir?: string; vars?: string }) => {
      const removed = clean({ projectDir: f.projectDir ?? process.cwd(), vars: parseVars(f.vars) });
      process.stdout.write(removed.length ? removed.map((r) => `Removed ${r}\n`).join('') : 'Nothing to clean.\n');
      return 0;
    }));
}

import { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { init } from '../../core/api/index.js';
import { action } from '../errors.js';

// dist/cli/commands/init.js → <package>/templates
const templatesDir = fileURLToPath(new URL('../../../templates', import.meta.url));

export function initCommand(): Command {
  return new Command('init')
    .description('create a new project from the starter template')
    .argument('<name>', 'project name (letters, digits, underscores)')
    .option('--dir <dir>', 'parent folder (default: current folder)')
    .action(action(async (name: string, f: { dir?: string }) => {
      const dest = init({ name, dir: f.dir, templatesDir });
      process.stdout.write(`Created ${dest}\nNext: cd ${name} && cairn build\n`);
      return 0;
    }));
}

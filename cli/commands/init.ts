import { Command } from 'commander';
import { packagePath } from '../../core/util/package-root.js';
import { action } from '../errors.js';


export function initCommand(): Command {
  return new Command('init')
    .description('create a new project from the starter template')
    .argument('<name>', 'project name (letters, digits, underscores)')
    .option('--dir <dir>', 'parent folder (default: current folder)')
    .action(action(async (name: string, f: { dir?: string }) => {
      const { init } = await import('../../core/api/init.js');
      const dest = init({ name, dir: f.dir, templatesDir: packagePath('templates') });
      process.stdout.write(`Created ${dest}\nNext: cd ${name} && cairn build\n`);
      return 0;
    }));
}

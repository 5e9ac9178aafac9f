import { Command } from 'commander';
import { action } from '../errors.js';

export function depsCommand(): Command {
  return new Command('deps')
    .description('install the packages listed in packages.yml (or dependencies.yml) and write package-lock.yml')
    .option('--project-dir <dir>', 'project folder')
    .option('--vars <yaml>', 'variables')
    .option('--upgrade', 'resolve packages.yml again even where package-lock.yml pins versions')
    .option('--lock', 'only resolve and write package-lock.yml; install nothing')
    .action(action(async (f: { projectDir?: string; vars?: string; upgrade?: boolean; lock?: boolean }) => {
      const [{ deps }, { parseVars }, { yellow }, { redact }] = await Promise.all([
        import('../../core/api/deps.js'), import('../core-options.js'), import('../reporter.js'), import('../../core/util/redact.js'),
      ]);
      const r = await deps({ projectDir: f.projectDir ?? process.cwd(), vars: parseVars(f.vars), upgrade: f.upgrade, lockOnly: f.lock });
      for (const w of r.warnings) {
        const at = w.location.file ? ` (${w.location.file}${w.location.line ? ':' + w.location.line : ''})` : '';
        process.stdout.write(`${yellow('[WARNING]')} ${redact(w.message)}${at}${w.hint ? `\n  hint: ${redact(w.hint)}` : ''}\n`);
      }
      if (f.lock) {
        process.stdout.write(r.lockWritten ? 'Wrote package-lock.yml\n' : 'package-lock.yml is up to date\n');
        return 0;
      }
      if (!r.packages.length) {
        process.stdout.write('No packages to install: packages.yml (or dependencies.yml) lists none.\n');
        return 0;
      }
      for (const p of r.packages) process.stdout.write(`Installed ${p.name} (${redact(p.source)})\n`);
      process.stdout.write(`${r.packages.length} package(s) in ${r.installPath}/${r.lockWritten ? '; wrote package-lock.yml' : ' (from package-lock.yml)'}\n`);
      return 0;
    }));
}

import { Command, Option } from 'commander';
import { action } from '../errors.js';
import { withSignals } from '../signals.js';

/** `cairn retry`: the nodes that errored or were skipped last time, with that run's command, target, vars and ds. */
export function retryCommand(): Command {
  return new Command('retry')
    .description('re-run the nodes that errored or were skipped in the last run_results.json')
    .option('--project-dir <dir>', 'project folder (default: current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml')
    .option('--vars <yaml>', 'override variables of the last run')
    .option('--target-path <dir>', 'folder of the last run\'s artifacts (default: target-path in dbt_project.yml, or DBT_TARGET_PATH)')
    .option('-x, --fail-fast', 'stop at the first failure and cancel running statements')
    .option('--wait', 'wait for another run on the same target instead of failing')
    .option('--wait-timeout <seconds>', 'with --wait: give up after this many seconds', '3600')
    .option('--debug', 'print stack traces for unexpected errors')
    .addOption(new Option('--log-format <fmt>', 'text or json').choices(['text', 'json', 'default']).default('text'))
    .action(action(async (f: { projectDir?: string; profilesDir?: string; vars?: string; targetPath?: string; failFast?: boolean; wait?: boolean; waitTimeout: string; logFormat?: string }) =>
      withSignals(async (signal) => {
        const [{ retry }, { adapterRegistry, parseCount, parseVars }, { runOutput }] = await Promise.all([import('../../core/api/retry.js'), import('../core-options.js'), import('../run-output.js')]);
        if (f.targetPath) process.env.DBT_TARGET_PATH = f.targetPath; // as core-options.ts does for the other commands
        const report = runOutput(f);
        const r = await retry({
          projectDir: f.projectDir ?? process.cwd(), profilesDir: f.profilesDir, vars: f.vars ? parseVars(f.vars) : undefined,
          adapters: adapterRegistry, failFast: f.failFast, wait: f.wait, waitTimeoutMs: parseCount('--wait-timeout', f.waitTimeout) * 1000, signal, onEvent: report,
        });
        if (signal.aborted) return 130;
        return r.success ? 0 : 1;
      })));
}

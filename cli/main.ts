#!/usr/bin/env node
// cairn's command line: one file per command under commands/, all logic in core/.
// The command files only declare flags; each action imports its part of core/ when it runs, so
// `--version`, `--help` and one command load only what they use (startup is most of a small run).
import { Command } from 'commander';
import { CAIRN_VERSION } from '../core/version.js';
import { globalFlags } from './common-options.js';
import { cleanCommand } from './commands/clean.js';
import { cloneCommand } from './commands/clone.js';
import { compileCommand } from './commands/compile.js';
import { debugCommand } from './commands/debug.js';
import { exportCommand } from './commands/export.js';
import { docsCommand } from './commands/docs.js';
import { initCommand } from './commands/init.js';
import { lineageCommand } from './commands/lineage.js';
import { lsCommand } from './commands/ls.js';
import { parseCommand } from './commands/parse.js';
import { executeCommand } from './commands/run.js';
import { showCommand } from './commands/show.js';
import { runOperationCommand } from './commands/run-operation.js';
import { sourceCommand } from './commands/source.js';
import { retryCommand } from './commands/retry.js';
import { stateCommand } from './commands/state.js';
import { scheduleCommand } from './commands/schedule.js';

// `cairn ls | head` closes stdout early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const program = new Command('cairn')
  .description('dbt-style SQL models on Dremio and embedded DuckDB')
  .version(CAIRN_VERSION)
  .showSuggestionAfterError(true)
  .exitOverride((err) => {
    // commander's own usage errors (unknown flag, missing argument) are exit code 2, like ours.
    process.exit(err.exitCode === 0 ? 0 : 2);
  })
  .option('--warn-error', 'treat every warning as an error (exit 2); also accepted after the command')
  .hook('preAction', () => {
    globalFlags.warnError = program.opts().warnError === true || undefined;
  });

program.addCommand(parseCommand());
program.addCommand(compileCommand());
program.addCommand(executeCommand('run', 'build the selected models'));
program.addCommand(executeCommand('build', 'seeds, snapshots, models and tests in DAG order'));
program.addCommand(executeCommand('seed', 'load CSV seeds into tables'));
program.addCommand(executeCommand('test', 'run data tests'));
program.addCommand(executeCommand('snapshot', 'run snapshots'));
program.addCommand(retryCommand());
program.addCommand(stateCommand());
program.addCommand(scheduleCommand());
program.addCommand(lsCommand());
program.addCommand(showCommand());
program.addCommand(debugCommand());
program.addCommand(cleanCommand());
program.addCommand(initCommand());
program.addCommand(runOperationCommand());
program.addCommand(sourceCommand());
program.addCommand(cloneCommand());
program.addCommand(exportCommand());
program.addCommand(docsCommand());
program.addCommand(lineageCommand());

// commander does not pass exitOverride down to commands added with addCommand.
for (const c of program.commands) {
  c.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  for (const sub of c.commands) sub.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
}

// Not awaited at the top level: the bundle is CommonJS (scripts/postbuild.mjs). A rejection still
// ends the process with its message and exit code 1, as an unhandled one does.
void program.parseAsync(process.argv);

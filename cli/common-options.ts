// Flags every command takes. Only their declaration: every command file loads this at startup, so it
// stays light; the translation into core options (YAML, adapters) is in core-options.ts, loaded by
// the action that runs.
import { Command, Option } from 'commander';

export interface CommonFlags {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  vars?: string;
  threads?: string;
  ds?: string;
  select?: string[];
  exclude?: string[];
  fullRefresh?: boolean;
  debug?: boolean;
  logFormat?: string;
  logLevel?: string;
  quiet?: boolean;
  profile?: string;
  targetPath?: string;
  state?: string;
  warnError?: boolean;
  selector?: string;
  indirectSelection?: string;
}

/** Flags given before the command (`cairn --warn-error run`), as dbt's global flags; set by main.ts. */
export const globalFlags: { warnError?: boolean } = {};

export function withCommonOptions(cmd: Command, opts: { selection?: boolean } = {}): Command {
  cmd
    .option('--project-dir <dir>', 'project folder (default: current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml')
    .option('-t, --target <name>', 'profile output to use')
    .option('--vars <yaml>', "variables as YAML or JSON, e.g. '{start: 2024-01-01}'")
    .option('--threads <n>', 'concurrent nodes (default: from the profile)')
    .option('--ds <date>', 'logical run date YYYY-MM-DD (default: today UTC)')
    .option('--debug', 'print stack traces for unexpected errors')
    .option('--warn-error', 'treat every warning as an error (exit 2)')
    .addOption(new Option('--log-format <fmt>', 'text or json').choices(['text', 'json', 'default']).default('text'))
    .addOption(new Option('--log-level <level>', 'what is printed: debug and info (everything), warn (warnings and errors), error, none').choices(['debug', 'info', 'warn', 'error', 'none']))
    .option('-q, --quiet', 'print errors only (as --log-level error)')
    .option('--profile <name>', 'profiles.yml entry to use instead of the one dbt_project.yml names')
    .option('--target-path <dir>', 'folder for artifacts and compiled SQL (default: target-path in dbt_project.yml, or DBT_TARGET_PATH)');
  if (opts.selection !== false) {
    cmd
      .option('-s, --select <selectors...>', 'nodes to include (e.g. +orders tag:nightly path:models/silver)')
      .option('-m, --models <selectors...>', 'alias of --select')
      .option('--exclude <selectors...>', 'nodes to leave out')
      .option('--state <dir>', 'target folder of an earlier run, for state:/result: selectors and --defer')
      .option('--selector <name>', 'a named selection from selectors.yml')
      .addOption(new Option('--indirect-selection <mode>', 'tests that come along with selected nodes').choices(['eager', 'cautious', 'buildable', 'empty']));
  }
  return cmd;
}

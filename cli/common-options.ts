// Flags every command takes, and their translation into core options.
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { adapterRegistry } from '../adapters/registry.js';
import type { CommonOptions } from '../core/api/options.js';
import { CairnError } from '../core/errors.js';

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
  state?: string;
}

export function withCommonOptions(cmd: Command, opts: { selection?: boolean } = {}): Command {
  cmd
    .option('--project-dir <dir>', 'project folder (default: current folder)')
    .option('--profiles-dir <dir>', 'folder holding profiles.yml')
    .option('-t, --target <name>', 'profile output to use')
    .option('--vars <yaml>', "variables as YAML or JSON, e.g. '{start: 2024-01-01}'")
    .option('--threads <n>', 'concurrent nodes (default: from the profile)')
    .option('--ds <date>', 'logical run date YYYY-MM-DD (default: today UTC)')
    .option('--debug', 'print stack traces for unexpected errors')
    .addOption(new Option('--log-format <fmt>', 'text or json').choices(['text', 'json', 'default']).default('text'));
  if (opts.selection !== false) {
    cmd
      .option('-s, --select <selectors...>', 'nodes to include (e.g. +orders tag:nightly path:models/silver)')
      .option('-m, --models <selectors...>', 'alias of --select')
      .option('--exclude <selectors...>', 'nodes to leave out')
      .option('--state <dir>', 'target folder of an earlier run, for state:/result: selectors and --defer');
  }
  return cmd;
}

export function parseVars(text: string | undefined): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new CairnError('USAGE', `--vars is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`, { hint: "e.g. --vars '{key: value}'" });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new CairnError('USAGE', '--vars must be a mapping', { hint: "e.g. --vars '{key: value}'" });
  }
  return v as Record<string, unknown>;
}

export function toCommonOptions(f: CommonFlags & { models?: string[] }): CommonOptions {
  let threads: number | undefined;
  if (f.threads !== undefined) {
    threads = Number(f.threads);
    if (!Number.isInteger(threads) || threads < 1) throw new CairnError('USAGE', `--threads must be a positive integer, got \`${f.threads}\``);
  }
  return {
    projectDir: f.projectDir ?? process.cwd(),
    profilesDir: f.profilesDir,
    target: f.target,
    vars: parseVars(f.vars),
    threads,
    ds: f.ds,
    fullRefresh: f.fullRefresh,
    select: f.select ?? f.models,
    exclude: f.exclude,
    state: f.state ? resolve(f.state) : undefined,
    adapters: adapterRegistry,
  };
}

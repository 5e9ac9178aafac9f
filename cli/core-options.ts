// The common flags translated into core options. Loaded by a command's action, not at startup: it
// pulls in the YAML parser and the adapter registry.
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { adapterRegistry } from '../adapters/registry.js';
import type { CommonOptions } from '../core/api/options.js';
import { CairnError } from '../core/errors.js';
import type { CommonFlags } from './common-options.js';

export { adapterRegistry };

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
  // dbt's own variable for the same setting: every reader of target-path (artifacts, caches, retry,
  // schedules) sees it, not only the ones this command passes options to.
  if (f.targetPath) process.env.DBT_TARGET_PATH = f.targetPath;
  return {
    profile: f.profile,
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
    selector: f.selector,
    indirectSelection: f.indirectSelection as CommonOptions['indirectSelection'],
    adapters: adapterRegistry,
  };
}

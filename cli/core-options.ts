// The common flags translated into core options. Loaded by a command's action, not at startup: it
// pulls in the YAML parser and the adapter registry.
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { adapterRegistry } from '../adapters/registry.js';
import type { CommonOptions } from '../core/api/options.js';
import { CairnError } from '../core/errors.js';
import { globalFlags, type CommonFlags } from './common-options.js';

export { adapterRegistry };

/** `--vars` (or `--args`, named by `flag` so the message blames the flag the user wrote). */
export function parseVars(text: string | undefined, flag = '--vars'): Record<string, unknown> {
  if (!text) return {};
  let v: unknown;
  const hint = `e.g. ${flag} '{key: value}'`;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new CairnError('USAGE', `${flag} is not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`, { hint });
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new CairnError('USAGE', `${flag} must be a mapping`, { hint });
  }
  return v as Record<string, unknown>;
}

/** A whole number of at least `min` from a flag's text (`--limit abc` is a usage error, not `limit NaN`). */
export function parseCount(flag: string, text: string, min = 0): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < min) {
    throw new CairnError('USAGE', `${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, got \`${text}\``);
  }
  return n;
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
    warnError: f.warnError ?? globalFlags.warnError,
  };
}

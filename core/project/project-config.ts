// dbt_project.yml → ProjectConfig.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { makeEnvVar, renderYamlValues, stashErrors } from '../templating/yaml-values.js';
import { readYaml } from './yaml-file.js';
import type { ProjectConfig } from './types.js';

const asList = (v: unknown, dflt: string[]): string[] =>
  v === undefined || v === null ? dflt : Array.isArray(v) ? v.map(String) : [String(v)];

export function loadProjectConfig(projectDir: string, envRead: Map<string, string | undefined>, cliVars: Record<string, unknown> = {}): ProjectConfig {
  const path = join(projectDir, 'dbt_project.yml');
  if (!existsSync(path)) {
    throw new CairnError('PROJECT_NOT_FOUND', `no dbt_project.yml in ${projectDir}`, {
      hint: 'run cairn inside a project folder, pass --project-dir, or create one with `cairn init NAME`',
    });
  }
  const file = readYaml<Record<string, unknown>>(path, 'dbt_project.yml');
  if (typeof file.value !== 'object' || file.value === null || Array.isArray(file.value)) {
    throw new CairnError('PROJECT_INVALID', 'dbt_project.yml must be a mapping of keys to values', { file: 'dbt_project.yml', line: 1 });
  }
  // vars: are not rendered here (dbt renders them lazily); everything else may use env_var().
  const rawVars = (file.value.vars ?? {}) as Record<string, unknown>;
  const scope = stashErrors({ env_var: makeEnvVar(envRead), var: (n: string, d?: unknown) => cliVars[n] ?? rawVars[n] ?? d });
  const { vars: _v, ...rest } = file.value;
  // A config value that reads `target` waits for the profile (renderTargetConfigs, at load).
  const skip = (path: ReadonlyArray<string | number>) => isHookPath(path) || (RESOURCE_TREES.has(String(path[0])) && readsTarget(valueAt(rest, path)));
  const raw = { ...renderYamlValues({ ...file, value: rest }, scope, skip), vars: rawVars } as Record<string, unknown>;
  if (!raw.name || typeof raw.name !== 'string') {
    throw new CairnError('PROJECT_INVALID', 'dbt_project.yml has no `name`', { file: 'dbt_project.yml', line: 1, hint: 'add `name: my_project`' });
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.name)) {
    throw new CairnError('PROJECT_INVALID', `project name \`${raw.name}\` must be letters, digits and underscores`, { file: 'dbt_project.yml', line: 1 });
  }
  const trees = configTreesOf(raw);
  const hooks = (v: unknown) => asList(v, []);
  return {
    name: raw.name,
    profile: typeof raw.profile === 'string' ? raw.profile : raw.name,
    version: raw.version !== undefined ? String(raw.version) : undefined,
    modelPaths: asList(raw['model-paths'] ?? raw['source-paths'], ['models']),
    seedPaths: asList(raw['seed-paths'] ?? raw['data-paths'], ['seeds']),
    macroPaths: asList(raw['macro-paths'], ['macros']),
    testPaths: asList(raw['test-paths'], ['tests']),
    snapshotPaths: asList(raw['snapshot-paths'], ['snapshots']),
    analysisPaths: asList(raw['analysis-paths'], ['analyses']),
    docsPaths: asList(raw['docs-paths'], []),
    taskPaths: asList(raw['task-paths'], ['tasks']),
    // --target-path (which the CLI passes on as DBT_TARGET_PATH, dbt's own variable) wins over the file.
    targetPath: process.env.DBT_TARGET_PATH || (typeof raw['target-path'] === 'string' ? raw['target-path'] : 'target'),
    logPath: typeof raw['log-path'] === 'string' ? raw['log-path'] : 'logs',
    cleanTargets: asList(raw['clean-targets'], ['target', 'dbt_packages']),
    vars: rawVars,
    configTrees: trees,
    onRunStart: hooks(raw['on-run-start']),
    onRunEnd: hooks(raw['on-run-end']),
    raw,
    file,
  };
}

const RESOURCE_TREES = new Set(['models', 'seeds', 'snapshots', 'tests', 'data_tests', 'unit_tests', 'sources']);

function configTreesOf(raw: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const trees: Record<string, Record<string, unknown>> = {};
  for (const kind of ['models', 'seeds', 'snapshots', 'tests', 'data_tests', 'sources', 'unit_tests']) {
    const t = raw[kind];
    if (t && typeof t === 'object') trees[kind === 'data_tests' ? 'tests' : kind] = t as Record<string, unknown>;
  }
  return trees;
}

const readsTarget = (v: unknown): boolean => typeof v === 'string' && (v.includes('{{') || v.includes('{%')) && /\btarget\b/.test(v);

function valueAt(v: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur = v;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[k] : undefined;
  return cur;
}

/**
 * The resource configs that read `target` (`+materialized: "{{ 'table' if target.name == 'prod' else
 * 'view' }}"`), rendered once the profile is known, as dbt renders dbt_project.yml with `target` in
 * its context. Hooks stay for run time.
 */
export function renderTargetConfigs(c: ProjectConfig, target: Record<string, unknown>, envRead: Map<string, string | undefined>, cliVars: Record<string, unknown> = {}): void {
  const trees: Record<string, unknown> = {};
  for (const k of RESOURCE_TREES) if (c.raw[k] !== undefined) trees[k] = c.raw[k];
  const pending = (v: unknown, path: Array<string | number>): boolean =>
    !isHookPath(path) && (readsTarget(v) || (Array.isArray(v) ? v.some((x, i) => pending(x, [...path, i])) : !!v && typeof v === 'object' && Object.entries(v).some(([k, x]) => pending(x, [...path, k]))));
  if (!pending(trees, [])) return;
  const scope = stashErrors({ target, env_var: makeEnvVar(envRead), var: (n: string, d?: unknown) => cliVars[n] ?? c.vars[n] ?? d });
  const rendered = renderYamlValues({ ...c.file, value: trees }, scope, isHookPath) as Record<string, unknown>;
  Object.assign(c.raw, rendered);
  c.configTrees = configTreesOf(c.raw);
}

/**
 * Hooks, as dbt's project renderer leaves them: `on-run-start`, `on-run-end` and any `pre-hook` /
 * `post-hook` under a resource tree are rendered when they run, with the project's macros.
 */
export function isHookPath(path: ReadonlyArray<string | number>): boolean {
  const first = path[0];
  if (first === 'on-run-start' || first === 'on-run-end') return true;
  if (typeof first !== 'string' || !RESOURCE_TREES.has(first)) return false;
  return path.some((k) => typeof k === 'string' && /^\+?\s*(pre|post)[-_]hook$/.test(k));
}

/** Every folder cairn reads project files from, without trailing slashes, each once. */
export function resourceRoots(c: ProjectConfig): string[] {
  const roots = [...c.modelPaths, ...c.seedPaths, ...c.snapshotPaths, ...c.testPaths, ...c.analysisPaths, ...c.macroPaths, ...c.docsPaths, ...c.taskPaths];
  return [...new Set(roots.map((r) => r.replace(/\/+$/, '')))];
}

// Where `adapter.dispatch('name', 'namespace')` looks, as dbt defines it: the `dispatch:` entry of
// dbt_project.yml for that namespace (`- macro_namespace: dbt_utils, search_order: [my_project,
// dbt_utils]`); without one, the root project then the package, when the namespace is an installed
// package; otherwise (no namespace, `dbt`, anything else) the caller's own lookup (its package, the
// root project, then cairn's builtins). In each place, `<adapter>__name` before `default__name`.
import { CairnError } from '../errors.js';
import { lineOf } from '../project/yaml-file.js';
import type { ProjectConfig } from '../project/types.js';
import type { TemplateEnv } from '../templating/environment.js';

export interface DispatchEntry {
  macroNamespace: string;
  searchOrder: string[];
}

/** What the search order depends on; a CompileContext is one. */
export interface DispatchScope {
  project: ProjectConfig;
  packages?: ReadonlyArray<{ config: ProjectConfig }>;
}

const parsed = new WeakMap<ProjectConfig, DispatchEntry[]>();

/** The `dispatch:` list of dbt_project.yml, checked (a wrong shape is an error naming its line). */
export function dispatchConfig(project: ProjectConfig): DispatchEntry[] {
  let out = parsed.get(project);
  if (out) return out;
  out = [];
  const raw = project.raw.dispatch;
  const where = (path: Array<string | number>) => ({ file: 'dbt_project.yml', line: lineOf(project.file, path) });
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw)) throw new CairnError('CONFIG_INVALID', '`dispatch:` must be a list of `{macro_namespace, search_order}`', { ...where(['dispatch']), hint: 'e.g. dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}]' });
    raw.forEach((e, i) => {
      const entry = e as Record<string, unknown> | null;
      const ns = entry?.macro_namespace;
      const order = entry?.search_order;
      if (typeof ns !== 'string' || !ns) throw new CairnError('CONFIG_INVALID', `dispatch entry ${i + 1} has no \`macro_namespace\``, where(['dispatch', i]));
      if (!Array.isArray(order) || !order.length || order.some((x) => typeof x !== 'string')) {
        throw new CairnError('CONFIG_INVALID', `dispatch entry for \`${ns}\` needs \`search_order\`: a list of project and package names`, { ...where(['dispatch', i]), hint: `e.g. search_order: [${project.name}, ${ns}]` });
      }
      out!.push({ macroNamespace: ns, searchOrder: order as string[] });
    });
  }
  parsed.set(project, out);
  return out;
}

/**
 * The packages to search, in order; `null` stands for the caller's own unqualified lookup (dbt's
 * `None`). Project and package names are returned as configured; a name that is neither the root
 * nor an installed package finds nothing there (dbt skips it too).
 */
export function dispatchSearchOrder(namespace: string | undefined | null, scope: DispatchScope): Array<string | null> {
  if (!namespace) return [null];
  const configured = dispatchConfig(scope.project).find((e) => e.macroNamespace === namespace);
  if (configured) return [...configured.searchOrder];
  if (scope.packages?.some((p) => p.config.name === namespace)) return [scope.project.name, namespace];
  return [null];
}

/** `<adapter>__`, then `default__` (dbt's adapter prefixes; neither DuckDB nor Dremio has a parent adapter here). */
export function dispatchPrefixes(adapterType: string): string[] {
  return adapterType === 'default' ? ['default'] : [adapterType, 'default'];
}

/**
 * Every (package, macro name) to try for `adapter.dispatch(name, namespace)`, in order: the first one
 * defined is called. `package` null: the caller's own lookup; else the macro of that project (the
 * root's global, or `package.<macro>`).
 */
export function dispatchCandidates(name: string, namespace: string | undefined | null, scope: DispatchScope, adapterType: string): Array<{ package: string | null; macro: string }> {
  const out: Array<{ package: string | null; macro: string }> = [];
  for (const pkg of dispatchSearchOrder(namespace, scope)) for (const prefix of dispatchPrefixes(adapterType)) out.push({ package: pkg, macro: `${prefix}__${name}` });
  return out;
}

/**
 * The macro `adapter.dispatch(name, namespace)` calls, found in the template environments
 * (environment.ts: the root's globals, each package's own); `callerFile` is the file of the node or
 * macro that dispatches, whose package is searched first for `null` entries. `tried` lists what was
 * looked for, in order, for the error when nothing is found.
 */
export function findDispatchMacro(tenv: TemplateEnv, scope: DispatchScope, name: string, namespace: string | undefined | null, adapterType: string, callerFile?: string): { macro?: (...args: unknown[]) => unknown; tried: string[] } {
  const root = tenv.forFile('');
  const tried: string[] = [];
  const globalsOf = (e: TemplateEnv) => (e.env as unknown as { globals: Record<string, unknown> }).globals;
  for (const c of dispatchCandidates(name, namespace, scope, adapterType)) {
    let fn: unknown;
    if (c.package === null) {
      fn = globalsOf(callerFile ? root.forFile(callerFile) : root)[c.macro];
      tried.push(c.macro);
    } else {
      const env = c.package === scope.project.name ? root : tenv.packageEnvs().get(c.package);
      // Only that project's own macros: a package's environment also sees the root's through its prototype.
      const g = env && globalsOf(env);
      fn = g && Object.prototype.hasOwnProperty.call(g, c.macro) ? g[c.macro] : undefined;
      tried.push(`${c.package}.${c.macro}`);
    }
    if (typeof fn === 'function') return { macro: fn as (...args: unknown[]) => unknown, tried };
  }
  return { tried };
}

// `adapter.dispatch('name', 'namespace')`: the implementation of a macro for the current adapter.
// Packages are searched in order (the root project first, so a project's `duckdb__type_string`
// overrides dbt's), and in each `<adapter>__name` before `default__name`, as dbt does.
import { CairnError } from '../errors.js';
import type { TemplateEnv } from './environment.js';
import { GLOBAL_PACKAGE } from './global-macros.js';

/**
 * The packages `adapter.dispatch` searches, in order. `searchOrders` is the `dispatch:` project
 * config (macro_namespace → search_order), which replaces the default order for its namespace.
 */
export function dispatchSearchOrder(rootProject: string, namespace: string | undefined, searchOrders?: ReadonlyMap<string, readonly string[]>): string[] {
  const configured = namespace !== undefined ? searchOrders?.get(namespace) : undefined;
  const order = configured ?? [rootProject, ...(namespace !== undefined ? [namespace] : []), GLOBAL_PACKAGE];
  return [...new Set(order)];
}

export interface DispatchOptions {
  rootProject: string;
  /** `target.type`: `duckdb`, `dremio`. */
  adapterType: string;
  searchOrders?: ReadonlyMap<string, readonly string[]>;
}

/** The macro `adapter.dispatch(macroName, namespace)` returns, or a CairnError listing what was searched. */
export function dispatchMacro(tenv: TemplateEnv, o: DispatchOptions, macroName: unknown, namespace?: unknown): unknown {
  let name = String(macroName);
  let ns = typeof namespace === 'string' ? namespace : undefined;
  // dbt's older form: adapter.dispatch('pkg.name').
  if (ns === undefined && name.includes('.')) [ns, name] = name.split('.', 2) as [string, string];
  const searched: string[] = [];
  for (const pkgName of dispatchSearchOrder(o.rootProject, ns, o.searchOrders)) {
    const pkg = tenv.packages.get(pkgName);
    for (const prefix of [o.adapterType, 'default']) {
      const candidate = `${prefix}__${name}`;
      searched.push(`${pkgName}.${candidate}`);
      const fn = pkg?.get(candidate);
      if (typeof fn === 'function') return fn;
    }
  }
  throw new CairnError('JINJA_RENDER', `adapter.dispatch: no macro named \`${name}\`${ns ? ` in namespace \`${ns}\`` : ''}`, {
    hint: `define one of: ${searched.join(', ')}`,
  });
}

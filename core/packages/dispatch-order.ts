// The `dispatch:` config of dbt_project.yml (`- macro_namespace: dbt_utils` + `search_order:
// [my_project, dbt_utils]`): for that namespace, where `adapter.dispatch('name', 'dbt_utils')` looks
// instead of its default order (the root project, the namespace, dbt's; templating/dispatch.ts).
import { CairnError } from '../errors.js';
import { lineOf } from '../project/yaml-file.js';
import type { ProjectConfig } from '../project/types.js';

export interface DispatchEntry {
  macroNamespace: string;
  searchOrder: string[];
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

/** The `dispatch:` config as `adapter.dispatch` takes it (templating/dispatch.ts): namespace → search order. */
export function dispatchSearchOrders(project: ProjectConfig): ReadonlyMap<string, readonly string[]> {
  let m = orders.get(project);
  if (!m) orders.set(project, (m = new Map(dispatchConfig(project).map((e) => [e.macroNamespace, e.searchOrder]))));
  return m;
}

const orders = new WeakMap<ProjectConfig, ReadonlyMap<string, readonly string[]>>();

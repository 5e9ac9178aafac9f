// Selector methods (`tag:x`, `path:models/silver`, `config.materialized:view`, ...). Each maps a value to
// the set of node ids it names. New methods (state:, result:) are added to this table.
import type { ProjectNode } from '../project/types.js';
import type { Dag } from './dag.js';
import { resultMethod, stateMethod } from '../state/selectors.js';

export interface SelectionContext {
  nodes: ReadonlyMap<string, ProjectNode>;
  dag: Dag;
  projectName: string;
  /**
   * The first two parts of every node's fqn, lower-cased (package names and top folders), when the
   * parse knows them up front: a plain name that is none of them is looked up by name only, without
   * decoding 14,000 fqns (parse snapshot).
   */
  fqnHeads?: ReadonlySet<string>;
  /** Data some methods need (previous manifest and run results for `state:`/`result:`). */
  extra?: Record<string, unknown>;
}

export type SelectorMethod = (value: string, ctx: SelectionContext) => Set<string>;

export function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${esc}$`, 'i');
}

function filter(ctx: SelectionContext, pred: (n: ProjectNode) => boolean): Set<string> {
  const out = new Set<string>();
  for (const n of ctx.nodes.values()) if (pred(n)) out.add(n.uniqueId);
  return out;
}

const normPath = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');

/** dbt's default method: a node name, an fqn path (`silver.orders_incremental`, `silver`), or a glob. */
const fqn: SelectorMethod = (value, ctx) => {
  const parts = value.split('.');
  const re = parts.map(globToRegExp);
  // A single literal part matches an fqn only as its first or second part (tryFrom below).
  if (parts.length === 1 && !/[*?]/.test(value) && ctx.fqnHeads && !ctx.fqnHeads.has(value.toLowerCase())) {
    return filter(ctx, (n) => n.resourceType !== 'source' && re[0]!.test(n.name));
  }
  return filter(ctx, (n) => {
    if (n.resourceType === 'source') return false;
    if (parts.length === 1 && re[0]!.test(n.name)) return true;
    // Match a prefix of the fqn, with or without the project name first.
    const f = n.fqn;
    const tryFrom = (start: number) => re.length <= f.length - start && re.every((r, i) => r.test(f[start + i]!)) && (re.length === f.length - start || parts.length > 0);
    return tryFrom(0) || tryFrom(1);
  });
};

export const selectorMethods: Record<string, SelectorMethod> = {
  fqn,
  tag: (v, ctx) => {
    const re = globToRegExp(v);
    return filter(ctx, (n) => n.tags.some((t) => re.test(t)));
  },
  path: (v, ctx) => {
    const want = normPath(v);
    return filter(ctx, (n) => {
      const p = normPath(n.originalFilePath);
      return p === want || p.startsWith(want + '/') || globToRegExp(want).test(p);
    });
  },
  file: (v, ctx) => filter(ctx, (n) => n.originalFilePath.split('/').pop() === v || n.originalFilePath.endsWith('/' + v)),
  resource_type: (v, ctx) => filter(ctx, (n) => n.resourceType === v || (v === 'data_test' && n.resourceType === 'test')),
  package: (v, ctx) => filter(ctx, (n) => n.packageName === v),
  source: (v, ctx) => {
    const [src, tbl] = v.split('.');
    const rs = globToRegExp(src ?? '*');
    const rt = globToRegExp(tbl ?? '*');
    return filter(ctx, (n) => n.resourceType === 'source' && rs.test(String(n.extra?.sourceName)) && rt.test(n.name));
  },
  test_type: (v, ctx) => filter(ctx, (n) => {
    if (n.resourceType === 'unit_test') return v === 'unit';
    if (n.resourceType !== 'test') return false;
    const kind = (n.extra?.testType as string | undefined) ?? 'singular';
    return kind === v || (v === 'data' && (kind === 'generic' || kind === 'singular'));
  }),
  state: stateMethod,
  result: resultMethod,
  test_name: (v, ctx) => filter(ctx, (n) => n.resourceType === 'test' && globToRegExp(v).test(String(n.extra?.testName ?? n.name))),
};

/** `config.materialized:view`, `config.tags:x`: any config key, matching scalars or list members. */
export function configMethod(key: string): SelectorMethod {
  return (v, ctx) => filter(ctx, (n) => {
    const val = n.config[key];
    if (Array.isArray(val)) return val.map(String).includes(v);
    return val !== undefined && String(val) === v;
  });
}

// The parts of dbt's Jinja context that are objects rather than functions of the node: `adapter`
// (dispatch, quote, type), `api` (Relation.create, Column types), `graph` (the project's nodes and
// sources), `modules`, `local_md5`, `builtins`. Built once per compile context and mode.
import { createHash } from 'node:crypto';
import type { Relation } from '../../adapters/adapter.js';
import { isCairnError, type CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import { dispatchMacro } from '../templating/dispatch.js';
import { pyModules } from '../templating/py-modules.js';
import { RelationProxy } from '../templating/relation-proxy.js';
import type { CompileContext } from './context.js';

type Kw = Record<string, unknown> & { __keywords?: true };
const kwOf = (args: unknown[]): Kw => {
  const last = args[args.length - 1];
  return typeof last === 'object' && last !== null && (last as Kw).__keywords ? (last as Kw) : {};
};
const opt = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

export function adapterObject(ctx: CompileContext): Record<string, unknown> {
  const type = ctx.target.type;
  return {
    type: () => type,
    // adapter.dispatch('x', 'pkg'), or with dbt's keywords: macro_name=, macro_namespace=.
    dispatch: (...args: unknown[]) => {
      const kw = kwOf(args);
      const [name, namespace] = args.filter((a) => a !== kw);
      try {
        return dispatchMacro(ctx.tenv, { rootProject: ctx.project.name, adapterType: type }, kw.macro_name ?? name, kw.macro_namespace ?? namespace);
      } catch (e) {
        // Kept on the scope: nunjucks re-wraps errors, and render.ts reports this one with its hint.
        if (isCairnError(e)) (ctx.tenv.current() as { __error?: CairnError }).__error = e;
        throw e;
      }
    },
    quote: (s: unknown) => ctx.dialect.quoteIdentifier(String(s)),
  };
}

/** `api.Relation` and `api.Column` (the class methods dbt macros call: type names per adapter). */
export function apiObject(ctx: CompileContext): Record<string, unknown> {
  const labels = ctx.dialect.typeLabels ?? {};
  const translate = (t: unknown) => labels[String(t).toUpperCase()] ?? String(t);
  return {
    Relation: {
      create: (...args: unknown[]) => {
        const kw = kwOf(args);
        const pos = args.filter((a) => a !== kw);
        const rel: Relation = {
          database: opt(kw.database ?? pos[0]),
          schema: opt(kw.schema ?? pos[1]) ?? '',
          identifier: opt(kw.identifier ?? pos[2]) ?? '',
        };
        return new RelationProxy(rel, ctx.dialect.renderRelation(rel));
      },
    },
    Column: {
      translate_type: translate,
      numeric_type: (dtype: unknown, precision?: unknown, scale?: unknown) =>
        precision === undefined || precision === null || scale === undefined || scale === null ? String(dtype) : `${String(dtype)}(${String(precision)},${String(scale)})`,
      string_type: (size?: unknown) => (size === undefined || size === null ? translate('string') : `${translate('string')}(${String(size)})`),
    },
  };
}

export const localMd5 = (s: unknown): string => createHash('md5').update(String(s)).digest('hex');
export const modules = pyModules;

/** What `graph.nodes[id]` / `graph.sources[id]` hold: dbt's manifest fields, in its names. */
function nodeDict(n: ProjectNode): Record<string, unknown> {
  const rel = n.relation;
  const base: Record<string, unknown> = {
    unique_id: n.uniqueId,
    name: n.name,
    resource_type: n.resourceType,
    package_name: n.packageName,
    path: n.path,
    original_file_path: n.originalFilePath,
    fqn: n.fqn,
    config: n.config,
    tags: n.tags,
    meta: n.meta,
    description: n.description,
    columns: n.columns,
    database: rel?.database ?? null,
    schema: rel?.schema ?? null,
  };
  if (n.resourceType === 'source') {
    return { ...base, source_name: n.extra?.sourceName, identifier: rel?.identifier ?? n.name, loaded_at_field: n.extra?.loadedAtField ?? null, freshness: n.extra?.freshness ?? null };
  }
  return {
    ...base,
    alias: rel?.identifier ?? n.name,
    raw_code: n.rawCode,
    depends_on: { nodes: n.dependsOn.nodes, macros: n.dependsOn.macros },
    refs: n.refs.map((r) => ({ name: r.name, package: r.package ?? null, version: r.version ?? null })),
    sources: n.sources,
    patch_path: n.patchPath ?? null,
  };
}

export const emptyGraph = (): Record<string, unknown> => ({ nodes: {}, sources: {}, exposures: {}, metrics: {}, groups: {}, semantic_models: {}, saved_queries: {} });

const graphs = new WeakMap<CompileContext, { size: number; graph: Record<string, unknown> }>();

/** `graph` once the project is parsed, built on first read (kept while the node count is unchanged). */
export function graphOf(ctx: CompileContext): Record<string, unknown> {
  const cached = graphs.get(ctx);
  if (cached && cached.size === ctx.nodes.size) return cached.graph;
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  for (const n of ctx.nodes.values()) (n.resourceType === 'source' ? sources : nodes)[n.uniqueId] = nodeDict(n);
  const graph = { ...emptyGraph(), nodes, sources };
  graphs.set(ctx, { size: ctx.nodes.size, graph });
  return graph;
}

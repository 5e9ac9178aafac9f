// The render pass: a node's Jinja rendered with real relations, `is_incremental()` answered, and
// ephemeral parents inlined as CTEs.
import type { Relation } from '../../adapters/adapter.js';
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import { renderTemplate, type CompiledTemplate } from '../templating/render.js';
import { RelationProxy } from '../templating/relation-proxy.js';
import { didYouMean } from '../util/did-you-mean.js';
import { cteName, injectCtes } from './ephemeral.js';
import { compileScope, type CompileHooks } from './node-scope.js';
import { renderWithDatabase, type DatabaseAccess } from './introspect.js';
import { IntrospectionSession, type RenderLog } from '../templating/introspection/session.js';
import { reusableRender, substituteRelations } from './reuse-parse-render.js';
import type { ParsedProject } from './parse-project.js';
import { resolveRefTarget } from './parse-project.js';
import { lineOfCall } from './parse-models.js';

export interface CompileOptions {
  /** Whether `is_incremental()` is true for this node (its table exists and no full refresh). */
  isIncremental?: boolean;
  /** Where a ref to `node` should point instead of the node's own relation (`--defer`). */
  relationOverride?: (node: ProjectNode) => Relation | undefined;
  /** Render this template in the node's scope instead of the node's own (hooks). */
  template?: CompiledTemplate;
  /** The engine's answers for `run_query` & co.; see compileNodeWithDatabase. */
  introspection?: IntrospectionSession;
  /** Where `log(..., info=True)`, `print` and `exceptions.warn` go in a render without a session. */
  onLog?: (l: RenderLog) => void;
  /** `--empty`: every ref and source reads zero rows (dbt's `where false limit 0` subquery); `this` is untouched. */
  empty?: boolean;
}

export interface CompiledNode {
  sql: string;
  /** The SQL before ephemeral CTEs were injected. */
  body: string;
  /** Unique ids of the ephemeral models inlined, deepest first. */
  ephemerals: string[];
}

export function proxyFor(p: ParsedProject, rel: Relation, empty = false): RelationProxy {
  const rendered = p.ctx.dialect.renderRelation(rel);
  return new RelationProxy(rel, empty ? `(select * from ${rendered} where false limit 0)` : rendered);
}

export function compileNode(p: ParsedProject, node: ProjectNode, opts: CompileOptions = {}, memo = new Map<string, CompiledNode>()): CompiledNode {
  const ctx = p.ctx;
  const ephemerals: string[] = [];
  const template = opts.template ?? p.templates.get(node.uniqueId);
  if (!template) throw new CairnError('INTERNAL', `no template for ${node.uniqueId}`);
  const thisRel = node.relation ?? { schema: ctx.target.schema, identifier: node.name };
  const hooks: CompileHooks = {
    resolveRef: (call) => {
      const target = resolveRefTarget(ctx, node, call.name, call.package);
      if (target.config.materialized === 'ephemeral') {
        if (!ephemerals.includes(target.uniqueId)) ephemerals.push(target.uniqueId);
        return cteName(target.name);
      }
      const rel = opts.relationOverride?.(target) ?? target.relation!;
      return proxyFor(p, rel, opts.empty);
    },
    resolveSource: (s, t) => {
      const src = ctx.sources.get(`${s}.${t}`);
      if (!src) {
        throw new CairnError('SOURCE_NOT_FOUND', `source('${s}', '${t}') is not defined`, {
          node: node.name, file: node.originalFilePath, line: lineOfCall(node.rawCode, 'source', t), hint: didYouMean(`${s}.${t}`, ctx.sources.keys()),
        });
      }
      return proxyFor(p, src.relation, opts.empty);
    },
    thisRelation: proxyFor(p, thisRel),
    isIncremental: opts.isIncremental ?? false,
    config: node.config,
    introspection: opts.introspection,
    onLog: opts.onLog,
  };
  const reuse = opts.template ? undefined : reusableRender(template, hooks.isIncremental);
  const body = reuse ? substituteRelations(ctx, reuse, hooks, node.name) : renderTemplate(ctx.tenv, template, compileScope(ctx, node, hooks), node.name);
  // Ephemeral parents, and theirs, in dependency order (deepest first), each once.
  const ordered: Array<[string, string]> = [];
  const orderedIds: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const eph = ctx.nodes.get(id)!;
    let c = memo.get(id);
    if (!c) {
      c = compileNode(p, eph, { relationOverride: opts.relationOverride, empty: opts.empty, introspection: opts.introspection }, memo);
      memo.set(id, c);
    }
    for (const inner of c.ephemerals) visit(inner);
    ordered.push([cteName(eph.name), c.body]);
    orderedIds.push(id);
  };
  for (const id of ephemerals) visit(id);
  return { sql: injectCtes(body, ordered), body, ephemerals: orderedIds };
}

/**
 * compileNode with `run_query`, `adapter.get_columns_in_relation` & co. answered by the engine. A
 * node that reads nothing from the database renders once, as with compileNode.
 */
export function compileNodeWithDatabase(p: ParsedProject, node: ProjectNode, opts: CompileOptions, db: DatabaseAccess, memo?: Map<string, CompiledNode>, session = new IntrospectionSession()): Promise<CompiledNode> {
  return renderWithDatabase(p.ctx, node, db, (s) => compileNode(p, node, { ...opts, introspection: s }, memo), session);
}

// Rendering outside any model: `on-run-start`/`on-run-end` hooks and `cairn run-operation`. The
// scope is a model's compile scope for a synthetic `operation` node, plus `run_query`/`statement`.
// Rendering is synchronous, so SQL a macro runs through them is collected and executed afterwards
// in order (their results read as empty inside the macro).
import { proxyFor } from '../compile/compile-node.js';
import { compileScope } from '../compile/node-scope.js';
import { resolveRefTarget, type ParsedProject } from '../compile/parse-project.js';
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';
import type { RenderScope } from '../templating/environment.js';
import { compileTemplate, renderTemplate } from '../templating/render.js';

export function operationNode(p: ParsedProject, name: string, file: string): ProjectNode {
  return {
    uniqueId: `operation.${p.ctx.project.name}.${name}`, name, resourceType: 'operation', packageName: p.ctx.project.name,
    originalFilePath: file, path: file, fqn: [p.ctx.project.name, name], rawCode: '', checksum: '', config: {}, description: '',
    columns: {}, meta: {}, tags: [], refs: [], sources: [], dependsOn: { nodes: [], macros: [] },
  };
}

/** Renders `src` and returns the SQL statements to run: collected `run_query` calls, then the output. */
export function renderOperation(p: ParsedProject, node: ProjectNode, src: string, extra: RenderScope = {}): string[] {
  const ctx = p.ctx;
  const queued: string[] = [];
  const scope = compileScope(ctx, node, {
    resolveRef: (call) => proxyFor(p, resolveRefTarget(ctx, node, call.name, call.package).relation!),
    resolveSource: (s, t) => {
      const src2 = ctx.sources.get(`${s}.${t}`);
      if (!src2) throw new CairnError('SOURCE_NOT_FOUND', `source('${s}', '${t}') is not defined`, { node: node.name });
      return proxyFor(p, src2.relation);
    },
    thisRelation: proxyFor(p, { schema: ctx.target.schema, identifier: node.name }),
    isIncremental: false,
    config: {},
  });
  const empty = { columns: [], rows: [], table: { columns: [], rows: [] } };
  Object.assign(scope, {
    run_query: (sql: unknown) => { queued.push(String(sql)); return empty; },
    statement: () => '',
    load_result: () => ({ data: [], table: { rows: [] }, response: {} }),
    ...extra,
  });
  const out = renderTemplate(ctx.tenv, compileTemplate(ctx.tenv, src, node.originalFilePath), scope, node.name).trim();
  return [...queued.map((q) => q.trim()).filter(Boolean), ...(out ? [out] : [])];
}

// Rendering outside any model: `on-run-start`/`on-run-end` hooks and `cairn run-operation`. The
// scope is a model's compile scope for a synthetic `operation` node; `run_query`/`statement` run on
// the engine while it renders (core/compile/introspect.ts), and the output is run afterwards.
import { proxyFor } from '../compile/compile-node.js';
import { renderWithDatabase, type DatabaseAccess } from '../compile/introspect.js';
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

/**
 * Renders `src` and returns the SQL statements to run (its output). `run_query` and `statement`
 * blocks run on the engine while it renders, in order, and their results are real.
 */
export async function renderOperation(p: ParsedProject, node: ProjectNode, src: string, db: DatabaseAccess, extra: RenderScope = {}): Promise<string[]> {
  const ctx = p.ctx;
  const template = compileTemplate(ctx.tenv, src, node.originalFilePath);
  const out = await renderWithDatabase(ctx, node, db, (session) => {
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
      introspection: session,
    });
    Object.assign(scope, extra);
    return renderTemplate(ctx.tenv, template, scope, node.name).trim();
  });
  return out ? [out] : [];
}

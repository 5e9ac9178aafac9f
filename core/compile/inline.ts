// `compile --inline "select ..."` and `show --inline "select ..."`: SQL typed on the command line,
// rendered as a model of the root project would be (refs, sources, macros, vars), as dbt does.
import type { ProjectNode } from '../project/types.js';
import { compileTemplate } from '../templating/render.js';
import { compileNode } from './compile-node.js';
import type { ParsedProject } from './parse-project.js';

export const INLINE_NAME = 'inline_query';

export function compileInline(p: ParsedProject, sql: string): string {
  const ctx = p.ctx;
  const node: ProjectNode = {
    uniqueId: `sql_operation.${ctx.project.name}.${INLINE_NAME}`, name: INLINE_NAME, resourceType: 'operation', packageName: ctx.project.name,
    originalFilePath: '--inline', path: '--inline', fqn: [ctx.project.name, INLINE_NAME], rawCode: sql, checksum: '',
    config: { materialized: 'view', enabled: true }, description: '', columns: {}, meta: {}, tags: [], refs: [], sources: [],
    dependsOn: { nodes: [], macros: [] },
  };
  return compileNode(p, node, { template: compileTemplate(ctx.tenv, sql, '--inline') }).sql;
}

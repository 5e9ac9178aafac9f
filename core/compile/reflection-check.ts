// Compile-time check of a `reflection` node's config by the target's dialect (Dremio: measures and
// their computations against the anchor model's declared column types). Run before anything is sent.
import type { Column } from '../../adapters/adapter.js';
import type { ProjectNode } from '../project/types.js';
import type { ParsedProject } from './parse-project.js';

/** The model a reflection is on: config `anchor`, else the model it refs. */
export function reflectionAnchor(p: ParsedProject, node: ProjectNode): ProjectNode | undefined {
  const name = String(node.config.anchor ?? node.refs[0]?.name ?? '');
  const id = p.ctx.refIndex.get(name)?.[0];
  return id ? p.ctx.nodes.get(id) : undefined;
}

export function checkReflectionNode(p: ParsedProject, node: ProjectNode): void {
  const check = p.ctx.dialect.checkReflection;
  if (!check) return;
  const anchor = reflectionAnchor(p, node);
  const columns: Column[] = Object.values(anchor?.columns ?? {})
    .filter((c) => typeof c.data_type === 'string' && c.data_type !== '')
    .map((c) => ({ name: c.name, type: c.data_type! }));
  check({ model: node.name, file: node.originalFilePath, config: node.config, columns });
}

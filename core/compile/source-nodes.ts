// Sources are DAG nodes too (dbt shows them in lineage and `source:x+` selects from them), but
// they are never executed.
import type { ProjectNode } from '../project/types.js';
import type { CompileContext, SourceTable } from './context.js';
import { checksum } from './parse-models.js';

export function sourceNode(ctx: CompileContext, src: SourceTable): ProjectNode {
  // `source.<project>.<source>.<table>`: the project that defines it (the root or a package).
  const pkg = src.uniqueId.split('.')[1] ?? ctx.project.name;
  return {
    uniqueId: src.uniqueId,
    name: src.name,
    resourceType: 'source',
    packageName: pkg,
    originalFilePath: src.file,
    path: src.file,
    fqn: [pkg, src.sourceName, src.name],
    rawCode: '',
    checksum: checksum(JSON.stringify(src.relation)),
    config: { ...src.config, enabled: true },
    description: src.description,
    columns: Object.fromEntries(Object.entries(src.columns).map(([k, c]) => [k, { ...c, meta: {}, tags: [] }])),
    meta: src.meta,
    tags: src.tags,
    patchPath: src.file,
    refs: [],
    sources: [],
    dependsOn: { nodes: [], macros: [] },
    relation: src.relation,
    extra: { sourceName: src.sourceName, sourceDescription: src.sourceDescription ?? '', loadedAtField: src.loadedAtField, freshness: src.freshness },
  };
}

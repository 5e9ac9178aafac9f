// Column-level lineage for a whole parsed project: feeds each model's compiled SQL and the
// relations it reads (with catalog columns where known) to core/lineage, in DAG order.
import type { ParsedProject } from '../compile/parse-project.js';
import { topoOrder } from '../graph/dag.js';
import { projectLineage, type ModelInput, type ModelLineage, type RelationInfo } from '../lineage/index.js';

const ANALYSED = new Set(['model', 'snapshot']);

export function lineageDialect(p: ParsedProject): 'duckdb' | 'dremio' {
  return p.ctx.target.type === 'dremio' ? 'dremio' : 'duckdb';
}

export function computeProjectLineage(
  p: ParsedProject,
  compiled: ReadonlyMap<string, string>,
  catalogCols: ReadonlyMap<string, string[]>,
): Map<string, ModelLineage> {
  const dialect = lineageDialect(p);
  const inputs: ModelInput[] = [];
  for (const id of topoOrder(p.dag)) {
    const node = p.nodes.get(id)!;
    const sql = compiled.get(id);
    if (!ANALYSED.has(node.resourceType) || sql === undefined) continue;
    const relations = new Map<string, RelationInfo>();
    const add = (relId: string) => {
      const rel = p.nodes.get(relId)?.relation;
      if (!rel) return;
      const info: RelationInfo = { id: relId, columns: catalogCols.get(relId) ?? null };
      relations.set(p.ctx.dialect.renderRelation(rel), info);
    };
    for (const dep of node.dependsOn.nodes) add(dep);
    add(id); // `{{ this }}` in incremental models
    inputs.push({ id, sql, relations, dialect });
  }
  return projectLineage(inputs);
}

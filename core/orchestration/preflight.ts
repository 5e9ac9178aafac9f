// What an adapter's preflight sees of the run: the selected nodes that will execute, with where they
// write and how. One pass over the selection; adapters without `preflight` never pay for it.
import type { PreflightNode } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ResourceType } from '../project/types.js';

export function preflightNodes(p: ParsedProject, selected: ReadonlySet<string>, types: readonly ResourceType[], fullRefresh: boolean): PreflightNode[] {
  const kinds = new Set<string>(types);
  const out: PreflightNode[] = [];
  for (const id of selected) {
    const n = p.nodes.get(id);
    if (!n || !kinds.has(n.resourceType)) continue;
    const cfg = n.config as Record<string, unknown>;
    out.push({
      name: n.name, uniqueId: n.uniqueId, file: n.originalFilePath, resourceType: n.resourceType,
      materialized: String(cfg.materialized ?? ''), config: cfg,
      ...(n.relation ? { relation: n.relation } : {}),
      fullRefresh: fullRefresh && cfg.full_refresh !== false,
    });
  }
  return out;
}

// `cairn ls`: the selected nodes, as names, paths or JSON.
import { topoOrder } from '../graph/dag.js';
import type { ResourceType } from '../project/types.js';
import type { CommonOptions } from './options.js';
import { loadAndParse, select } from './project.js';
import { staleIfComputed } from '../ledger/stale.js';

export interface LsOptions extends CommonOptions {
  resourceTypes?: ResourceType[];
  output?: 'selector' | 'name' | 'path' | 'json';
}

export function ls(o: LsOptions): string[] {
  const p = loadAndParse(o);
  const types: ResourceType[] = o.resourceTypes?.length ? o.resourceTypes : ['model', 'seed', 'snapshot', 'task', 'test', 'source', 'analysis', 'unit_test'];
  const selected = select(p, o, types);
  // One node needs no order, nor the graph (which a reused parse builds only when asked: ~40 ms).
  const ids = selected.size > 1 ? topoOrder(p.dag).filter((id) => selected.has(id)) : [...selected];
  // With `state:stale` in the selection, JSON says why each node would be rebuilt.
  const stale = staleIfComputed(p);
  return ids.map((id) => {
    const n = p.nodes.get(id)!;
    switch (o.output) {
      case 'name': return n.name;
      case 'path': return n.originalFilePath;
      case 'json': return JSON.stringify({
        name: n.name, resource_type: n.resourceType, package_name: n.packageName, original_file_path: n.originalFilePath,
        unique_id: n.uniqueId, alias: n.relation?.identifier ?? n.name, config: n.config, tags: n.tags, depends_on: n.dependsOn,
        ...(stale?.has(id) ? { stale_reason: stale.get(id) } : {}),
      });
      default: return n.resourceType === 'source' ? `source:${n.fqn.join('.')}` : n.fqn.join('.');
    }
  });
}

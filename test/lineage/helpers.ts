import type { RelationInfo } from '../../core/lineage/index.js';

/** rels({ 'main.t': ['model.t', ['a', 'b']] }) -> relations map as modelColumnLineage expects. */
export function rels(spec: Record<string, [string, string[] | null]>): Map<string, RelationInfo> {
  return new Map(Object.entries(spec).map(([written, [id, columns]]) => [written, { id, columns }]));
}

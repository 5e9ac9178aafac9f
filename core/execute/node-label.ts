// The words dbt prints for a node: `sql table model main.orders_raw`, `seed file main.countries`, ...
import type { Dialect } from '../../adapters/adapter.js';
import type { ProjectNode } from '../project/types.js';

export function nodeLabel(n: ProjectNode, _dialect: Dialect): string {
  // A relation with no schema (Dremio: a view at the top of a space) is shown under its database, not as `.name`.
  const rel = n.relation ? `${n.relation.schema || n.relation.database || ''}.${n.relation.identifier}`.replace(/^\./, '') : n.name;
  switch (n.resourceType) {
    case 'model':
      return `sql ${String(n.config.materialized ?? 'view')} model ${rel}`;
    case 'seed':
      return `seed file ${rel}`;
    case 'snapshot':
      return `snapshot ${rel}`;
    case 'test':
      return `test ${n.name}`;
    case 'unit_test':
      return `unit_test ${n.name}`;
    default:
      return `${n.resourceType} ${n.name}`;
  }
}

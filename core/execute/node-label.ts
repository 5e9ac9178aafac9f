// The words dbt prints for a node: `sql table model main.orders_raw`, `seed file main.countries`, ...
import type { Dialect } from '../../adapters/adapter.js';
import type { ProjectNode } from '../project/types.js';

export function nodeLabel(n: ProjectNode, dialect: Dialect): string {
  const rel = !n.relation ? n.name : dialect.relationLabel ? dialect.relationLabel(n.relation) : `${n.relation.schema}.${n.relation.identifier}`;
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

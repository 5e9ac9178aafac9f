// Catalog entities in the REST API's JSON shape (CatalogResource): containers with `children`,
// datasets with `fields`; child summaries use type CONTAINER/DATASET with containerType/datasetType.
import { type Catalog, type Container, type Dataset, isContainer } from './catalog.js';
import type { DuckSession } from './duck.js';
import { toDuckSql } from './namespace.js';
import { fromDuck } from './result-set.js';

const CONTAINER_TYPE: Record<Container['kind'], string> = { source: 'SOURCE', space: 'SPACE', home: 'HOME', folder: 'FOLDER' };

export function childSummary(e: Container | Dataset): Record<string, unknown> {
  if (isContainer(e)) return { id: e.id, path: e.path, tag: e.tag, type: 'CONTAINER', containerType: CONTAINER_TYPE[e.kind] };
  return { id: e.id, path: e.path, tag: e.tag, type: 'DATASET', datasetType: e.type === 'VIEW' ? 'VIRTUAL' : 'PROMOTED' };
}

export async function entityJson(e: Container | Dataset, catalog: Catalog, s: DuckSession): Promise<Record<string, unknown>> {
  if (isContainer(e)) {
    const children = catalog.childrenOf(e.path).map(childSummary);
    const base = { entityType: e.kind, id: e.id, path: e.path, tag: e.tag, children };
    if (e.kind === 'folder') return base;
    const named = { ...base, name: e.path[0], createdAt: new Date(e.createdAt).toISOString() };
    return e.kind === 'source' ? { ...named, type: e.sourceType ?? 'NAS' } : named;
  }
  // Dataset fields come from the live DuckDB relation, typed like job result schemas.
  const fields = fromDuck(await s.query(`SELECT * FROM ${toDuckSql(e.path)} LIMIT 0`)).schema;
  return {
    entityType: 'dataset', id: e.id, type: e.type === 'VIEW' ? 'VIRTUAL_DATASET' : 'PHYSICAL_DATASET',
    path: e.path, tag: e.tag, createdAt: new Date(e.createdAt).toISOString(), fields,
    // The dataset's file format (FileFormat JSON type): CTAS into $scratch writes Parquet (source-types.ts).
    ...(e.type === 'TABLE' ? { format: { type: catalog.formatOf(e.path) === 'PARQUET' ? 'Parquet' : 'Iceberg' } } : {}),
  };
}

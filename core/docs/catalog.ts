// target/catalog.json in dbt's shape (v1): what the engine says each node's relation is, with its
// columns and types in order. Read through the adapter; `--empty-catalog` skips the engine.
import type { Adapter, CatalogTable, Relation } from '../../adapters/adapter.js';
import type { ParsedProject } from '../compile/parse-project.js';
import { CAIRN_VERSION } from '../version.js';

export interface CatalogColumn {
  type: string;
  index: number;
  name: string;
  comment: string | null;
}

export interface CatalogEntry {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, CatalogColumn>;
  stats: Record<string, unknown>;
  unique_id: string;
}

export interface Catalog {
  metadata: Record<string, unknown>;
  nodes: Record<string, CatalogEntry>;
  sources: Record<string, CatalogEntry>;
  errors: string[] | null;
}

const CATALOGED = new Set(['model', 'seed', 'snapshot', 'task', 'source']);

const relKey = (r: Relation) => [r.database ?? '', r.schema, r.identifier].map((s) => s.toLowerCase()).join('\u0000');

/** The nodes whose relations belong in the catalog: everything materialized in the engine. */
export function catalogRelations(p: ParsedProject): Array<{ id: string; relation: Relation }> {
  const out: Array<{ id: string; relation: Relation }> = [];
  for (const n of p.nodes.values()) {
    if (CATALOGED.has(n.resourceType) && n.relation && n.config.materialized !== 'ephemeral') out.push({ id: n.uniqueId, relation: n.relation });
  }
  return out;
}

/** Reads the relations' tables from the engine (in bulk when the adapter supports it). */
export async function readCatalogTables(adapter: Adapter, relations: readonly Relation[]): Promise<CatalogTable[]> {
  if (adapter.catalog) return adapter.catalog(relations);
  const out: CatalogTable[] = [];
  for (const rel of relations) {
    const kind = await adapter.getRelationKind(rel);
    if (!kind) continue;
    out.push({ relation: rel, type: kind === 'view' ? 'VIEW' : 'BASE TABLE', columns: await adapter.getColumns(rel) });
  }
  return out;
}

export function buildCatalog(p: ParsedProject, tables: readonly CatalogTable[] | null, generatedAt = new Date()): Catalog {
  const nodes: Record<string, CatalogEntry> = {};
  const sources: Record<string, CatalogEntry> = {};
  const byRel = new Map<string, CatalogTable>();
  const current = p.ctx.target.database;
  for (const t of tables ?? []) {
    byRel.set(relKey(t.relation), t);
    // Relations in the current database are also found without their database part.
    if (!current || t.relation.database?.toLowerCase() === String(current).toLowerCase()) byRel.set(relKey({ ...t.relation, database: undefined }), t);
  }
  for (const { id, relation } of catalogRelations(p)) {
    const t = byRel.get(relKey(relation));
    if (!t) continue;
    const entry: CatalogEntry = {
      metadata: {
        type: t.type,
        schema: t.relation.schema,
        name: t.relation.identifier,
        database: t.relation.database ?? null,
        comment: t.comment ?? null,
        owner: null,
      },
      columns: Object.fromEntries(t.columns.map((c, i) => [c.name, { type: c.type, index: i + 1, name: c.name, comment: null }])),
      stats: { has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' } },
      unique_id: id,
    };
    (id.startsWith('source.') ? sources : nodes)[id] = entry;
  }
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json',
      dbt_version: `cairn-${CAIRN_VERSION}`,
      generated_at: generatedAt.toISOString(),
      invocation_id: p.ctx.invocationId,
      env: {},
    },
    nodes,
    sources,
    errors: null,
  };
}

/** Catalog column names per node id (for `select *` expansion in column lineage). */
export function catalogColumns(catalog: Catalog | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!catalog) return out;
  for (const e of [...Object.values(catalog.nodes ?? {}), ...Object.values(catalog.sources ?? {})]) {
    out.set(e.unique_id, Object.values(e.columns).sort((a, b) => a.index - b.index).map((c) => c.name));
  }
  return out;
}

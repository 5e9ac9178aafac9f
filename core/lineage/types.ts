/** Public types of the column-lineage API (see ./index.ts). */

/**
 * How an output column relates to its upstream columns:
 * - passthrough: the value is read unchanged and keeps its name (`select a`, `select t.a as a`)
 * - rename:      the value is read unchanged under a new name (`select a as b`)
 * - transformed: any non-aggregate expression (casts, functions, arithmetic, CASE, window functions, literals)
 * - aggregated:  the derivation contains an aggregate (`sum(x)`, `count(*)`, ...)
 */
export type Transform = 'passthrough' | 'rename' | 'transformed' | 'aggregated';

export interface UpstreamColumn {
  /** The `RelationInfo.id` of the upstream relation (e.g. a node unique_id). */
  relation: string;
  column: string;
}

export interface ColumnLineage {
  column: string;
  /** Absent when the column is unresolved: we do not report a transform we could not determine. */
  transform?: Transform;
  upstream: UpstreamColumn[];
  /** Why the lineage of this column (or of a `*` we could not expand) is incomplete. */
  unresolved?: string;
}

export interface ModelLineage {
  columns: ColumnLineage[];
  /** Set when the SQL as a whole could not be analysed (parse error, not a SELECT...). */
  unresolved?: string;
}

export interface RelationInfo {
  id: string;
  /** Known output columns of the relation; null when unknown. */
  columns: string[] | null;
}

export interface LineageOptions {
  dialect?: 'duckdb' | 'dremio';
}

export interface LineageHop extends UpstreamColumn {
  /** 1 = direct parent/child, 2 = grandparent/grandchild, ... */
  depth: number;
}

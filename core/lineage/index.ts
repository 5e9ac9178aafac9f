/**
 * Static column-level lineage from compiled SQL.
 *
 * For each output column of a model: the upstream relation columns it derives from and how
 * (passthrough / rename / transformed / aggregated). Anything that cannot be determined from
 * the SQL alone is reported as `unresolved` with a reason, never guessed.
 *
 * Documented choices:
 * - Columns read from a table function (`read_csv(...)`, `unnest(...)`) are `passthrough` with
 *   no upstream: the data enters the graph there, and no modelled relation is involved.
 * - A relation name missing from `relations` makes the columns read from it unresolved.
 * - Only value-producing parts count; WHERE/JOIN/GROUP BY conditions are not lineage, but window
 *   PARTITION BY/ORDER BY columns are (they determine the value).
 * - Unaliased expressions are named by their SQL text (engines name them differently).
 */
export type { ColumnLineage, LineageHop, LineageOptions, ModelLineage, RelationInfo, Transform, UpstreamColumn } from './types.js';
export { modelColumnLineage } from './model.js';
export { loadSqlParser } from './parse.js';
export { projectLineage, upstreamOf, downstreamOf, type ModelInput } from './project.js';

// Plans for the non-model resources (seeds, data tests, snapshots, source freshness) that a
// `Dialect` turns into SQL. Engine-neutral on purpose: core fills them in without knowing the
// engine; each adapter renders them its own way (DuckDB reads the CSV file itself, an engine that
// cannot see local files inserts `rows` in batches). All relations are already resolved.
import type { Column, Relation, RelationKind } from './adapter.js';

/** cairn's inferred seed column kinds (dbt's agate types); the dialect maps them to engine types. */
export type SeedColumnKind = 'integer' | 'bigint' | 'decimal' | 'boolean' | 'date' | 'timestamp' | 'text';

export interface SeedColumn {
  name: string;
  kind: SeedColumnKind;
  /** Engine type from `column_types` config, used verbatim when set. */
  explicitType?: string;
}

export interface SeedPlan {
  target: Relation;
  existing: RelationKind | null;
  /** Drop and recreate (`--full-refresh`); otherwise an existing table is emptied and refilled. */
  fullRefresh: boolean;
  /** Absolute path of the CSV file. */
  path: string;
  delimiter: string;
  /** The file starts with a UTF-8 byte-order mark. */
  hasBom: boolean;
  columns: SeedColumn[];
  /** The parsed data rows, empty strings already turned into null (for engines that insert values). */
  rows: ReadonlyArray<ReadonlyArray<string | null>>;
  quoteColumns: boolean;
}

export interface TestQueryPlan {
  /** The test's compiled SELECT, returning one row per failure. */
  sql: string;
  /** SQL expression over the failing rows, default `count(*)`. */
  failCalc: string;
  /** Conditions on the failure count, e.g. `!= 0`, `> 10`. */
  warnIf: string;
  errorIf: string;
  limit?: number;
}

export interface StoreFailuresPlan {
  target: Relation;
  existing: RelationKind | null;
  /** The test's compiled SELECT (failing rows). */
  sql: string;
}

export type HardDeletes = 'ignore' | 'invalidate' | 'new_record';

export interface SnapshotPlan {
  target: Relation;
  /** Scratch relations the dialect may use. */
  staging: Relation;
  deleted: Relation;
  /** The snapshot's compiled SELECT. */
  sql: string;
  /** Whether the snapshot table exists already (first run creates it). */
  exists: boolean;
  strategy: 'timestamp' | 'check';
  uniqueKey: string[];
  /** timestamp strategy: the source column holding the row's last change time. */
  updatedAt?: string;
  /** check strategy: the columns compared; `all` means every column of the query. */
  checkCols?: string[] | 'all';
  hardDeletes: HardDeletes;
  /** Columns of the existing snapshot table and of the query (empty on the first run). */
  targetColumns: Column[];
  queryColumns: Column[];
  /** Names of the meta columns (dbt's `snapshot_meta_column_names`). */
  meta: { validFrom: string; validTo: string; scdId: string; updatedAt: string; isDeleted: string };
}

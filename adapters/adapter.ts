// The one contract between cairn's core and an engine. Two halves, as in kysely/malloy:
// - `Dialect`: pure functions that turn a materialization request into SQL strings (golden-tested);
// - `Adapter`: the connection that runs statements and answers questions about what exists.
// Optional engine features are capability flags, never checks on the adapter's name.

import type { SeedPlan, SnapshotPlan, StoreFailuresPlan, TestQueryPlan } from './resource-plans.js';
export type { HardDeletes, SeedColumn, SeedColumnKind, SeedPlan, SnapshotPlan, StoreFailuresPlan, TestQueryPlan } from './resource-plans.js';

export interface Relation {
  database?: string;
  schema: string;
  identifier: string;
}

export type RelationKind = 'table' | 'view';

export interface Column {
  name: string;
  /** The engine's own type name, e.g. `BIGINT`, `DECIMAL(12,2)`, `VARCHAR`. */
  type: string;
}

/** One relation as the engine's information schema describes it (for catalog.json). */
export interface CatalogTable {
  relation: Relation;
  /** The engine's table type, e.g. `BASE TABLE`, `VIEW`. */
  type: string;
  columns: Column[];
  comment?: string | null;
}

/** A resolved profile output: the connection settings of one target. */
export interface Target {
  name: string;
  type: string;
  schema: string;
  database?: string;
  threads: number;
  /** Adapter-specific keys (path, host, port, ...). Secrets live here: never log a Target. */
  [key: string]: unknown;
}

/** What core knows about a node when it asks the dialect where the node lives. */
export interface RelationRequest {
  name: string;
  resourceType: string;
  materialized: string;
  /** Custom schema after `generate_schema_name` (already combined with the target's). */
  schema: string;
  database?: string;
  alias?: string;
  config: Readonly<Record<string, unknown>>;
}

export interface ExecResult {
  rowsAffected?: number;
  /** The engine's job/query id where there is one (Dremio job id). */
  jobId?: string;
  columns?: Column[];
  rows?: Record<string, unknown>[];
}

export interface ExecOptions {
  fetch?: boolean;
  signal?: AbortSignal;
  /** For error messages and query comments. */
  nodeId?: string;
}

export interface TablePlan {
  target: Relation;
  /** Scratch names the dialect may use (e.g. `<name>__cairn_tmp`). */
  tmp: Relation;
  backup: Relation;
  sql: string;
  existing: RelationKind | null;
  config: Readonly<Record<string, unknown>>;
  /**
   * Replace the table on a short-lived branch of a versioned catalog and merge it (atomic, the data
   * written once), when the adapter offers it (`Adapter.tableSwap`). `name` is the branch to use.
   */
  branchSwap?: { catalog: string; from: string; name: string };
}

export interface ViewPlan {
  target: Relation;
  sql: string;
  existing: RelationKind | null;
  config: Readonly<Record<string, unknown>>;
}

export type IncrementalStrategy = 'append' | 'merge' | 'delete+insert' | 'microbatch';
export type OnSchemaChange = 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';

export interface IncrementalPlan {
  target: Relation;
  tmp: Relation;
  sql: string;
  strategy: IncrementalStrategy;
  uniqueKey: string[];
  /** Columns of the existing target table, in order. */
  targetColumns: Column[];
  /** Columns the model's query returns (from a LIMIT 0 describe). */
  queryColumns: Column[];
  onSchemaChange: OnSchemaChange;
  mergeUpdateColumns?: string[];
  mergeExcludeColumns?: string[];
  /** Extra SQL predicates on the destination, e.g. `DBT_INTERNAL_DEST.ts > now() - interval 7 day`. */
  incrementalPredicates?: string[];
  /** strategy 'microbatch': replace exactly the rows whose `eventTime` lies in [start, end) (ISO timestamps). */
  microbatch?: MicrobatchInterval;
  config: Readonly<Record<string, unknown>>;
}

/** A `copy_into` node: load files from a storage location into a table (created from `columns` when missing). */
export interface CopyIntoPlan {
  target: Relation;
  exists: boolean;
  columns: Column[];
  /** `@source/path/` (Dremio storage location syntax). */
  location: string;
  fileFormat: 'csv' | 'json' | 'parquet';
  onError: 'abort' | 'continue' | 'skip_file';
  /** Extra format options, e.g. {FIELD_DELIMITER: ';', NULL_IF: ['NA']}. */
  options: Readonly<Record<string, unknown>>;
  /** Empty the table first (a full reload each run). */
  truncate: boolean;
  config: Readonly<Record<string, unknown>>;
}

/** What `Dialect.localFileVersion` versions: a node's rendered SQL and/or its copy_into location. */
export interface FileVersionRequest {
  sql?: string;
  copyInto?: { location: string; fileFormat: string };
}

export interface MicrobatchInterval {
  eventTime: string;
  start: string;
  end: string;
}

export interface Dialect {
  readonly name: string;
  /** dbt's Column.TYPE_LABELS: generic type names (upper-case) → this engine's (`api.Column.translate_type`). */
  readonly typeLabels?: Readonly<Record<string, string>>;
  quoteIdentifier(name: string): string;
  quoteString(value: string): string;
  renderRelation(rel: Relation): string;
  /** How a relation reads in a result line (`schema.identifier` when absent, as dbt prints it). */
  relationLabel?(rel: Relation): string;
  /** The database a target writes to when its profile names none (dbt-duckdb: the file's stem), as `target.database`. */
  defaultDatabase?(target: Target): string | undefined;
  /** `target.schema` when the profile names none (dbt-dremio: the space folder, else `no_schema`); `main` otherwise. */
  defaultSchema?(target: Target): string;
  /** Where a node lives; adapters may keep tables and views in different namespaces (Dremio). */
  relationFor(req: RelationRequest, target: Target): Relation;
  /** A sibling relation for scratch work (tmp/backup tables). */
  scratchRelation(rel: Relation, suffix: string): Relation;
  /** Statements that make the relation's container exist (may be empty when the adapter does it by API). */
  createSchema(rel: Relation): string[];
  table(plan: TablePlan): string[];
  view(plan: ViewPlan): string[];
  /** Statements for an incremental run into an existing table. Throws CairnError for `on_schema_change: fail`. */
  incremental(plan: IncrementalPlan): string[];
  dropRelation(rel: Relation, kind: RelationKind): string;
  /** Wraps a query so it returns no rows but keeps its schema. */
  describeQuery(sql: string): string;

  // Non-model resources (plans in resource-plans.ts). Optional so an adapter can land without
  // them; core reports a clear "not supported on <engine>" error when one is missing.
  /** Statements that (re)load a seed table from a parsed CSV. */
  seed?(plan: SeedPlan): string[];
  /** One query returning a single row: `failures`, `should_warn`, `should_error`. */
  testQuery?(plan: TestQueryPlan): string;
  /** Statements that replace `target` with a data test's failing rows (`store_failures`). */
  storeFailures?(plan: StoreFailuresPlan): string[];
  /** Statements for one snapshot run (create on the first run, then close/insert changed rows). */
  snapshot?(plan: SnapshotPlan): string[];
  /** A query returning `max_loaded_at` (as text, UTC) for `cairn source freshness`. */
  freshnessQuery?(rel: Relation, loadedAtField: string, filter?: string): string;
  /** Statements for a `copy_into` node, when the engine loads files with SQL alone (Dremio). */
  copyInto?(plan: CopyIntoPlan): string[];
  /**
   * Optional: the data version of the local files a node reads outside any relation, for
   * `--changed-only` (DuckDB: the files named in its SQL's read_csv()/read_parquet()/... calls and a
   * copy_into location's files, by name, size and modification time). undefined: it reads no such
   * files; null: it reads files cairn cannot version (a URL, a path built at run time), so it always
   * rebuilds. Without the method (Dremio) files are read only inside the engine's own sources.
   */
  localFileVersion?(req: FileVersionRequest, ctx: { target: Target; projectDir: string }): string | null | undefined;
  /** Compile-time check of a `reflection` node's config; `columns` are the anchor's declared (YAML data_type) ones. Throws CairnError. */
  checkReflection?(req: ReflectionCheck): void;
}

export interface ReflectionCheck {
  model: string;
  file?: string;
  config: Readonly<Record<string, unknown>>;
  columns: readonly Column[];
}

export interface AdapterCapabilities {
  /** Statements between BEGIN and COMMIT are atomic (DuckDB). */
  transactionalDdl: boolean;
  /** `CREATE SCHEMA`-style containers must be made before CTAS. */
  createsSchemas: boolean;
  /** Versioned catalog with branches (Nessie): `cairn build --wap` may write-audit-publish. */
  branches?: boolean;
}

export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  readonly capabilities: AdapterCapabilities;
  open(): Promise<void>;
  close(): Promise<void>;
  execute(sql: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Runs statements in order; on failure after BEGIN the adapter rolls back. Returns the last result. */
  executeAll(statements: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  getRelationKind(rel: Relation): Promise<RelationKind | null>;
  /** Optional batch form of getRelationKind (one catalog query instead of one per relation). */
  getRelationKinds?(rels: readonly Relation[]): Promise<Array<RelationKind | null>>;
  /**
   * Optional: the engine's own data version of each table (Dremio: its current Iceberg snapshot id),
   * null where it has none (a view, a missing or non-Iceberg table). `--changed-only` uses it for
   * sources and to notice tables written outside cairn; without it cairn keeps its own versions.
   */
  dataVersions?(rels: readonly Relation[]): Promise<Array<string | null>>;
  /**
   * False when the engine certainly holds no relation yet (DuckDB: no database file), so `compile`
   * can answer is_incremental() without loading and opening the engine. Undefined means maybe.
   */
  relationsMayExist?(): boolean;
  getColumns(rel: Relation): Promise<Column[]>;
  /** Optional: the tables and views directly in one schema (`adapter.list_relations_without_caching`). */
  listRelations?(container: { database?: string; schema: string }): Promise<Array<{ relation: Relation; kind: RelationKind }>>;
  /** Columns of a query's result without running it in full. */
  describeQuery(sql: string, opts?: ExecOptions): Promise<Column[]>;
  ensureSchema(rel: Relation): Promise<void>;
  /** Cancels every statement in flight (Ctrl-C, --fail-fast). */
  cancelAll(): Promise<void>;
  /** A transient error may succeed on retry (connection reset, 429/503, busy); permanent ones never do. */
  classifyError(err: unknown): 'transient' | 'permanent';
  /** Optional: the given relations that exist, with their columns, read in bulk from the information
   * schema (`cairn docs generate`). Without it, core falls back to getRelationKind + getColumns. */
  catalog?(relations: readonly Relation[]): Promise<CatalogTable[]>;
  /** A short check for `cairn debug`: version string and any problems found. */
  debug(): Promise<{ version: string; checks: Array<{ name: string; ok: boolean; detail?: string }> }>;
  /** Statements for a `copy_into` node when planning needs the engine (DuckDB lists files and skips loaded ones). */
  copyIntoStatements?(plan: CopyIntoPlan, ctx: { node: string }): Promise<string[]>;
  /**
   * A versioned catalog holding `rel` (Nessie): the catalog and the branch statements write now, so
   * a table rebuild can happen on a short-lived branch of it. Undefined: rebuild in place.
   */
  tableSwap?(rel: Relation): { catalog: string; branch: string } | undefined;
  /**
   * Repairs what an interrupted run left (a table dropped mid-rebuild is restored, scratch tables
   * removed). Called once before a run executes anything; returns what it did, for the log.
   */
  recoverInterrupted?(): Promise<string[]>;
  /** Creates or updates a reflection (Dremio); absent on engines without them. `deferred` says when it will
   * be made instead (on a `--wap` run branch: after the merge, on the published table). */
  upsertReflection?(spec: ReflectionRequest, opts?: ExecOptions): Promise<{ id: string; created: boolean; deferred?: string }>;
  /** Checks that need the engine, after `open()` and before anything runs; throws a CairnError (Dremio:
   * `--wap` needs a versioned catalog; incremental tables need a source whose tables take DML). */
  preflight?(nodes: readonly PreflightNode[], opts: { wap: boolean }): Promise<void>;
  /** Throws a CairnError when the existing table `rel` cannot take incremental DML (Dremio: a Parquet table). */
  checkIncrementalTarget?(rel: Relation, node: { name: string; file: string }): Promise<void>;

  // Branches (capability `branches`), for write-audit-publish (core/orchestration/wap.ts).
  /** The branch a run normally writes to (the target's `branch:`, else the catalog's default). */
  baseBranch?(): string;
  /** Creates `name` from the head of `from` (no error when it already exists). */
  createBranch?(name: string, from: string): Promise<void>;
  /** Every later statement reads and writes `name` (undefined: back to the base branch). */
  useBranch?(name: string | undefined): void;
  /** Publishes `name` into `into`; afterwards nothing on `into` may depend on `name`. */
  mergeBranch?(name: string, into: string): Promise<void>;
  dropBranch?(name: string): Promise<void>;
  /** After a publish: the work deferred until the merge (Dremio: `--wap` reflections), one entry per item. */
  publishDeferred?(): Promise<Array<{ name: string; message: string; ok: boolean }>>;
}

/** A selected node, as `Adapter.preflight` sees it. */
export interface PreflightNode {
  name: string;
  uniqueId: string;
  file: string;
  resourceType: string;
  materialized: string;
  relation?: Relation;
  config: Readonly<Record<string, unknown>>;
  /** The run rebuilds it from scratch (`--full-refresh` and the node allows it). */
  fullRefresh: boolean;
}

export interface ReflectionRequest {
  name: string;
  type: 'RAW' | 'AGGREGATION';
  dataset: Relation;
  display?: string[];
  dimensions?: string[];
  measures?: string[];
  /** Computations per measure (dbt-dremio's `computations`); the adapter fills defaults by column type. */
  computations?: unknown;
  partitionBy?: string[];
  localSortBy?: string[];
  distributionBy?: string[];
  enabled?: boolean;
}

/** How core gets an engine for a target without knowing which engines exist. */
export interface AdapterProvider {
  /** The pure half, available without connecting (compile, ls, docs). */
  dialect(target: Target): Dialect;
  /** A new, not yet opened connection. */
  /** `onWarning`: where the adapter reports what the user should know mid-run (a long server-requested wait). */
  connect(target: Target, ctx: { projectDir: string; onWarning?: (message: string) => void }): Adapter;
}

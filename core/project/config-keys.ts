// The config keys cairn and dbt know, and warnings for the ones that look like a typo of one
// (`+materialised`, `materialzed`, top-level `modelz:`): such a key is silently ignored and the
// model builds as a view. dbt (1.10+) warns about every custom config key and asks for `meta:`;
// cairn warns only when a key is not known and is within a few edits of a known one, because
// adapter-specific and custom-materialization keys are legitimate and no list holds them all.
import { closest } from '../util/did-you-mean.js';

/** Every config dbt documents for models, seeds, snapshots, tests, sources and unit tests. */
const DBT = [
  'enabled', 'tags', 'pre-hook', 'post-hook', 'pre_hook', 'post_hook', 'database', 'schema', 'alias', 'persist_docs', 'full_refresh', 'meta',
  'grants', 'contract', 'docs', 'group', 'access', 'materialized', 'sql_header', 'on_configuration_change', 'unique_key',
  'incremental_strategy', 'on_schema_change', 'incremental_predicates', 'merge_update_columns', 'merge_exclude_columns', 'batch_size',
  'lookback', 'begin', 'event_time', 'concurrent_batches', 'quoting', 'column_types', 'delimiter', 'quote_columns', 'strategy', 'updated_at',
  'check_cols', 'snapshot_meta_column_names', 'hard_deletes', 'invalidate_hard_deletes', 'target_schema', 'target_database',
  'dbt_valid_to_current', 'severity', 'error_if', 'warn_if', 'fail_calc', 'store_failures', 'store_failures_as', 'where', 'limit',
  'freshness', 'loaded_at_field', 'loaded_at_query', 'labels', 'packages', 'static_analysis', 'file_format', 'location', 'partition_by',
  'cluster_by', 'clustered_by', 'buckets', 'indexes', 'unlogged', 'transient', 'copy_grants', 'secure', 'query_tag', 'table_format',
  'submission_method', 'description', 'tests', 'data_tests', 'columns', 'name', 'version', 'latest_version', 'deprecation_date',
];
/** dbt-dremio's model, reflection and storage configs. */
const DREMIO = [
  'twin_strategy', 'format', 'format_options', 'partition_method', 'localsort_by', 'distribute_by', 'striping', 'reflection_type', 'anchor',
  'display', 'dimensions', 'measures', 'computations', 'date_dimensions', 'arrow_cache', 'external_query', 'reflection', 'reflections',
  'object_storage_source', 'object_storage_path', 'dremio_space', 'dremio_space_folder', 'root_path', 'file', 'raw_database', 'raw_schema',
  'enabled_reflection', 'refresh', 'refresh_policy',
];
/** cairn's own (retries, tasks, copy_into, wap, timeouts) and dbt-duckdb's. */
const CAIRN = [
  'retries', 'retry_delay', 'retry_backoff', 'query_timeout', 'timeout', 'command', 'on_error', 'single_writer', 'copy_into', 'predicates',
  'options', 'plugin', 'overwrite', 'build_after', 'changed_only', 'table_swap', 'from', 'truncate',
];

export const KNOWN_CONFIG_KEYS: ReadonlySet<string> = new Set([...DBT, ...DREMIO, ...CAIRN]);

/** Top-level keys of dbt_project.yml (dbt's, and cairn's own). */
export const PROJECT_KEYS: ReadonlySet<string> = new Set([
  'name', 'version', 'config-version', 'profile', 'model-paths', 'source-paths', 'seed-paths', 'data-paths', 'test-paths', 'analysis-paths',
  'macro-paths', 'snapshot-paths', 'docs-paths', 'asset-paths', 'function-paths', 'target-path', 'log-path', 'packages-install-path',
  'clean-targets', 'query-comment', 'require-dbt-version', 'quoting', 'models', 'seeds', 'snapshots', 'sources', 'tests', 'data_tests',
  'unit_tests', 'metrics', 'semantic-models', 'saved-queries', 'exposures', 'functions', 'analyses', 'vars', 'on-run-start', 'on-run-end',
  'dispatch', 'restrict-access', 'flags', 'dbt-cloud', 'task-paths', 'schedules', 'ds_offset', 'on_failure', 'retries', 'retry_delay', 'retry_backoff',
  'changed_only', 'build_ledger',
]);

/** The known key `key` is probably a typo of, or undefined (known, or not close to any known key). */
export function misspeltKey(key: string, known: ReadonlySet<string>): string | undefined {
  const k = key.startsWith('+') ? key.slice(1) : key;
  if (known.has(k) || known.has(k.replace(/-/g, '_'))) return undefined;
  // Custom keys repeat on every node of a folder: measure each against the known ones once.
  let memo = memos.get(known);
  if (!memo) memos.set(known, (memo = new Map()));
  if (!memo.has(k)) memo.set(k, closest(k, known));
  return memo.get(k);
}

const memos = new WeakMap<ReadonlySet<string>, Map<string, string | undefined>>();

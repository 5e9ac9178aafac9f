// Which fields dbt's manifest v12 schema allows on an entry of each resource type (it refuses any
// other: `additionalProperties: false`). cairn writes only these, so tools that validate or parse
// manifests strictly (dbt-artifacts-parser, Elementary, ...) read cairn's. Kinds dbt does not have
// (cairn's `task`) keep every field: no dbt schema speaks for them.
const NODE = ['database', 'schema', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'alias', 'checksum',
  'config', 'tags', 'description', 'columns', 'meta', 'group', 'docs', 'patch_path', 'build_path', 'unrendered_config', 'created_at',
  'config_call_dict', 'unrendered_config_call_dict', 'relation_name', 'raw_code', 'doc_blocks', 'depends_on'];
const COMPILED = ['language', 'refs', 'sources', 'metrics', 'functions', 'compiled_path', 'compiled', 'compiled_code', 'extra_ctes_injected', 'extra_ctes', '_pre_injected_sql', 'contract'];

export const MANIFEST_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  model: new Set([...NODE, ...COMPILED, 'access', 'constraints', 'version', 'latest_version', 'deprecation_date', 'defer_relation', 'primary_key', 'time_spine']),
  seed: new Set([...NODE, 'root_path', 'defer_relation']),
  test: new Set([...NODE, ...COMPILED, 'attached_node', 'column_name', 'file_key_name', 'test_metadata']),
  snapshot: new Set([...NODE, ...COMPILED, 'defer_relation']),
  analysis: new Set([...NODE, ...COMPILED]),
  operation: new Set([...NODE, ...COMPILED, 'index']),
  sql_operation: new Set([...NODE, ...COMPILED]),
  source: new Set(['database', 'schema', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'source_name',
    'source_description', 'loader', 'identifier', 'quoting', 'loaded_at_field', 'loaded_at_query', 'freshness', 'external', 'description', 'columns',
    'meta', 'source_meta', 'tags', 'config', 'patch_path', 'unrendered_config', 'relation_name', 'created_at', 'unrendered_database', 'unrendered_schema', 'doc_blocks']),
  unit_test: new Set(['model', 'given', 'expect', 'name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'description',
    'overrides', 'depends_on', 'config', 'checksum', 'schema', 'created_at', 'versions', 'version']),
};

/**
 * The entry without the fields dbt's schema does not allow for this kind: the same object when it has
 * none (most models), else a copy (`delete` would turn the object slow for JSON.stringify).
 */
export function keepManifestFields(resourceType: string, entry: Record<string, unknown>): Record<string, unknown> {
  const allowed = MANIFEST_FIELDS[resourceType];
  if (!allowed) return entry;
  for (const k in entry) if (!allowed.has(k)) return Object.fromEntries(Object.entries(entry).filter(([key]) => allowed.has(key)));
  return entry;
}

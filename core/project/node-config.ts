// Config precedence as dbt has it: dbt_project.yml folder config < schema YAML `config:` <
// `{{ config(...) }}` in the file. Tags and hooks accumulate, meta merges, everything else overrides.
import type { NodeConfig } from './types.js';

// Mapping-valued configs: a mapping under these keys is a config value, not a sub-folder.
const MAPPING_CONFIGS = new Set(['meta', 'docs', 'persist_docs', 'grants', 'contract', 'column_types', 'labels', 'freshness', 'snapshot_meta_column_names', 'event_time_config', 'access']);
const ADDITIVE = new Set(['tags', 'pre-hook', 'post-hook']);

export function normalizeKey(key: string): string {
  const k = key.startsWith('+') ? key.slice(1) : key;
  if (k === 'pre_hook') return 'pre-hook';
  if (k === 'post_hook') return 'post-hook';
  if (k === 'materialization') return 'materialized';
  return k;
}

function toList(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Merges `over` into a copy of `base`. */
export function mergeConfig(base: NodeConfig, over: Readonly<Record<string, unknown>>): NodeConfig {
  const out: NodeConfig = { ...base };
  for (const [rawKey, value] of Object.entries(over)) {
    if (rawKey === '__keywords') continue;
    const key = normalizeKey(rawKey);
    if (ADDITIVE.has(key)) {
      const merged = [...toList(out[key]), ...toList(value)];
      out[key] = key === 'tags' ? [...new Set(merged.map(String))] : merged;
    } else if (key === 'meta' && value && typeof value === 'object') {
      out.meta = { ...(out.meta as object | undefined), ...(value as object) };
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function isFolderKey(key: string, value: unknown): boolean {
  return !key.startsWith('+') && value !== null && typeof value === 'object' && !Array.isArray(value) && !MAPPING_CONFIGS.has(key);
}

function configsAt(level: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(level)) if (!isFolderKey(k, v)) out[k] = v;
  return out;
}

/**
 * The folder-level config for a node at `folders` (e.g. ['bronze']) of `project`, from a
 * `models:`/`seeds:` tree of dbt_project.yml. The last path element may be the node's own name.
 */
export function folderConfig(tree: Record<string, unknown> | undefined, project: string, path: readonly string[]): NodeConfig {
  let cfg: NodeConfig = {};
  if (!tree) return cfg;
  cfg = mergeConfig(cfg, configsAt(tree));
  let level = tree[project];
  if (!level || typeof level !== 'object') return cfg;
  cfg = mergeConfig(cfg, configsAt(level as Record<string, unknown>));
  for (const part of path) {
    const next = (level as Record<string, unknown>)[part];
    if (!isFolderKey(part, next)) break;
    level = next;
    cfg = mergeConfig(cfg, configsAt(level as Record<string, unknown>));
  }
  return cfg;
}

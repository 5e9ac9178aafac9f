// The loaded project: plain, readonly data produced by the load/parse passes and consumed by
// graph, compile and execute.
import type { Relation, Target } from '../../adapters/adapter.js';
import type { YamlFile } from './yaml-file.js';

export type ResourceType = 'model' | 'seed' | 'test' | 'snapshot' | 'source' | 'operation' | 'analysis' | 'unit_test' | 'task';

export type NodeConfig = Record<string, unknown> & {
  materialized?: string;
  enabled?: boolean;
  tags?: string[];
  schema?: string;
  database?: string;
  alias?: string;
};

export interface ColumnInfo {
  name: string;
  description: string;
  data_type?: string;
  meta: Record<string, unknown>;
  tags: string[];
  tests?: unknown[];
}

export interface RefCall {
  package?: string;
  name: string;
  version?: string | number;
}

export interface ProjectNode {
  uniqueId: string;
  name: string;
  resourceType: ResourceType;
  packageName: string;
  /** Path relative to the project folder, e.g. `models/bronze/orders_raw.sql`. */
  originalFilePath: string;
  /** Path relative to its resource folder, e.g. `bronze/orders_raw.sql`. */
  path: string;
  fqn: string[];
  rawCode: string;
  checksum: string;
  config: NodeConfig;
  description: string;
  columns: Record<string, ColumnInfo>;
  meta: Record<string, unknown>;
  tags: string[];
  /** The schema YAML file that describes this node, if any. */
  patchPath?: string;
  refs: RefCall[];
  sources: Array<[string, string]>;
  dependsOn: { nodes: string[]; macros: string[] };
  relation?: Relation;
  /** Free-form data owned by a resource kind (test metadata, seed file path, ...). */
  extra?: Record<string, unknown>;
}

export interface ProjectConfig {
  name: string;
  profile: string;
  version?: string;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  testPaths: string[];
  snapshotPaths: string[];
  analysisPaths: string[];
  docsPaths: string[];
  /** Where script tasks live (`task-paths`, cairn's own key; default `tasks`). */
  taskPaths: string[];
  targetPath: string;
  logPath: string;
  cleanTargets: string[];
  vars: Record<string, unknown>;
  /** Folder-level config trees, keyed by resource kind (`models`, `seeds`, ...). */
  configTrees: Record<string, Record<string, unknown>>;
  onRunStart: string[];
  onRunEnd: string[];
  raw: Record<string, unknown>;
  file: YamlFile;
}

export interface RunContextOptions {
  projectDir: string;
  profilesDir?: string;
  target?: string;
  vars?: Record<string, unknown>;
  threads?: number;
  /** Logical run date, YYYY-MM-DD. */
  ds?: string;
  fullRefresh?: boolean;
  /** `--profile`: the profiles.yml entry to use instead of the one dbt_project.yml names. */
  profile?: string;
}

export interface ResolvedProfile {
  profileName: string;
  target: Target;
  profilesFile: string;
  /** The profile wrote `schema` (or `dataset`); else the adapter's default may apply. */
  schemaGiven?: boolean;
}

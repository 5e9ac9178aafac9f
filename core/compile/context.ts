// Everything the render passes need, gathered once per invocation.
import type { Dialect, Relation, Target } from '../../adapters/adapter.js';
import type { TemplateEnv } from '../templating/environment.js';
import type { MacroInfo } from '../templating/macros.js';
import type { ProjectConfig, ProjectNode } from '../project/types.js';

export interface SourceTable {
  uniqueId: string;
  sourceName: string;
  name: string;
  relation: Relation;
  description: string;
  /** The `sources:` entry's own description (dbt's `source_description`). */
  sourceDescription?: string;
  file: string;
  line?: number;
  columns: Record<string, { name: string; description: string; data_type?: string; tests?: unknown[] }>;
  config: Record<string, unknown>;
  loadedAtField?: string;
  freshness?: unknown;
  meta: Record<string, unknown>;
  tags: string[];
}

export interface CompileContext {
  projectDir: string;
  project: ProjectConfig;
  target: Target;
  dialect: Dialect;
  cliVars: Record<string, unknown>;
  ds: string;
  runStartedAt: Date;
  invocationId: string;
  envRead: Map<string, string | undefined>;
  tenv: TemplateEnv;
  /** All nodes by unique id (models, seeds, snapshots, tests, ...). */
  nodes: Map<string, ProjectNode>;
  /** ref-able name → unique ids (models, seeds, snapshots). */
  refIndex: Map<string, string[]>;
  /** Model names whose file failed to parse (name → file): a ref to one names that failure, not a missing model. */
  unparsed?: Map<string, string>;
  /** `source.table` → source table. */
  sources: Map<string, SourceTable>;
  fullRefresh: boolean;
  /** Installed packages (core/packages/): their folder (`dbt_packages/x`) and project config. */
  packages?: ReadonlyArray<{ dir: string; config: ProjectConfig }>;
  /** Installed packages' macros by package name, then macro name (`test_x` for generic tests). */
  packageMacros?: ReadonlyMap<string, ReadonlyMap<string, MacroInfo>>;
  /** The project macros that print only their arguments (templating/pure-macros.ts), found when first asked. */
  pureMacros: () => ReadonlySet<string>;
}

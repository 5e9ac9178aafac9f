// What a materialization gets to do its job: the node, the adapter, and helpers that record what
// was compiled and executed (for target/compiled, target/run and run_results.json).
import type { Adapter, ExecResult } from '../../adapters/adapter.js';
import type { DatabaseAccess } from '../compile/introspect.js';
import type { ParsedProject } from '../compile/parse-project.js';
import type { ProjectNode } from '../project/types.js';
import type { NodeStatus } from '../artifacts/run-results.js';

export interface NodeOutcome {
  status: NodeStatus;
  message?: string;
  failures?: number | null;
  rowsAffected?: number;
  jobId?: string;
  /** A failed node whose children may still run (warn-severity tests). */
  blocksChildren?: boolean;
}

export interface NodeRunContext {
  p: ParsedProject;
  adapter: Adapter;
  node: ProjectNode;
  signal: AbortSignal;
  fullRefresh: boolean;
  /**
   * Renders the node's SQL (with `is_incremental()` as given) and records it as the compiled SQL;
   * `run_query` & co. read the engine (core/compile/introspect.ts).
   */
  compile(isIncremental: boolean): Promise<string>;
  /** Database access for renders of this node (hooks). */
  db: DatabaseAccess;
  /** Runs statements in order (atomically where the engine can) and records them under target/run. */
  exec(statements: readonly string[]): Promise<ExecResult>;
  /** Statements executed so far. */
  readonly executed: string[];
}

export type Materialization = (nc: NodeRunContext) => Promise<NodeOutcome>;

// target/run_results.json in dbt's shape (v6).
import { redact } from '../util/redact.js';
import { CAIRN_VERSION } from '../version.js';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface NodeResult {
  uniqueId: string;
  status: NodeStatus;
  message: string | null;
  failures: number | null;
  timing: Array<{ name: 'compile' | 'execute'; started_at: string; completed_at: string }>;
  executionTime: number;
  threadId: string;
  adapterResponse: { _message?: string; rows_affected?: number; job_id?: string; code?: string };
  compiledCode?: string;
  relationName?: string | null;
  /** How many times the node was attempted (retries). */
  attempts?: number;
  blocksChildren?: boolean;
  /** --changed-only reused the node: nothing ran (the message says why). */
  reused?: boolean;
}

export interface InvocationArgs {
  which: string;
  select?: string[];
  exclude?: string[];
  target?: string;
  vars?: Record<string, unknown>;
  ds?: string;
  full_refresh?: boolean;
  threads?: number;
  [k: string]: unknown;
}

export function buildRunResults(results: NodeResult[], invocationId: string, elapsed: number, args: InvocationArgs, generatedAt = new Date()) {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: `cairn-${CAIRN_VERSION}`,
      generated_at: generatedAt.toISOString(),
      invocation_id: invocationId,
    },
    results: results.map((r) => ({
      status: r.status,
      timing: r.timing,
      thread_id: r.threadId,
      execution_time: r.executionTime,
      // dbt's schema allows no extra field on a result; adapter_response is free-form, so the
      // number of attempts (retries) travels there.
      adapter_response: (r.attempts ?? 1) > 1 ? { ...r.adapterResponse, attempts: r.attempts } : r.adapterResponse,
      message: r.message === null ? null : redact(r.message),
      failures: r.failures,
      unique_id: r.uniqueId,
      compiled: r.compiledCode !== undefined,
      compiled_code: r.compiledCode === undefined ? null : redact(r.compiledCode),
      relation_name: r.relationName ?? null,
    })),
    elapsed_time: elapsed,
    args,
  };
}

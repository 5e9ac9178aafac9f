// What an invocation reports while it runs. The CLI turns these into dbt-style lines or JSON logs;
// the programmatic API hands them to the caller.
import type { NodeResult } from '../artifacts/run-results.js';

export type RunEvent =
  | { type: 'run_start'; total: number; invocationId: string; target: string; ds: string }
  | { type: 'node_start'; index: number; total: number; uniqueId: string; label: string; attempt: number }
  | { type: 'node_retry'; uniqueId: string; attempt: number; delayMs: number; error: string }
  | { type: 'node_end'; index: number; total: number; uniqueId: string; label: string; result: NodeResult; compiledPath?: string }
  | { type: 'run_end'; results: NodeResult[]; elapsed: number; counts: RunCounts }
  | { type: 'warning'; message: string }
  | { type: 'info'; message: string };

export interface RunCounts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
  total: number;
}

/** dbt's summary: a failed error-severity test counts as ERROR, a passing node as PASS. */
export function countResults(results: readonly NodeResult[]): RunCounts {
  const c: RunCounts = { pass: 0, warn: 0, error: 0, skip: 0, total: results.length };
  for (const r of results) {
    if (r.status === 'success' || r.status === 'pass') c.pass++;
    else if (r.status === 'warn') c.warn++;
    else if (r.status === 'skipped') c.skip++;
    else c.error++;
  }
  return c;
}

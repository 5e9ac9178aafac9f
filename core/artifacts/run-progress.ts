// A run in progress, on disk: run_results.json is written before the first node starts, every node
// "running", and each node's outcome is appended to run_results.progress.jsonl as it ends. A run that
// is killed (SIGKILL, OOM, power) leaves both, so `cairn retry` sees that run and re-runs what did not
// finish, instead of the run before it. The finished run's run_results.json replaces them.
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './paths.js';
import { buildRunResults, type InvocationArgs, type NodeResult, type NodeStatus } from './run-results.js';

export const PROGRESS_FILE = 'run_results.progress.jsonl';
export const RUNNING = 'running';

export class RunProgress {
  private readonly progress: string;

  constructor(private readonly dir: string) {
    this.progress = join(dir, PROGRESS_FILE);
  }

  /** Records the run as started: every node "running", metadata.status "running". */
  start(ids: readonly string[], invocationId: string, args: InvocationArgs, startedAt = new Date()): void {
    rmSync(this.progress, { force: true });
    const placeholders = ids.map((id): NodeResult => ({
      uniqueId: id, status: RUNNING as NodeStatus, message: null, failures: null, timing: [], executionTime: 0, threadId: 'main', adapterResponse: {},
    }));
    const rr = buildRunResults(placeholders, invocationId, 0, args, startedAt);
    writeFileAtomic(join(this.dir, 'run_results.json'), JSON.stringify({ ...rr, metadata: { ...rr.metadata, status: RUNNING, started_at: startedAt.toISOString(), pid: process.pid } }, null, 2));
  }

  /** One line per node as it ends (an append, so the cost does not grow with the run). */
  nodeEnded(r: NodeResult): void {
    try {
      appendFileSync(this.progress, JSON.stringify({ unique_id: r.uniqueId, status: r.status }) + '\n');
    } catch {
      // Losing progress only means retry re-runs this node; never fail the node for it.
    }
  }

  /** The run finished and wrote its real run_results.json. */
  finish(): void {
    rmSync(this.progress, { force: true });
  }
}

/** Outcomes recorded in `dir`'s progress file by a run that never finished (unique id → status). */
export function readProgress(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync(join(dir, PROGRESS_FILE), 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as { unique_id?: unknown; status?: unknown };
      if (typeof e.unique_id === 'string' && typeof e.status === 'string') out.set(e.unique_id, e.status);
    } catch {
      // The last line of a killed run may be cut off.
    }
  }
  return out;
}

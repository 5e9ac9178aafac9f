// The scheduler alone: its overhead per node (instant tasks), and how close a run of fixed-duration
// simulated nodes comes to the ideal bound max(critical path, total work / threads).
import { runScheduled, type TaskOutcome } from '../core/execute/scheduler.js';
import { makeDag } from './generate.js';

function graph(n: number): { order: string[]; parents: Map<string, string[]>; depth: Map<string, number> } {
  const dag = makeDag(n);
  const order = dag.models.map((m) => m.name);
  const parents = new Map(dag.models.map((m) => [m.name, m.parents]));
  const depth = new Map<string, number>();
  for (const id of order) depth.set(id, 1 + Math.max(0, ...parents.get(id)!.map((p) => depth.get(p)!)));
  return { order, parents, depth };
}

export async function schedulerOverhead(n: number): Promise<number> {
  const { order, parents } = graph(n);
  const t0 = performance.now();
  await runScheduled<TaskOutcome>({ order, parents, concurrency: 4, run: async () => ({ status: 'success' }), skip: () => ({ status: 'skipped' }) });
  return (performance.now() - t0) / n;
}

export interface SimResult { n: number; threads: number; taskMs: number; wallMs: number; idealMs: number; ratio: number }

export async function simulatedRun(n: number, threads: number, taskMs: number): Promise<SimResult> {
  const { order, parents, depth } = graph(n);
  const critical = Math.max(...depth.values()) * taskMs;
  const ideal = Math.max(critical, (n * taskMs) / threads);
  const t0 = performance.now();
  await runScheduled<TaskOutcome>({
    order, parents, concurrency: threads,
    run: () => new Promise((r) => setTimeout(() => r({ status: 'success' }), taskMs)),
    skip: () => ({ status: 'skipped' }),
  });
  const wall = performance.now() - t0;
  return { n, threads, taskMs, wallMs: wall, idealMs: ideal, ratio: wall / ideal };
}

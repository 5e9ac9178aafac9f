// Runs a DAG of tasks with N workers: each task starts as soon as all its parents are done. When a
// task fails, only its descendants are skipped; independent branches run to the end.

export type TaskStatus = 'success' | 'error' | 'skipped' | 'pass' | 'fail' | 'warn';

export interface TaskOutcome {
  status: TaskStatus;
  /** A failed task whose children should still run (a warn-severity test) sets this false. */
  blocksChildren?: boolean;
}

export interface ScheduleOptions<T extends TaskOutcome> {
  /** Task ids in a topological order (used as the tie-break: earlier first). */
  order: readonly string[];
  /** Parents of each task, restricted to tasks in `order`. */
  parents: ReadonlyMap<string, readonly string[]>;
  concurrency: number;
  run(id: string): Promise<T>;
  skip(id: string, cause: string): T;
  /** Stop starting new tasks (fail-fast, Ctrl-C). */
  shouldStop?(): boolean;
}

export async function runScheduled<T extends TaskOutcome>(opts: ScheduleOptions<T>): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  const rank = new Map(opts.order.map((id, i) => [id, i]));
  for (const id of opts.order) {
    const ps = opts.parents.get(id) ?? [];
    waiting.set(id, ps.length);
    for (const p of ps) {
      let c = children.get(p);
      if (!c) children.set(p, (c = []));
      c.push(id);
    }
  }
  // Ready queue kept in topological rank order so output is stable run to run.
  const ready: string[] = opts.order.filter((id) => waiting.get(id) === 0);
  const blockedBy = new Map<string, string>();
  let running = 0;
  let done = 0;
  const total = opts.order.length;

  return new Promise((resolvePromise, reject) => {
    const finish = (id: string, r: T) => {
      results.set(id, r);
      done++;
      const failed = (r.status === 'error' || r.status === 'fail' || r.status === 'skipped') && r.blocksChildren !== false;
      for (const c of children.get(id) ?? []) {
        if (failed && !blockedBy.has(c)) blockedBy.set(c, r.status === 'skipped' ? (blockedBy.get(id) ?? id) : id);
        const left = waiting.get(c)! - 1;
        waiting.set(c, left);
        if (left === 0) insertReady(c);
      }
    };
    const insertReady = (id: string) => {
      // Binary search: wide DAGs keep thousands of ready nodes.
      const r = rank.get(id)!;
      let lo = 0;
      let hi = ready.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rank.get(ready[mid]!)! > r) hi = mid;
        else lo = mid + 1;
      }
      ready.splice(lo, 0, id);
    };
    const pump = () => {
      if (done === total) return resolvePromise(results);
      while (ready.length && running < opts.concurrency) {
        const id = ready.shift()!;
        const cause = blockedBy.get(id);
        if (cause !== undefined || opts.shouldStop?.()) {
          finish(id, opts.skip(id, cause ?? 'run stopped'));
          continue;
        }
        running++;
        opts.run(id).then(
          (r) => { running--; finish(id, r); pump(); },
          (e) => reject(e),
        );
      }
      if (done === total) resolvePromise(results);
    };
    pump();
  });
}

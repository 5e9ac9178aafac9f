// The lineage DAG over node unique ids. Edges point from parent to child.
//
// Adjacency lists in two Maps rather than @dagrejs/graphlib's Graph: building graphlib's edge objects
// and label maps cost ~0.35 s of a 10,000-model compile, and cairn only needs successors and
// predecessors. The method names are graphlib's, so code reads the same.
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';

export class Dag {
  private readonly succ = new Map<string, string[]>();
  private readonly pred = new Map<string, string[]>();

  setNode(id: string): void {
    if (this.succ.has(id)) return;
    this.succ.set(id, []);
    this.pred.set(id, []);
  }

  hasNode(id: string): boolean {
    return this.succ.has(id);
  }

  /** Adds `from -> to` once; both nodes must exist. */
  setEdge(from: string, to: string): void {
    const preds = this.pred.get(to)!;
    if (preds.includes(from)) return;
    preds.push(from);
    this.succ.get(from)!.push(to);
  }

  nodes(): string[] {
    return [...this.succ.keys()];
  }

  nodeCount(): number {
    return this.succ.size;
  }

  /** Children of `id` (read-only), or undefined for an unknown node. */
  successors(id: string): readonly string[] | undefined {
    return this.succ.get(id);
  }

  /** Parents of `id` (read-only), or undefined for an unknown node. */
  predecessors(id: string): readonly string[] | undefined {
    return this.pred.get(id);
  }
}

export function buildDag(nodes: Iterable<ProjectNode>): Dag {
  const g = new Dag();
  const all = [...nodes];
  for (const n of all) g.setNode(n.uniqueId);
  for (const n of all) for (const p of n.dependsOn.nodes) if (g.hasNode(p)) g.setEdge(p, n.uniqueId);
  const cycle = findCycle(g);
  if (cycle) {
    const byId = new Map(all.map((n) => [n.uniqueId, n]));
    const names = cycle.map((id) => byId.get(id)?.name ?? id);
    const first = byId.get(cycle[0]!);
    throw new CairnError('CYCLE', `dependency cycle: ${names.join(' -> ')}`, {
      file: first?.originalFilePath,
      hint: 'a model cannot depend on itself through its refs; remove one ref() in the chain',
    });
  }
  return g;
}

/** One cycle as a closed path [a, b, ..., a], or undefined. Iterative DFS: projects can be deep. */
export function findCycle(g: Dag): string[] | undefined {
  const state = new Map<string, 1 | 2>();
  for (const start of g.nodes()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number; succ: readonly string[] }> = [{ id: start, next: 0, succ: g.successors(start) ?? [] }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.succ.length) {
        const s = top.succ[top.next++]!;
        const st = state.get(s);
        if (st === 1) {
          const idx = stack.findIndex((f) => f.id === s);
          return [...stack.slice(idx).map((f) => f.id), s];
        }
        if (st === undefined) {
          state.set(s, 1);
          stack.push({ id: s, next: 0, succ: g.successors(s) ?? [] });
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
      }
    }
  }
  return undefined;
}

/** Kahn's algorithm with ties broken by id, so the order (and run output) is the same every run. */
export function topoOrder(g: Dag): string[] {
  const indeg = new Map<string, number>();
  for (const n of g.nodes()) indeg.set(n, (g.predecessors(n) ?? []).length);
  const ready = new MinHeap();
  for (const [n, d] of indeg) if (d === 0) ready.push(n);
  const out: string[] = [];
  while (ready.size) {
    const n = ready.pop();
    out.push(n);
    for (const s of g.successors(n) ?? []) {
      const d = indeg.get(s)! - 1;
      indeg.set(s, d);
      if (d === 0) ready.push(s);
    }
  }
  return out;
}

/** A binary min-heap of strings: thousands of ready nodes made a sorted array O(n^2). */
class MinHeap {
  private a: string[] = [];

  get size(): number {
    return this.a.length;
  }

  push(v: string): void {
    const a = this.a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  pop(): string {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1]! < a[l]! ? l + 1 : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/** Nodes reachable upstream (parents) or downstream (children), with their distance, up to `depth`. */
export function reachable(g: Dag, start: string, dir: 'up' | 'down', depth = Infinity): Map<string, number> {
  const out = new Map<string, number>();
  let frontier = [start];
  let d = 0;
  while (frontier.length && d < depth) {
    d++;
    const next: string[] = [];
    for (const id of frontier) {
      const ns = (dir === 'up' ? g.predecessors(id) : g.successors(id)) ?? [];
      for (const n of ns) if (!out.has(n) && n !== start) { out.set(n, d); next.push(n); }
    }
    frontier = next;
  }
  return out;
}

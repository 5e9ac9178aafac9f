// The lineage DAG over node unique ids. Edges point from parent to child. A small adjacency-list
// graph rather than a general graph library: building it for 10,000+ nodes is on every command's
// startup path, and only these few operations are needed.
import { CairnError } from '../errors.js';
import type { ProjectNode } from '../project/types.js';

interface Adj {
  preds: string[];
  succs: string[];
  /** Successor ids, for O(1) duplicate-edge checks. */
  succSet?: Set<string>;
}

export class Dag {
  private adj = new Map<string, Adj>();

  setNode(id: string): this {
    if (!this.adj.has(id)) this.adj.set(id, { preds: [], succs: [] });
    return this;
  }

  hasNode(id: string): boolean {
    return this.adj.has(id);
  }

  /** Adds parent → child (both nodes are created if missing); adding an edge twice keeps one. */
  setEdge(from: string, to: string): this {
    this.setNode(from).setNode(to);
    const a = this.adj.get(from)!;
    if (a.succs.length > 16) {
      const set = (a.succSet ??= new Set(a.succs));
      if (set.has(to)) return this;
      set.add(to);
    } else if (a.succs.includes(to)) return this;
    a.succs.push(to);
    this.adj.get(to)!.preds.push(from);
    return this;
  }

  nodes(): string[] {
    return [...this.adj.keys()];
  }

  nodeCount(): number {
    return this.adj.size;
  }

  /** Children of `id` (a fresh array), or undefined when `id` is not in the graph. */
  successors(id: string): string[] | undefined {
    return this.adj.get(id)?.succs.slice();
  }

  /** Parents of `id` (a fresh array), or undefined when `id` is not in the graph. */
  predecessors(id: string): string[] | undefined {
    return this.adj.get(id)?.preds.slice();
  }

  inDegree(id: string): number {
    return this.adj.get(id)?.preds.length ?? 0;
  }

  /** Children of `id` without a copy: callers must not modify it. */
  successorsView(id: string): readonly string[] {
    return this.adj.get(id)?.succs ?? [];
  }

  edges(): Array<{ v: string; w: string }> {
    const out: Array<{ v: string; w: string }> = [];
    for (const [v, a] of this.adj) for (const w of a.succs) out.push({ v, w });
    return out;
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
    const stack: Array<{ id: string; next: number; succ: readonly string[] }> = [{ id: start, next: 0, succ: g.successorsView(start) }];
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
          stack.push({ id: s, next: 0, succ: g.successorsView(s) });
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
  const ready = new MinHeap();
  for (const n of g.nodes()) {
    const d = g.inDegree(n);
    indeg.set(n, d);
    if (d === 0) ready.push(n);
  }
  const out: string[] = [];
  while (ready.size) {
    const n = ready.pop();
    out.push(n);
    for (const s of g.successorsView(n)) {
      const d = indeg.get(s)! - 1;
      indeg.set(s, d);
      if (d === 0) ready.push(s);
    }
  }
  return out;
}

/** A binary min-heap of strings: the ready queue of topoOrder (a sorted array costs O(n) per insert). */
class MinHeap {
  private a: string[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: string): void {
    const a = this.a;
    let i = a.push(x) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
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
      const ns = ((dir === 'up' ? g.predecessors(id) : g.successors(id)) as string[]) ?? [];
      for (const n of ns) if (!out.has(n) && n !== start) { out.set(n, d); next.push(n); }
    }
    frontier = next;
  }
  return out;
}

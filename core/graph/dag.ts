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

/** The graph of `nodes`; `acyclic` skips the cycle check for a graph known to have none. */
export function buildDag(nodes: Iterable<ProjectNode>, acyclic = false): Dag {
  const g = new Dag();
  const all = [...nodes];
  for (const n of all) g.setNode(n.uniqueId);
  for (const n of all) for (const p of n.dependsOn.nodes) if (g.hasNode(p)) g.setEdge(p, n.uniqueId);
  const cycle = acyclic ? undefined : findCycle(g);
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
  return stableTopoOrder(new Map(g.nodes().map((n) => [n, g.predecessors(n) ?? []])));
}

/**
 * `ids` in a stable topological order of the graph they induce (edges between two of them only):
 * all of them in topoOrder's order when `ids` is every node.
 */
export function subgraphOrder(g: Dag, ids: readonly string[]): string[] {
  const want = new Set(ids);
  return stableTopoOrder(new Map(ids.map((id) => [id, (g.predecessors(id) ?? []).filter((x) => want.has(x))])));
}

/**
 * Kahn's algorithm over `parents` (each id to its parents among the keys), the ready node with the
 * smallest `key` first (the id by default): a stable order for stable output.
 */
export function stableTopoOrder(parents: ReadonlyMap<string, readonly string[]>, key: (id: string) => string = (id) => id): string[] {
  const waiting = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [id, ps] of parents) {
    waiting.set(id, ps.length);
    for (const x of ps) {
      const c = children.get(x);
      if (c) c.push(id);
      else children.set(x, [id]);
    }
  }
  const ready = new MinHeap(key);
  for (const [id, n] of waiting) if (n === 0) ready.push(id);
  const out: string[] = [];
  while (ready.size) {
    const id = ready.pop();
    out.push(id);
    for (const c of children.get(id) ?? []) {
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  return out;
}

/** A binary min-heap of ids by key: thousands of ready nodes made a sorted array O(n^2). */
class MinHeap {
  private a: string[] = [];

  constructor(private readonly key: (id: string) => string) {}

  get size(): number {
    return this.a.length;
  }

  push(v: string): void {
    const { a, key } = this;
    const kv = key(v);
    let i = a.push(v) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (key(a[p]!) <= kv) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  pop(): string {
    const { a, key } = this;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length) {
      const kl = key(last);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && key(a[l + 1]!) < key(a[l]!) ? l + 1 : l;
        if (key(a[c]!) >= kl) break;
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

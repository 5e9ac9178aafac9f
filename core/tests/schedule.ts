// dbt's `add_test_edges` for `build`: a test becomes a parent of every node downstream of what it
// tests (when all the test's dependencies are upstream of that node), so an error-severity test
// failure skips the tested model's descendants, and a model's tests run right after it.
import type { ParsedProject } from '../compile/parse-project.js';
import { reachable } from '../graph/dag.js';

/** Adds test → descendant edges to `parents` (both ends must be in the run). */
export function addTestEdges(p: ParsedProject, order: readonly string[], parents: Map<string, string[]>): void {
  const inRun = new Set(order);
  const tests = order.filter((id) => p.nodes.get(id)!.resourceType === 'test');
  if (!tests.length) return;
  const testsByParent = new Map<string, string[]>();
  for (const t of tests) {
    for (const d of p.nodes.get(t)!.dependsOn.nodes) {
      let l = testsByParent.get(d);
      if (!l) testsByParent.set(d, (l = []));
      l.push(t);
    }
  }
  for (const id of order) {
    // A unit test runs on fixture rows, not on built data: a failed data test upstream says nothing about it.
    const kind = p.nodes.get(id)!.resourceType;
    if (kind === 'test' || kind === 'unit_test') continue;
    const upstream = new Set(reachable(p.dag, id, 'up').keys());
    const extra = new Set<string>();
    for (const u of upstream) {
      for (const t of testsByParent.get(u) ?? []) {
        if (!inRun.has(t) || extra.has(t)) continue;
        if (p.nodes.get(t)!.dependsOn.nodes.every((d) => upstream.has(d))) extra.add(t);
      }
    }
    if (extra.size) parents.set(id, [...new Set([...(parents.get(id) ?? []), ...extra])]);
  }
}

/**
 * Topological order with each test placed right after the last of its parents, so `build` prints
 * (and, with one thread, runs) a model's tests straight after the model.
 */
export function testsAfterParents(p: ParsedProject, order: readonly string[]): string[] {
  const isTest = (id: string) => p.nodes.get(id)!.resourceType === 'test';
  const pos = new Map<string, number>();
  const out: string[] = [];
  const pending = order.filter(isTest);
  const inOrder = new Set(order);
  const placed = new Set<string>();
  const flush = () => {
    for (const t of pending) {
      if (placed.has(t)) continue;
      if (p.nodes.get(t)!.dependsOn.nodes.every((d) => pos.has(d) || !inOrder.has(d))) {
        placed.add(t);
        pos.set(t, out.length);
        out.push(t);
      }
    }
  };
  flush();
  for (const id of order) {
    if (isTest(id)) continue;
    pos.set(id, out.length);
    out.push(id);
    flush();
  }
  for (const t of pending) if (!placed.has(t)) out.push(t);
  return out;
}

/**
 * dbt builds a model's unit tests before the model, so a failing unit test stops the model from being
 * built: each unit test takes its model's parents, and the model waits for it. Returns the order with
 * each unit test moved right before its model.
 */
export function unitTestsBeforeModels(p: ParsedProject, order: readonly string[], parents: Map<string, string[]>): string[] {
  const inRun = new Set(order);
  const before = new Map<string, string[]>();
  for (const id of order) {
    const n = p.nodes.get(id)!;
    if (n.resourceType !== 'unit_test') continue;
    const model = n.dependsOn.nodes[0];
    if (!model || !inRun.has(model)) continue;
    parents.set(id, (parents.get(model) ?? []).filter((x) => p.nodes.get(x)!.resourceType !== 'test'));
    parents.set(model, [...(parents.get(model) ?? []), id]);
    let l = before.get(model);
    if (!l) before.set(model, (l = []));
    l.push(id);
  }
  if (!before.size) return [...order];
  const moved = new Set([...before.values()].flat());
  return order.flatMap((id) => (moved.has(id) ? [] : [...(before.get(id) ?? []), id]));
}

// The precomputed graph layout: a wide project (hundreds of staging models) must not become an
// unreadable sliver when fitted to the screen, and no two node boxes may overlap.
import { describe, expect, it } from 'vitest';
import { layoutGraph, NODE_HEIGHT } from '../../core/docs/layout.js';

function fanOut(staging: number, marts: number) {
  const nodes = [{ id: 'src', label: 'raw_source' }];
  const edges: Array<[string, string]> = [];
  for (let i = 0; i < staging; i++) {
    nodes.push({ id: `stg${i}`, label: `stg_table_${i}` });
    edges.push(['src', `stg${i}`]);
  }
  for (let j = 0; j < marts; j++) {
    nodes.push({ id: `mart${j}`, label: `mart_${j}` });
    for (let k = 0; k < 5; k++) edges.push([`stg${(j * 7 + k) % staging}`, `mart${j}`]);
  }
  return { nodes, edges };
}

function overlaps(pos: Record<string, [number, number, number]>): number {
  const boxes = Object.values(pos).map(([x, y, w]) => [x - w / 2, y - NODE_HEIGHT / 2, x + w / 2, y + NODE_HEIGHT / 2]);
  let n = 0;
  boxes.sort((a, b) => a[0]! - b[0]!);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j]![0]! < boxes[i]![2]!; j++) {
      if (boxes[j]![1]! < boxes[i]![3]! && boxes[i]![1]! < boxes[j]![3]!) n++;
    }
  }
  return n;
}

describe('graph layout', () => {
  it('a 300-node fan-out is laid out near screen proportions, without overlaps', () => {
    const { nodes, edges } = fanOut(250, 49);
    const l = layoutGraph(nodes, edges);
    const aspect = l.width / l.height;
    // dagre alone gives one 250-node column: ~9,500 px tall and ~600 px wide (aspect ~0.06).
    expect(aspect).toBeGreaterThan(0.8);
    expect(aspect).toBeLessThan(3.5);
    expect(overlaps(l.positions)).toBe(0);
    // Every rank still reads left to right: each edge goes from a lower x to a higher x.
    for (const [a, b] of edges) expect(l.positions[a]![0]).toBeLessThan(l.positions[b]![0]);
  });

  it('above 300 nodes the linear layered layout: ranks left to right, legible, no overlaps', () => {
    const { nodes, edges } = fanOut(1600, 400);
    const l = layoutGraph(nodes, edges);
    expect(l.mode).toBe('fast');
    expect(l.width / l.height).toBeGreaterThan(0.8);
    expect(l.width / l.height).toBeLessThan(3.5);
    expect(overlaps(l.positions)).toBe(0);
    for (const [a, b] of edges) expect(l.positions[a]![0]).toBeLessThan(l.positions[b]![0]);
  });

  it("a small graph keeps dagre's own layout", () => {
    const { nodes, edges } = fanOut(10, 3);
    const l = layoutGraph(nodes, edges);
    expect(overlaps(l.positions)).toBe(0);
    const xs = new Set(Object.values(l.positions).map((p) => p[0]));
    expect(xs.size).toBe(3);
  });
});

// The lineage graph's layout, computed once at generate time with dagre so the browser only draws:
// laying out 2,000 nodes takes seconds, drawing them takes milliseconds. The site re-runs dagre
// itself only for small filtered subgraphs.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import dagre from '@dagrejs/dagre';
import { packagePath } from '../util/package-root.js';

type Positions = Record<string, [number, number, number]>;
/**
 * The browser's rank wrapping (templates/docs/wrap-ranks.js), so both sides share one implementation.
 * Evaluated as a classic script with a `module` object: the package is ESM, so `require` would not do.
 */
let wrapper: ((p: Positions) => Positions) | undefined;
function wrapRanks(pos: Positions): Positions {
  if (!wrapper) {
    const sandbox = { module: { exports: {} as { wrapRanks?: (p: Positions) => Positions } } };
    runInNewContext(readFileSync(packagePath('templates', 'docs', 'wrap-ranks.js'), 'utf8'), sandbox);
    wrapper = sandbox.module.exports.wrapRanks!;
  }
  return wrapper(pos);
}

export const NODE_HEIGHT = 26;
const CHAR_WIDTH = 7;

export interface GraphLayout {
  /** id → [x, y, width] of the node's centre; height is NODE_HEIGHT. */
  positions: Record<string, [number, number, number]>;
  width: number;
  height: number;
  /** dagre's layout (`quality`), or the linear layered one above `fastAbove` nodes (`fast`). */
  mode: 'quality' | 'fast';
}

export const nodeWidth = (label: string) => Math.min(260, Math.max(80, 24 + label.length * CHAR_WIDTH));

export function layoutGraph(nodes: Array<{ id: string; label: string }>, edges: Array<[string, string]>, fastAbove = 300): GraphLayout {
  const fast = nodes.length > fastAbove;
  let positions = fast ? layered(nodes, edges) : dagreLayout(nodes, edges);
  positions = wrapRanks(positions);
  let width = 0, height = 0;
  for (const id of Object.keys(positions)) {
    const p = positions[id]!;
    positions[id] = [Math.round(p[0]), Math.round(p[1]), p[2]];
    width = Math.max(width, p[0] + p[2] / 2 + 20);
    height = Math.max(height, p[1] + NODE_HEIGHT / 2 + 20);
  }
  return { positions, width: Math.ceil(width), height: Math.ceil(height), mode: fast ? 'fast' : 'quality' };
}

function dagreLayout(nodes: Array<{ id: string; label: string }>, edges: Array<[string, string]>): Positions {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: nodeWidth(n.label), height: NODE_HEIGHT });
  for (const [a, b] of edges) if (g.hasNode(a) && g.hasNode(b)) g.setEdge(a, b);
  dagre.layout(g);
  const positions: Positions = {};
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number };
    positions[n.id] = [p.x, p.y, p.width];
  }
  return positions;
}

/**
 * Big graphs: rank = longest path from a root, order within a rank by the mean position of the
 * parents (one sweep), linear in nodes + edges. dagre spends ~2 s on 2,000 nodes mostly routing long
 * edges through dummy nodes, which the site never draws (edges are drawn as direct curves), and its
 * ordering is redone by wrapRanks anyway once a rank is tall.
 */
function layered(nodes: Array<{ id: string; label: string }>, edges: Array<[string, string]>): Positions {
  const known = new Set(nodes.map((n) => n.id));
  const parents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const children = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const [a, b] of edges) if (known.has(a) && known.has(b)) { parents.get(b)!.push(a); children.get(a)!.push(b); }
  const rank = new Map<string, number>();
  const indegree = new Map(nodes.map((n) => [n.id, parents.get(n.id)!.length]));
  const queue = nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const r = Math.max(-1, ...parents.get(id)!.map((p) => rank.get(p) ?? 0)) + 1;
    rank.set(id, r);
    for (const c of children.get(id)!) {
      indegree.set(c, indegree.get(c)! - 1);
      if (indegree.get(c) === 0) queue.push(c);
    }
  }
  for (const n of nodes) if (!rank.has(n.id)) rank.set(n.id, 0); // only on a cycle, which cairn refuses earlier
  const ranks: string[][] = [];
  for (const n of nodes) (ranks[rank.get(n.id)!] ??= []).push(n.id);
  const order = new Map<string, number>();
  const width = new Map(nodes.map((n) => [n.id, nodeWidth(n.label)]));
  const positions: Positions = {};
  let x = 20;
  for (const r of ranks) {
    if (!r) continue;
    const mean = (id: string) => {
      const ps = parents.get(id)!;
      return ps.length ? ps.reduce((a, p) => a + order.get(p)!, 0) / ps.length : -1;
    };
    const sorted = r.map((id) => [id, mean(id)] as const).sort((a, b) => a[1] - b[1]).map((e) => e[0]);
    const w = Math.max(...sorted.map((id) => width.get(id)!));
    sorted.forEach((id, i) => {
      order.set(id, i);
      positions[id] = [x + w / 2, 20 + i * (NODE_HEIGHT + 12) + NODE_HEIGHT / 2, width.get(id)!];
    });
    x += w + 70;
  }
  return positions;
}

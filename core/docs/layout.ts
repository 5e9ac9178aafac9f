// The lineage graph's layout, computed once at generate time with dagre so the browser only draws:
// laying out 2,000 nodes takes seconds, drawing them takes milliseconds. The site re-runs dagre
// itself only for small filtered subgraphs.
import dagre from '@dagrejs/dagre';

export const NODE_HEIGHT = 26;
const CHAR_WIDTH = 7;

export interface GraphLayout {
  /** id → [x, y, width] of the node's centre; height is NODE_HEIGHT. */
  positions: Record<string, [number, number, number]>;
  width: number;
  height: number;
  /** Which dagre settings were used (the fast ones above `fastAbove` nodes). */
  mode: 'quality' | 'fast';
}

export const nodeWidth = (label: string) => Math.min(260, Math.max(80, 24 + label.length * CHAR_WIDTH));

export function layoutGraph(nodes: Array<{ id: string; label: string }>, edges: Array<[string, string]>, fastAbove = 300): GraphLayout {
  const fast = nodes.length > fastAbove;
  const g = new dagre.graphlib.Graph();
  // network-simplex ranking + crossing minimisation look best but grow steeply with size; above
  // the threshold longest-path ranking without the ordering sweeps keeps generate bounded.
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 70, marginx: 20, marginy: 20, ...(fast ? { ranker: 'longest-path' } : {}) });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: nodeWidth(n.label), height: NODE_HEIGHT });
  for (const [a, b] of edges) if (g.hasNode(a) && g.hasNode(b)) g.setEdge(a, b);
  dagre.layout(g, fast ? { disableOptimalOrderHeuristic: true } : {});
  const positions: GraphLayout['positions'] = {};
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number };
    positions[n.id] = [Math.round(p.x), Math.round(p.y), p.width];
  }
  const info = g.graph() as { width?: number; height?: number };
  return { positions, width: Math.ceil(info.width ?? 0), height: Math.ceil(info.height ?? 0), mode: fast ? 'fast' : 'quality' };
}

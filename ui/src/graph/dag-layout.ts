/**
 * Positions a job graph left to right with @dagrejs/dagre (graphlib's layout companion). Pure; loaded
 * lazily by the DAG page so dagre stays out of the main bundle.
 */
import dagre from '@dagrejs/dagre';

export interface DagInputNode {
  id: string;
  label: string;
}

export interface PlacedNode {
  id: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
}

export interface DagLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_HEIGHT = 38;
const CHAR_WIDTH = 7.4;
/** Room for the status icon and padding beside the name. */
const NODE_CHROME = 44;

export function layoutDag(nodes: readonly DagInputNode[], edges: ReadonlyArray<{ from: string; to: string }>): DagLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 90, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: Math.round(NODE_CHROME + n.label.length * CHAR_WIDTH), height: NODE_HEIGHT, label: n.label });
  const known = new Set(nodes.map((n) => n.id));
  for (const e of edges) if (known.has(e.from) && known.has(e.to)) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    nodes: nodes.map((n) => {
      const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
      return { id: n.id, label: n.label, x: p.x, y: p.y, width: p.width, height: p.height };
    }),
    edges: g.edges().map((e) => ({ from: e.v, to: e.w, points: ((g.edge(e) as { points?: Array<{ x: number; y: number }> }).points ?? []).map((p) => ({ x: p.x, y: p.y })) })),
    width: graph.width ?? 0,
    height: graph.height ?? 0,
  };
}

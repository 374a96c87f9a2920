/**
 * The job dependency graph: validation at write time, children/descendants, Graphviz export.
 *
 * Edges go parent → child. `buildJobGraph` gives a @dagrejs/graphlib graph for callers that want
 * its algorithms on small sets (previews, paths). Validation does not go through graphlib:
 * building its graph is too slow at 10,000 jobs (see `validateGraph`), and its `alg.topsort` and
 * `alg.tarjan` recurse once per node on a path, overflowing the stack on a dependency chain of
 * ~5,000 jobs, which a user can build through the API. The traversals here are iterative.
 */
import { Graph } from '@dagrejs/graphlib';
import { type Result, ok, err } from '../../core/errors/result.ts';
import type { JobStatus } from './run-stats.ts';

export interface JobNode {
  name: string;
  /** Names of the jobs this one depends on; empty for a scheduled job. */
  parents: readonly string[];
}

export interface GraphError {
  field: 'parents';
  message: string;
  /** The first job found with the problem. */
  job: string;
  /** A cycle in edge order, first node repeated at the end: ["a", "b", "a"]. */
  cycle?: string[];
  /** Parent names that are not jobs (for every job that has them). */
  unknown?: string[];
}

/** Builds the graphlib graph (parent → child). Precondition: names are unique. */
export function buildJobGraph(jobs: Iterable<JobNode>): Graph {
  const g = new Graph({ directed: true });
  const list = [...jobs];
  for (const j of list) {
    if (g.hasNode(j.name)) throw new Error(`duplicate job name in graph input: ${j.name}`);
    g.setNode(j.name);
  }
  for (const j of list) for (const p of j.parents) g.setEdge(p, j.name);
  return g;
}

/**
 * Validates the whole set of jobs, as it would be after an upsert or delete, and returns a
 * topological order (parents before children). Checks, in this order: self-dependency, unknown
 * parents, cycles. Nothing is stored by the caller unless this is ok, so a bad write changes nothing.
 * Precondition: names are unique (the store keys jobs by name); a duplicate throws.
 *
 * Runs on every job write over every job, so it works on integer-indexed adjacency arrays:
 * building the graphlib graph alone costs ~9 µs per edge (string-keyed objects), over the
 * 200 ms budget for 10,000 jobs (see bench/dag.ts). Results agree with graphlib's (dag.test.ts).
 */
export function validateGraph(jobs: Iterable<JobNode>): Result<{ order: string[] }, GraphError> {
  const list = [...jobs];
  const index = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    if (index.has(list[i].name)) throw new Error(`duplicate job name in graph input: ${list[i].name}`);
    index.set(list[i].name, i);
  }
  const self = list.find((j) => j.parents.includes(j.name));
  if (self !== undefined) {
    return err({ field: 'parents', job: self.name, cycle: [self.name, self.name], message: `job "${self.name}" depends on itself` });
  }
  const missing: Array<[job: string, parent: string]> = [];
  for (const j of list) for (const p of j.parents) if (!index.has(p)) missing.push([j.name, p]);
  if (missing.length > 0) {
    const unknown = [...new Set(missing.map(([, p]) => p))].sort();
    const shown = missing.slice(0, 5).map(([j, p]) => `job "${j}" depends on unknown job "${p}"`);
    const more = missing.length > 5 ? ` (and ${missing.length - 5} more)` : '';
    return err({ field: 'parents', job: missing[0][0], unknown, message: shown.join('; ') + more });
  }
  const g = indexedGraph(list, index);
  const { order, rest } = kahn(g);
  if (rest.length === 0) return ok({ order: order.map((i) => list[i].name) });
  const cycle = findCycle(g, rest, list).map((i) => list[i].name);
  return err({ field: 'parents', job: cycle[0], cycle, message: `dependency cycle: ${cycle.join(' → ')}` });
}

/** Adjacency by job index; a parent listed twice gives two edges, which every use below tolerates. */
interface IndexedGraph {
  parents: number[][];
  children: number[][];
}

function indexedGraph(list: JobNode[], index: Map<string, number>): IndexedGraph {
  const parents = list.map((j) => j.parents.map((p) => index.get(p)!));
  const children: number[][] = list.map(() => []);
  parents.forEach((ps, child) => ps.forEach((p) => children[p].push(child)));
  return { parents, children };
}

/** Kahn's algorithm; `rest` holds the nodes left over, which lie on or downstream of a cycle. */
function kahn(g: IndexedGraph): { order: number[]; rest: number[] } {
  const indegree = Int32Array.from(g.parents, (ps) => ps.length);
  const order: number[] = [];
  indegree.forEach((d, v) => d === 0 && order.push(v));
  for (let i = 0; i < order.length; i++) {
    for (const w of g.children[order[i]]) if (--indegree[w] === 0) order.push(w);
  }
  const rest: number[] = [];
  if (order.length < indegree.length) indegree.forEach((d, v) => d > 0 && rest.push(v));
  return { order, rest };
}

/**
 * A shortest cycle through a node that is surely on one, rotated to start at its smallest name
 * and closed (first node repeated), so the message is the same whatever order the jobs came in.
 * Precondition: `rest` is Kahn's leftover, so every node in it has a parent in it.
 */
function findCycle(g: IndexedGraph, rest: number[], list: JobNode[]): number[] {
  const inRest = new Set(rest);
  const byName = (a: number, b: number): number => (list[a].name < list[b].name ? -1 : list[a].name > list[b].name ? 1 : 0);
  const smallest = (xs: number[]): number => xs.reduce((m, x) => (byName(x, m) < 0 ? x : m));
  // Walking parents inside `rest` must revisit a node; the first revisited node is on a cycle.
  const seen = new Set<number>();
  let v = smallest(rest);
  while (!seen.has(v)) {
    seen.add(v);
    v = smallest(g.parents[v].filter((p) => inRest.has(p)));
  }
  // Breadth-first from v back to v gives a shortest cycle through it.
  const from = new Map<number, number>();
  const queue = [v];
  for (let i = 0; i < queue.length && !from.has(v); i++) {
    for (const w of [...g.children[queue[i]]].sort(byName)) {
      if (!inRest.has(w) || from.has(w)) continue;
      from.set(w, queue[i]);
      queue.push(w);
    }
  }
  const path = [v];
  for (let u = from.get(v)!; u !== v; u = from.get(u)!) path.push(u);
  path.reverse();
  const first = path.indexOf(smallest(path));
  const rotated = [...path.slice(first), ...path.slice(0, first)];
  return [...rotated, rotated[0]];
}

/** Jobs that list `name` as a parent, sorted. */
export function childrenOf(jobs: Iterable<JobNode>, name: string): string[] {
  const out: string[] = [];
  for (const j of jobs) if (j.parents.includes(name)) out.push(j.name);
  return out.sort();
}

/** Every job downstream of `name` (children, their children, …), sorted; never includes `name` unless on a cycle. */
export function descendantsOf(jobs: Iterable<JobNode>, name: string): string[] {
  const children = new Map<string, string[]>();
  for (const j of jobs) {
    for (const p of j.parents) {
      const list = children.get(p);
      if (list === undefined) children.set(p, [j.name]);
      else list.push(j.name);
    }
  }
  const seen = new Set<string>();
  const queue = [name];
  for (let i = 0; i < queue.length; i++) {
    for (const c of children.get(queue[i]) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      queue.push(c);
    }
  }
  return [...seen].sort();
}

/** Parent → child edges of a job set, for `toDot` and the graph API. */
export function edgesOf(jobs: Iterable<JobNode>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const j of jobs) for (const p of j.parents) out.push([p, j.name]);
  return out;
}

const DOT_STYLE: Record<JobStatus, string> = {
  success: 'style="rounded,filled", fillcolor="#c8e6c9", color="#2e7d32"',
  failure: 'style="rounded,filled", fillcolor="#ffcdd2", color="#c62828"',
  running: 'style="rounded,filled", fillcolor="#bbdefb", color="#1565c0"',
  fresh: 'style="rounded,filled", fillcolor="#eeeeee", color="#757575"',
  disabled: 'style="rounded,dashed", color="#9e9e9e", fontcolor="#9e9e9e"',
};

const quote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/**
 * Graphviz DOT of jobs coloured by status: success green, failure red, running blue, fresh grey,
 * disabled dashed. Nodes and edges are written in the order given.
 */
export function toDot(nodes: ReadonlyArray<{ name: string; status: JobStatus }>, edges: ReadonlyArray<readonly [string, string]>): string {
  const lines = ['digraph jobs {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of nodes) lines.push(`  ${quote(n.name)} [${DOT_STYLE[n.status]}];`);
  for (const [from, to] of edges) lines.push(`  ${quote(from)} -> ${quote(to)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

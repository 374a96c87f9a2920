import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { alg } from '@dagrejs/graphlib';
import { type JobNode, buildJobGraph, descendantsOf, validateGraph } from '../services/jobs/dag.ts';
import { type ChildTriggerState, onParentSucceeded } from '../services/jobs/trigger-state.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

/**
 * Job DAG at 10,000 jobs: `validateGraph` (runs on every job write, over every job) on a layered
 * ETL-like graph — 20 layers of 500 jobs, each below the first with 1–5 parents drawn from the
 * 1–3 layers above — on a 10,000-long chain (the deep case), and with a cycle to find and name.
 * graphlib's own build + topsort is measured on the same graph for comparison, and the pure
 * trigger-state step for a 1,000-child fan-out and a 1,000-parent fan-in.
 */

const GOAL_MS = 200;
const ITERATIONS = 20;
const WARMUP = 3;

/** mulberry32: a fixed seed gives the same graph on every machine. */
function seeded(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function layeredDag(layers: number, perLayer: number): JobNode[] {
  const random = seeded(42);
  const jobs: JobNode[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < perLayer; i++) {
      const parents = new Set<string>();
      const count = l === 0 ? 0 : 1 + Math.floor(random() * 5);
      for (let k = 0; k < count; k++) {
        const from = Math.max(0, l - 1 - Math.floor(random() * 3));
        parents.add(`etl.l${from}.j${Math.floor(random() * perLayer)}`);
      }
      jobs.push({ name: `etl.l${l}.j${i}`, parents: [...parents] });
    }
  }
  return jobs;
}

const chain = (n: number): JobNode[] => Array.from({ length: n }, (_, i) => ({ name: `step-${i}`, parents: i === 0 ? [] : [`step-${i - 1}`] }));

function time(fn: () => void, iterations = ITERATIONS, warmup = WARMUP): number[] {
  const times: number[] = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const start = performance.now();
    fn();
    const ms = performance.now() - start;
    if (i >= warmup) times.push(ms);
  }
  return times;
}

function row(scenario: string, jobs: JobNode[], times: number[], goal?: number): Record<string, string | number> {
  const median = percentile(times, 50);
  const p99 = percentile(times, 99);
  return {
    scenario,
    jobs: jobs.length,
    edges: jobs.reduce((n, j) => n + j.parents.length, 0),
    runs: times.length,
    'median ms': Number(median.toFixed(2)),
    'p99 ms': Number(p99.toFixed(2)),
    goal: goal === undefined ? '-' : `≤ ${goal} ms`,
    met: goal === undefined ? '-' : p99 <= goal ? 'yes' : 'NO',
  };
}

function expectOk(jobs: JobNode[], wantCycle: boolean): void {
  const r = validateGraph(jobs);
  if (r.ok === wantCycle) throw new Error(`bench input: expected ${wantCycle ? 'a cycle' : 'a valid graph'}`);
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n\n`);
  const dag = layeredDag(20, 500);
  const deep = chain(10_000);
  // One back edge from the last layer to the first closes a long cycle.
  const cyclic = dag.map((j) => (j.name === 'etl.l0.j0' ? { ...j, parents: ['etl.l19.j499'] } : j));
  const rootWithDescendants = dag.slice(0, 500).reduce((best, j) => {
    const n = descendantsOf(dag, j.name).length;
    return n > best.n ? { name: j.name, n } : best;
  }, { name: '', n: -1 });

  const fanOutChildren = Array.from({ length: 1000 }, (_, i) => ({ name: `child-${i}`, parents: ['parent'] }));
  const fanInParents = Array.from({ length: 1000 }, (_, i) => `parent-${i}`);
  const fanInChild = [{ name: 'join', parents: fanInParents }];

  printTable(`jobs DAG: validateGraph (validate + topological order), ${ITERATIONS} runs after ${WARMUP} warm-up`, [
    row('validateGraph, layered DAG', dag, time(() => expectOk(dag, false)), GOAL_MS),
    row('validateGraph, 10,000-long chain', deep, time(() => expectOk(deep, false)), GOAL_MS),
    row('validateGraph, layered DAG + cycle (named)', cyclic, time(() => expectOk(cyclic, true)), GOAL_MS),
    row('graphlib build + alg.topsort (comparison)', dag, time(() => alg.topsort(buildJobGraph(dag)), 5, 1)),
    row(`descendantsOf ${rootWithDescendants.name} (${rootWithDescendants.n} found)`, dag, time(() => descendantsOf(dag, rootWithDescendants.name))),
  ]);

  printTable('jobs DAG: trigger-state transitions (pure part of a parent success)', [
    row('onParentSucceeded, 1,000-child fan-out', [...fanOutChildren, { name: 'parent', parents: [] }], time(() => {
      const r = onParentSucceeded(new Map(), 'parent', fanOutChildren);
      if (r.ready.length !== 1000) throw new Error('bench: fan-out children not ready');
    })),
    row('1,000 parent successes into a 1,000-parent join', [...fanInChild, ...fanInParents.map((name) => ({ name, parents: [] }))], time(() => {
      const state = new Map<string, ChildTriggerState>();
      let ready = 0;
      for (const p of fanInParents) {
        const r = onParentSucceeded(state, p, fanInChild);
        for (const u of r.updates) state.set(u.child, u);
        ready += r.ready.length;
      }
      if (ready !== 1) throw new Error('bench: join should be ready exactly once');
    }, 5, 1)),
  ]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

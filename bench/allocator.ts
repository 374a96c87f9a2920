import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DrfAllocator, type Grant } from '../core/allocator/drf-allocator.ts';
import { res, seededRandom } from '../core/allocator/test-support.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

/**
 * Allocation cycle latency: N agents (cpus:16;mem:65536;disk:100000;ports:[31000-32000]) and 100
 * frameworks in 5 roles of different weights. Before each timed cycle every grant of the previous one is
 * recovered (untimed), so every cycle hands out every agent: the worst case for one cycle.
 * "declines" rows recover with refuse_seconds 5 s instead, so filters pile up and are consulted.
 */

const GOAL_MS = 20;
const ITERATIONS = 50;
const WARMUP = 5;

interface Scenario {
  agents: number;
  frameworks: number;
  refuseMs: number;
}

function measure({ agents, frameworks, refuseMs }: Scenario): Record<string, string | number> {
  const alloc = new DrfAllocator({ random: seededRandom(42) });
  const total = res('cpus:16;mem:65536;disk:100000;ports:[31000-32000]');
  for (let i = 0; i < agents; i++) alloc.addAgent(`agent-${i}`, total);
  for (let f = 0; f < frameworks; f++) alloc.setRoleWeight(`role-${f % 5}`, 1 + (f % 5));
  for (let f = 0; f < frameworks; f++) alloc.addFramework(`fw-${f}`, { role: `role-${f % 5}`, weight: 1 + (f % 3) });

  const times: number[] = [];
  let grants: Grant[] = [];
  let filters = 0;
  let now = 0;
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    for (const g of grants) alloc.recover(g.frameworkId, g.agentId, g.resources, { refuseMs, now });
    now += 1000;
    const start = performance.now();
    grants = alloc.runCycle(now);
    const ms = performance.now() - start;
    if (i >= WARMUP) times.push(ms);
    filters = Math.max(filters, alloc.stats().filters);
  }
  const median = percentile(times, 50);
  return {
    agents,
    frameworks,
    declines: refuseMs > 0 ? `refuse ${refuseMs / 1000} s` : 'none',
    'live filters': filters,
    'grants/cycle': grants.length,
    'min ms': Number(Math.min(...times).toFixed(2)),
    'median ms': Number(median.toFixed(2)),
    'p99 ms': Number(percentile(times, 99).toFixed(2)),
    goal: `≤ ${GOAL_MS} ms median`,
    met: median <= GOAL_MS ? 'yes' : 'NO',
  };
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n\n`);
  const scenarios: Scenario[] = [
    { agents: 1_000, frameworks: 100, refuseMs: 0 },
    { agents: 10_000, frameworks: 100, refuseMs: 0 },
    { agents: 10_000, frameworks: 100, refuseMs: 5000 },
  ];
  printTable(`allocator: DrfAllocator.runCycle, ${ITERATIONS} cycles after ${WARMUP} warm-up`, scenarios.map(measure));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

/**
 * The jobs service with real Redis, BullMQ, master and a real agent running real processes:
 * - trigger lateness: scheduled instant → launch accepted, and → task RUNNING, over ≥ 500 fires
 *   (goal p99 ≤ 100 ms / ≤ 250 ms);
 * - burst: 200 jobs due the same instant, all RUNNING within 2 s;
 * - fan-out: one parent with 1,000 children: parent success → every child run launched (accepted by the
 *   master: the "child triggering", goal ≤ 2 s) and → every child RUNNING (adds 1,000 real process
 *   starts on one agent), both printed;
 * - 10,000 defined jobs (each with 100 run durations): `GET /v1/jobs` p99 ≤ 100 ms, one job write at that
 *   size, and the service's memory (heap and RSS, in a process of its own so earlier parts do not count).
 *
 * The bench process holds the master, the agent and the jobs service, as `orrery up` does; the event-loop
 * delay it saw is printed with the lateness, since on a shared machine it is most of the tail.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { parseJobInput, type JobInput, type StoredJob } from '../services/jobs/job-model.ts';
import { jobKeys } from '../services/jobs/job-keys.ts';
import { JobStore, type JobChange } from '../services/jobs/job-store.ts';
import { JobsService } from '../services/jobs/jobs-service.ts';
import { jobsRoutes } from '../services/jobs/routes.ts';
import type { RunView } from '../services/jobs/run-model.ts';
import { DURATION_WINDOW, percentiles } from '../services/jobs/run-stats.ts';
import { DURATION_FIELDS } from '../services/jobs/run-store.ts';
import { buildHttpServer } from '../services/server/http-server.ts';
import { MetricsRegistry } from '../services/server/metrics.ts';
import { startCluster, type ClusterAgentSpec, type TestCluster } from '../test/helpers/cluster.ts';
import type { TestRedis } from '../test/helpers/redis.ts';
import { benchRedis } from './lib/bench-redis.ts';

type BenchRedisClient = Awaited<ReturnType<typeof benchRedis>>['redis'];
import { machineInfo, percentile, printTable } from './lib/report.ts';

type Row = Record<string, string | number>;
const logger = silentLogger();
const f1 = (n: number) => Number(n.toFixed(1));

/** Counts events by type, and resolves waits on counts (the bench waits on events, not by polling the service). */
class EventCounter {
  private readonly counts = new Map<string, number>();
  private waiters: Array<{ type: string; n: number; resolve: () => void }> = [];
  publish(type: string): void {
    const n = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, n);
    this.waiters = this.waiters.filter((w) => (w.type === type && n >= w.n ? (w.resolve(), false) : true));
  }
  /** Resolves once `n` events of `type` happened (counting from the start). */
  async until(type: string, n: number, timeoutMs: number): Promise<void> {
    if ((this.counts.get(type) ?? 0) >= n) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.waiters.push({ type, n, resolve })),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${this.counts.get(type) ?? 0}/${n} ${type} after ${timeoutMs} ms`)), timeoutMs))),
    ]);
    clearTimeout(timer);
  }
}

async function withCluster<T>(agents: ClusterAgentSpec[], fn: (c: TestCluster, service: JobsService, events: EventCounter) => Promise<T>): Promise<T> {
  const r = await benchRedis();
  // startCluster needs only the url (and never stops a Redis it was given).
  const redis = { url: r.url, stop: r.stop } as unknown as TestRedis;
  const cluster = await startCluster({ agents, redis, logger });
  const events = new EventCounter();
  const service = new JobsService({ transport: cluster.transport(), redisUrl: r.url, prefix: cluster.prefix, clock: systemClock, logger, events });
  await service.start();
  try {
    return await fn(cluster, service, events);
  } finally {
    await service.stop();
    await cluster.stop();
    await r.stop();
  }
}

async function define(service: JobsService, input: JobInput): Promise<void> {
  const spec = parseJobInput(input, systemClock.now());
  if (!spec.ok) throw new Error(JSON.stringify(spec.error));
  const r = await service.putJob(spec.value);
  if (!r.ok) throw new Error(r.error.message);
}

async function runsOf(service: JobsService, job: string): Promise<RunView[]> {
  const r = await service.listRuns(job, { limit: 1000, offset: 0 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.runs;
}

async function allRuns(service: JobsService, jobs: string[]): Promise<RunView[]> {
  return (await Promise.all(jobs.map((j) => runsOf(service, j)))).flat();
}

/** When the agent itself reported RUNNING (the master's task history), for splitting agent time from ours. */
const agentRunningAt = (cluster: TestCluster, r: RunView): number | undefined => cluster.master.tasks.get(r.taskId ?? '')?.history.find((e) => e.state === 'RUNNING')?.timestamp;

const lateness = (runs: RunView[], field: 'queuedAt' | 'launchedAt' | 'startedAt') => runs.filter((r) => r[field]).map((r) => Date.parse(r[field]!) - Date.parse(r.scheduledAt));
const agent = (resources: string): ClusterAgentSpec[] => [{ hostname: 'bench-agent', resources }];

async function triggerLateness(): Promise<Row[]> {
  const JOBS = 100;
  const FIRES = 5;
  return withCluster(agent('cpus:16;mem:16384;disk:1000'), async (cluster, service, events) => {
    const base = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    const names = Array.from({ length: JOBS }, (_, i) => `fire-${i}`);
    // Spread over the second (10 ms apart) so this measures steady fires, not a burst.
    for (let i = 0; i < JOBS; i++) await define(service, { name: names[i], command: 'true', schedule: `R${FIRES}/${new Date(base + i * 10).toISOString()}/PT1S`, cpus: 0.01, mem: 4 });
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    await events.until('run.finished', JOBS * FIRES, 60_000);
    loop.disable();
    const runs = await allRuns(service, names);
    const ok = runs.filter((r) => r.state === 'SUCCEEDED').length;
    const accepted = lateness(runs, 'launchedAt');
    const running = lateness(runs, 'startedAt');
    const step = (a: keyof RunView, b: keyof RunView) => runs.filter((r) => r[a] && r[b]).map((r) => Date.parse(r[b] as string) - Date.parse(r[a] as string));
    // The agent's own RUNNING time (from the master's task history) splits "accepted → RUNNING seen".
    const agentRunning = (r: RunView) => agentRunningAt(cluster, r);
    const agentSide = runs.filter((r) => r.launchedAt && agentRunning(r)).map((r) => agentRunning(r)! - Date.parse(r.launchedAt!));
    const deliverySide = runs.filter((r) => r.startedAt && agentRunning(r)).map((r) => Date.parse(r.startedAt!) - agentRunning(r)!);
    const parts: Array<[string, number[]]> = [['  of which scheduled → run queued (BullMQ, claim)', step('scheduledAt', 'queuedAt')], ['  of which queued → launch accepted (offer)', step('queuedAt', 'launchedAt')], ['  of which accepted → RUNNING seen', step('launchedAt', 'startedAt')], ['    accepted → agent reports RUNNING', agentSide], ['    agent RUNNING → run RUNNING (master, SDK, service)', deliverySide]];
    const rows: Row[] = [
      { measure: 'scheduled → launch accepted', fires: accepted.length, 'p50 ms': f1(percentile(accepted, 50)), 'p99 ms': f1(percentile(accepted, 99)), 'max ms': f1(Math.max(...accepted)), goal: 'p99 ≤ 100 ms', met: percentile(accepted, 99) <= 100 ? 'yes' : 'no' },
      { measure: 'scheduled → task RUNNING', fires: running.length, 'p50 ms': f1(percentile(running, 50)), 'p99 ms': f1(percentile(running, 99)), 'max ms': f1(Math.max(...running)), goal: 'p99 ≤ 250 ms', met: percentile(running, 99) <= 250 ? 'yes' : 'no', note: `${ok}/${runs.length} succeeded` },
      ...parts.map(([measure, t]) => ({ measure, fires: t.length, 'p50 ms': f1(percentile(t, 50)), 'p99 ms': f1(percentile(t, 99)), 'max ms': f1(Math.max(...t)) })),
      { measure: 'event-loop delay of the bench process meanwhile', 'p50 ms': f1(loop.percentile(50) / 1e6), 'p99 ms': f1(loop.percentile(99) / 1e6), 'max ms': f1(loop.max / 1e6), note: 'master + agent + jobs in one process, as `orrery up`' },
    ];
    return rows;
  });
}

async function burst(): Promise<Row[]> {
  const JOBS = 200;
  return withCluster(agent('cpus:16;mem:16384;disk:1000'), async (cluster, service, events) => {
    const at = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    const names = Array.from({ length: JOBS }, (_, i) => `burst-${i}`);
    for (const name of names) await define(service, { name, command: 'true', schedule: `R1/${new Date(at).toISOString()}/PT1H`, cpus: 0.01, mem: 4 });
    await events.until('run.finished', JOBS, 60_000);
    const runs = await allRuns(service, names);
    const running = lateness(runs, 'startedAt');
    const last = Math.max(...running);
    const accepted = lateness(runs, 'launchedAt');
    const agentSide = runs.filter((r) => agentRunningAt(cluster, r)).map((r) => agentRunningAt(cluster, r)! - at);
    const rows: Row[] = [
      { measure: `${JOBS} jobs due the same instant → all RUNNING`, fires: running.length, 'p50 ms': f1(percentile(running, 50)), 'p99 ms': f1(percentile(running, 99)), 'max ms': f1(last), goal: 'all ≤ 2000 ms', met: running.length === JOBS && last <= 2000 ? 'yes' : 'no' },
      { measure: '  of which due → run queued (BullMQ, claim)', fires: runs.length, 'p50 ms': f1(percentile(lateness(runs, 'queuedAt'), 50)), 'p99 ms': f1(percentile(lateness(runs, 'queuedAt'), 99)), 'max ms': f1(Math.max(...lateness(runs, 'queuedAt'))) },
      { measure: '  of which due → launch accepted', fires: accepted.length, 'p50 ms': f1(percentile(accepted, 50)), 'p99 ms': f1(percentile(accepted, 99)), 'max ms': f1(Math.max(...accepted)) },
      { measure: '  of which due → agent reports RUNNING', fires: agentSide.length, 'p50 ms': f1(percentile(agentSide, 50)), 'p99 ms': f1(percentile(agentSide, 99)), 'max ms': f1(Math.max(...agentSide)) },
    ];
    return rows;
  });
}

async function fanOut(): Promise<Row[]> {
  const CHILDREN = 1000;
  return withCluster(agent('cpus:32;mem:32768;disk:1000'), async (cluster, service, events) => {
    await define(service, { name: 'root', command: 'true', cpus: 0.01, mem: 4 });
    const names = Array.from({ length: CHILDREN }, (_, i) => `child-${i}`);
    for (const name of names) await define(service, { name, command: 'true', parents: ['root'], cpus: 0.01, mem: 4 });
    const started = await service.startRun('root');
    if (!started.ok) throw new Error(started.error.message);
    await events.until('run.finished', 1 + CHILDREN, 60_000);
    const [root] = await runsOf(service, 'root');
    const runs = await allRuns(service, names);
    const from = Date.parse(root.finishedAt!);
    const toRunning = runs.filter((r) => r.startedAt).map((r) => Date.parse(r.startedAt!) - from);
    const toQueued = runs.map((r) => Date.parse(r.queuedAt) - from);
    const last = Math.max(...toRunning);
    const toLaunched = runs.filter((r) => r.launchedAt).map((r) => Date.parse(r.launchedAt!) - from);
    const toAgentRunning = runs.filter((r) => agentRunningAt(cluster, r)).map((r) => agentRunningAt(cluster, r)! - from);
    const lastLaunched = Math.max(...toLaunched);
    const agentSpan = (Math.max(...toAgentRunning) - Math.min(...toAgentRunning)) / 1000;
    const rows: Row[] = [
      { measure: `parent success → ${CHILDREN} child runs created`, fires: toQueued.length, 'p50 ms': f1(percentile(toQueued, 50)), 'p99 ms': f1(percentile(toQueued, 99)), 'max ms': f1(Math.max(...toQueued)) },
      {
        measure: `parent success → all ${CHILDREN} child runs launched (accepted by the master)`,
        fires: toLaunched.length,
        'p50 ms': f1(percentile(toLaunched, 50)),
        'p99 ms': f1(percentile(toLaunched, 99)),
        'max ms': f1(lastLaunched),
        goal: 'all ≤ 2000 ms',
        met: toLaunched.length === CHILDREN && lastLaunched <= 2000 ? 'yes' : 'no',
        note: "the issue's child triggering",
      },
      {
        measure: `parent success → all ${CHILDREN} children RUNNING`,
        fires: toRunning.length,
        'p50 ms': f1(percentile(toRunning, 50)),
        'p99 ms': f1(percentile(toRunning, 99)),
        'max ms': f1(last),
        goal: 'all ≤ 2000 ms',
        met: toRunning.length === CHILDREN && last <= 2000 ? 'yes' : 'no',
        note: `adds ${CHILDREN} process starts on one agent (~${Math.round(CHILDREN / Math.max(agentSpan, 0.001))}/s here)`,
      },
      { measure: '  of which parent success → agent reports RUNNING', fires: toAgentRunning.length, 'p50 ms': f1(percentile(toAgentRunning, 50)), 'p99 ms': f1(percentile(toAgentRunning, 99)), 'max ms': f1(Math.max(...toAgentRunning)) },
    ];
    return rows;
  });
}

function gc(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

const MANY = 10_000;
const manyName = (i: number): string => `job-${String(i).padStart(5, '0')}`;

/**
 * Writes 10,000 definitions (half cron, half dependent) straight to the store in one transaction (10,000 API
 * writes would measure the writes, not the reads), and for each job 100 successes: their run times and the
 * percentiles the store keeps beside the counters (the list's, and the UI's p50 column).
 */
async function seedManyJobs(url: string, redis: BenchRedisClient, prefix: string): Promise<void> {
  const store = new JobStore({ redisUrl: url, prefix, logger });
  const now = Date.now();
  const changes: JobChange[] = [];
  for (let i = 0; i < MANY; i++) {
    const name = manyName(i);
    const input: JobInput = i % 2 === 0 ? { name, command: 'true', schedule: `${i % 60} ${i % 24} * * *`, owner: `team-${i % 10}` } : { name, command: 'true', parents: [manyName(i - 1)], owner: `team-${i % 10}` };
    const spec = parseJobInput(input, now);
    if (!spec.ok) throw new Error(JSON.stringify(spec.error));
    const job: StoredJob = { ...spec.value, createdAt: now, updatedAt: now, generation: 1, revision: 1 };
    changes.push({ put: job, resetCursorTo: now - 1 });
  }
  if ((await store.writeJobs(0, changes)).status !== 'ok') throw new Error('bulk write refused');
  await store.close();
  const keys = jobKeys(prefix);
  for (let i = 0; i < MANY; i += 500) {
    const p = redis.pipeline();
    for (let j = i; j < Math.min(MANY, i + 500); j++) {
      const window = Array.from({ length: DURATION_WINDOW }, (_, k) => 100 + ((j * 7 + k * 13) % 900));
      const d = percentiles(window)!;
      p.rpush(keys.durations(manyName(j)), ...window.map(String));
      p.hset(keys.counters(manyName(j)), 'successCount', DURATION_WINDOW, 'lastSuccess', now, DURATION_FIELDS.count, d.count, DURATION_FIELDS.p50, d.p50, DURATION_FIELDS.p90, d.p90, DURATION_FIELDS.p99, d.p99, DURATION_FIELDS.max, d.max);
    }
    await p.exec();
  }
}

/** The 10,000-jobs part: seeds Redis here, then measures in a fresh process, so its memory holds the service and not the seeding. */
async function manyJobsInChild(): Promise<void> {
  const r = await benchRedis();
  try {
    const prefix = 'bench-many';
    await seedManyJobs(r.url, r.redis, prefix);
    const self = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, [path.join(path.dirname(self), '../bin/run-ts.js'), self, '--many-child', r.url, prefix], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`the 10,000-jobs part exited with ${child.status ?? child.signal}`);
  } finally {
    await r.stop();
  }
}

async function manyJobs(url: string, prefix: string): Promise<Row[]> {
  const redis = { url, stop: async () => undefined } as unknown as TestRedis;
  // The master (no agents) keeps its registry under a prefix of its own; the jobs service reads the seeded one.
  const cluster = await startCluster({ agents: [], redis, logger });
  try {
    gc();
    const before = process.memoryUsage();
    const service = new JobsService({ transport: cluster.transport(), redisUrl: url, prefix, clock: systemClock, logger, events: { publish: () => undefined } });
    const t0 = performance.now();
    await service.start();
    const startMs = performance.now() - t0;
    gc();
    const after = process.memoryUsage();
    const mb = (bytes: number) => f1(bytes / 1024 / 1024);
    const app = await buildHttpServer({ logger, routes: [jobsRoutes({ jobs: () => service })], metrics: new MetricsRegistry({ defaultMetrics: false }) });
    await app.ready();
    const time = async (url: string, n: number, method: 'GET' | 'POST' = 'GET', payload?: (i: number) => object): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        const res = await app.inject({ method, url, ...(payload && { payload: payload(i) }) });
        out.push(performance.now() - s);
        if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
      return out;
    };
    const rows: Row[] = [];
    // Warms the HTTP path up with lists that hold no job (no durations read or cached).
    await time('/v1/jobs?name=no-such-job', 50);
    // Each page once, first, before anything was listed (nothing is cached per page: everything is in the catalog).
    const cold: number[] = [];
    for (let offset = 0; offset < MANY; offset += 100) cold.push(...(await time(`/v1/jobs?offset=${offset}`, 1)));
    rows.push({ measure: 'GET /v1/jobs, each of the 100 pages once', requests: cold.length, 'p50 ms': f1(percentile(cold, 50)), 'p99 ms': f1(percentile(cold, 99)), goal: 'p99 ≤ 100 ms', met: percentile(cold, 99) <= 100 ? 'yes' : 'no' });
    await time('/v1/jobs', 20);
    for (const [label, url] of [
      ['GET /v1/jobs (first 100 of 10,000, with duration p50)', '/v1/jobs'],
      ['GET /v1/jobs?offset=9900', '/v1/jobs?offset=9900'],
      ['GET /v1/jobs?owner=team-3&status=fresh', '/v1/jobs?owner=team-3&status=fresh'],
      ['GET /v1/jobs?name=job-099', '/v1/jobs?name=job-099'],
    ] as const) {
      const t = await time(url, 200);
      rows.push({ measure: label, requests: t.length, 'p50 ms': f1(percentile(t, 50)), 'p99 ms': f1(percentile(t, 99)), goal: 'p99 ≤ 100 ms', met: percentile(t, 99) <= 100 ? 'yes' : 'no' });
    }
    const writes = await time('/v1/jobs', 30, 'POST', (i) => ({ name: `extra-${i}`, command: 'true', parents: ['job-00001'] }));
    rows.push({ measure: 'POST /v1/jobs at 10,000 jobs (graph re-validated)', requests: writes.length, 'p50 ms': f1(percentile(writes, 50)), 'p99 ms': f1(percentile(writes, 99)) });
    rows.push({ measure: 'service start with 10,000 jobs (load, catch-up check, 5,000 triggers)', 'p50 ms': f1(startMs) });
    gc();
    const served = process.memoryUsage();
    rows.push({ measure: 'jobs service with 10,000 jobs: heap (after GC)', MB: mb(after.heapUsed - before.heapUsed), note: `process heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB; ${mb(served.heapUsed)} MB after the requests` });
    rows.push({ measure: 'jobs service with 10,000 jobs: RSS', MB: mb(after.rss - before.rss), note: `process RSS ${mb(before.rss)} MB before the service (master, no agents) → ${mb(after.rss)} MB` });
    await app.close();
    await service.stop();
    return rows;
  } finally {
    await cluster.stop();
  }
}

export async function run(): Promise<void> {
  const many = process.argv.indexOf('--many-child');
  if (many >= 0) {
    printTable('Jobs: 10,000 defined jobs (in-process inject; a fresh process)', await manyJobs(process.argv[many + 1], process.argv[many + 2]));
    return;
  }
  if (process.argv.includes('--many-only')) {
    await manyJobsInChild();
    return;
  }
  process.stdout.write(`${machineInfo()}\n`);
  if (process.argv.includes('--lateness-only')) {
    printTable('Jobs: trigger lateness over 500 fires (100 jobs × R5/…/PT1S, real agent, `true`)', await triggerLateness());
    return;
  }
  if (process.argv.includes('--fan-out-only')) {
    printTable('Jobs: dependency fan-out', await fanOut());
    return;
  }
  if (process.argv.includes('--burst-only')) {
    printTable('Jobs: burst', await burst());
    return;
  }
  printTable('Jobs: trigger lateness over 500 fires (100 jobs × R5/…/PT1S, real agent, `true`)', await triggerLateness());
  printTable('Jobs: burst', await burst());
  printTable('Jobs: dependency fan-out', await fanOut());
  // In a process of its own, so the memory figures hold the jobs service and not what earlier parts left.
  await manyJobsInChild();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

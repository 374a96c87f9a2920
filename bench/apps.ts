/**
 * The apps service end to end, in one process with a real master and a private redis-server:
 *
 *   (a) scale one app 0 → 1,000 instances on 50 simulated agents: time to all RUNNING (goal ≤ 5 s);
 *   (b) scale 0 → 50 real processes (`sleep`) on the real local agent: time to all RUNNING (goal ≤ 3 s);
 *   (c) 1,000 apps defined (one instance each, simulated agents): `GET /v1/apps` over real HTTP, p50/p99
 *       (goal p99 ≤ 100 ms);
 *   (d) replacement latency on the real agent, backoff 0: SIGKILL a task's process → its replacement RUNNING,
 *       p50 over 20 kills (goal ≤ 500 ms).
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { InProcessTransport, parseResources } from '../core/sdk/index.ts';
import { AppsService } from '../services/apps/apps-service.ts';
import { appsRoutes } from '../services/apps/routes.ts';
import { buildHttpServer } from '../services/server/http-server.ts';
import { MetricsRegistry } from '../services/server/metrics.ts';
import { startCluster, type TestCluster } from '../test/helpers/cluster.ts';
import { freshStore } from '../test/helpers/registry.ts';
import { SimulatedAgent } from '../test/helpers/simulated-agent.ts';
import { benchRedis } from './lib/bench-redis.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

type Row = Record<string, string | number>;

const res = (t: string) => {
  const r = parseResources(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** Resolves when `count` events of `type` (matching `pred`) have been published. */
class EventCounter {
  private waiters: Array<{ type: string; pred: (d: Record<string, unknown>) => boolean; left: number; resolve(): void }> = [];
  readonly sink = {
    publish: (type: string, data: Record<string, unknown>): void => {
      for (const w of this.waiters) {
        if (w.type === type && w.pred(data) && --w.left === 0) w.resolve();
      }
      this.waiters = this.waiters.filter((w) => w.left > 0);
    },
  };

  wait(type: string, count: number, pred: (d: Record<string, unknown>) => boolean = () => true, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} ${type}`)), timeoutMs);
      this.waiters.push({ type, pred, left: count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** A master with `agents` simulated agents, and an apps service on it. */
async function simulatedWorld(agents: number): Promise<{ service: AppsService; events: EventCounter; stop(): Promise<void> }> {
  const redis = await benchRedis();
  const prefix = `bench-${Date.now()}`;
  const store = await freshStore(redis.redis, prefix);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, completedTasksLimit: 1000, allocationIntervalMs: 200 });
  await master.start();
  for (let i = 0; i < agents; i++) await new SimulatedAgent({ hostname: `sim-${i}`, resources: res('cpus:16;mem:65536;ports:[31000-32000]') }).register(master);
  const events = new EventCounter();
  const service = new AppsService({ transport: new InProcessTransport(master), redisUrl: redis.url, prefix, clock: systemClock, logger: silentLogger(), events: events.sink });
  await service.start();
  return {
    service,
    events,
    stop: async () => {
      await service.stop();
      master.stop();
      await store.flush();
      await redis.stop();
    },
  };
}

async function scaleSimulated(): Promise<Row> {
  const world = await simulatedWorld(50);
  const created = world.events.wait('deployment.succeeded', 1, () => true);
  must(await world.service.createApp({ id: '/bench/sim', cmd: 'serve', instances: 0, cpus: 0.1, mem: 32, ports: [{}] }));
  await created;
  const all = world.events.wait('app.task_status', 1000, (d) => d.state === 'RUNNING');
  const t0 = performance.now();
  must(await world.service.scaleApp('/bench/sim', 1000));
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await world.stop();
  return { benchmark: 'scale 0 → 1,000 (50 simulated agents)', result: `${seconds.toFixed(2)} s`, goal: '≤ 5 s', met: seconds <= 5 ? 'yes' : 'no' };
}

async function localCluster(): Promise<{ cluster: TestCluster; service: AppsService; events: EventCounter }> {
  const cluster = await startCluster({ agents: [{ hostname: 'localhost', resources: 'cpus:8;mem:16384;disk:10000;ports:[31000-31999]' }] });
  const events = new EventCounter();
  const service = new AppsService({ transport: cluster.transport(), redisUrl: cluster.redis.url, prefix: cluster.prefix, clock: systemClock, logger: silentLogger(), events: events.sink });
  await service.start();
  return { cluster, service, events };
}

async function scaleReal(): Promise<Row> {
  const { cluster, service, events } = await localCluster();
  const created = events.wait('deployment.succeeded', 1, () => true);
  must(await service.createApp({ id: '/bench/real', cmd: 'exec sleep 600', instances: 0, cpus: 0.01, mem: 8 }));
  // A change while the app's deployment runs is refused (409, as in Marathon): scale once the create has ended.
  await created;
  const all = events.wait('app.task_status', 50, (d) => d.state === 'RUNNING');
  const t0 = performance.now();
  must(await service.scaleApp('/bench/real', 50));
  await all;
  const seconds = (performance.now() - t0) / 1000;
  await service.stop();
  await cluster.stop();
  return { benchmark: 'scale 0 → 50 real processes (local agent)', result: `${seconds.toFixed(2)} s`, goal: '≤ 3 s', met: seconds <= 3 ? 'yes' : 'no' };
}

async function listManyApps(): Promise<Row[]> {
  const world = await simulatedWorld(20);
  const running = world.events.wait('app.task_status', 1000, (d) => d.state === 'RUNNING', 120_000);
  for (let i = 0; i < 1000; i++) must(await world.service.createApp({ id: `/bench/app-${String(i).padStart(4, '0')}`, cmd: 'serve', instances: 1, cpus: 0.1, mem: 32, labels: { team: `t${i % 10}` }, env: { N: String(i) } }));
  await running;
  const http = await buildHttpServer({ logger: silentLogger(), routes: [appsRoutes({ apps: () => world.service })], metrics: new MetricsRegistry({ defaultMetrics: false }) });
  const url = await http.listen({ host: '127.0.0.1', port: 0 });
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 120; i++) {
    const t0 = performance.now();
    const r = await fetch(`${url}/v1/apps`);
    const body = await r.text();
    if (i >= 20) times.push(performance.now() - t0);
    bytes = body.length;
    if (r.status !== 200) throw new Error(`GET /v1/apps answered ${r.status}`);
  }
  // The same with a change (a scale of one app) before each request: every cached view is stale.
  const cold: number[] = [];
  for (let i = 0; i < 60; i++) {
    must(await world.service.scaleApp('/bench/app-0000', i % 2, { force: true }));
    const t0 = performance.now();
    const r = await fetch(`${url}/v1/apps`);
    await r.text();
    if (i >= 10) cold.push(performance.now() - t0);
  }
  await http.close();
  await world.stop();
  const row = (what: string, t: number[]): Row => {
    const p99 = percentile(t, 99);
    return { benchmark: `GET /v1/apps, 1,000 apps (${(bytes / 1e6).toFixed(1)} MB), ${what}`, result: `p50 ${percentile(t, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`, goal: 'p99 ≤ 100 ms', met: p99 <= 100 ? 'yes' : 'no' };
  };
  return [row('100 requests', times), row('50 requests, each after a change', cold)];
}

/** The task's process: the executor shim's child (RUNNING may be reported a moment before the shim forks it). */
async function childOf(executorPid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    // pgrep exits 1 when there is no match: read stdout rather than the exit status.
    const out = spawnSync('pgrep', ['-P', String(executorPid)], { encoding: 'utf8' }).stdout.trim();
    if (out) return Number(out.split('\n')[0]);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`executor ${executorPid} has no child`);
}

async function replacementLatency(): Promise<Row> {
  const { cluster, service, events } = await localCluster();
  must(await service.createApp({ id: '/bench/replace', cmd: 'exec sleep 600', instances: 5, cpus: 0.01, mem: 8, backoffSeconds: 0 }));
  await events.wait('app.task_status', 5, (d) => d.state === 'RUNNING');
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const tasks = must(service.tasks('/bench/replace')).filter((t) => t.state === 'RUNNING');
    const victim = String(tasks[i % tasks.length].id);
    const executorPid = cluster.master.tasks.get(victim)?.executorPid;
    if (!executorPid) throw new Error(`no executor pid for ${victim}`);
    const pid = await childOf(executorPid);
    const replaced = events.wait('app.task_status', 1, (d) => d.state === 'RUNNING' && d.taskId !== victim);
    const t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    await replaced;
    samples.push(performance.now() - t0);
  }
  await service.stop();
  await cluster.stop();
  const p50 = percentile(samples, 50);
  return { benchmark: 'replacement latency (SIGKILL → new RUNNING, backoff 0), 20 kills', result: `p50 ${p50.toFixed(0)} ms, p99 ${percentile(samples, 99).toFixed(0)} ms`, goal: 'p50 ≤ 500 ms', met: p50 <= 500 ? 'yes' : 'no' };
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  const rows = [await scaleSimulated(), await scaleReal(), ...(await listManyApps()), await replacementLatency()];
  printTable('Apps service (real master and Redis; simulated or real local agents)', rows);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

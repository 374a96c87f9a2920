/**
 * Real processes through the whole path, in one process: a framework (SchedulerDriver over InProcessTransport)
 * accepts offers of a real Master (registry in a private redis-server) for the real Agent on this host (work dir
 * in os.tmpdir()), which runs shell task `true` under its executor shim.
 *
 *   (a) latency from `driver.launch` (ACCEPT) to the framework's RUNNING, sequential (each task acknowledged to
 *       FINISHED before the next launch), after a warm-up;
 *   (b) launches per second: tasks of `true`, as many in flight as the offers allow, counted when the framework's
 *       acknowledgement of FINISHED has been accepted by the master;
 *   (c) the floor in the same run: bare `child_process.spawn('/bin/true')`, sequential latency and per second
 *       at 64 in flight, from this same (large) process.
 * Rates run in interleaved rounds with the floor, so load from other processes hits both alike.
 */
import { MetricsRegistry } from '../services/server/metrics.ts';
import { masterObserver } from '../services/server/metrics/master-metrics.ts';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent } from '../core/agent/agent.ts';
import { detectHostResources } from '../core/agent/host-resources.ts';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import {
  addResources,
  containsResources,
  emptyResources,
  InProcessTransport,
  parseResources,
  SchedulerDriver,
  subtractResources,
  type Offer,
  type Resources,
  type Scheduler,
  type TaskInfo,
  type TaskStatus,
} from '../core/sdk/index.ts';
import { freshStore } from '../test/helpers/registry.ts';
import { benchRedis } from './lib/bench-redis.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

const WARMUP = 30;
const SEQUENTIAL = 300;
const THROUGHPUT_TASKS = 1000;
const ROUNDS = 3;
const FLOOR_IN_FLIGHT = 64;
/** With the host's cpus as the agent's (2 here), 0.02 cpus lets the offers carry up to 100 tasks in flight. */
const TASK_SHAPE = 'cpus:0.02;mem:16';
const GOAL = { p50Ms: 15, p99Ms: 50, perSecond: 250 };

type Waiter = { resolve(status: TaskStatus): void };

/**
 * The bench's framework: keeps outstanding offers, records when each (task, state) arrived, acknowledges every
 * update explicitly and resolves waiters once the master accepted the acknowledgement.
 */
export class BenchFramework implements Scheduler {
  readonly outstanding = new Map<string, Offer>();
  /** Set while a throughput batch runs: every offer is answered at once. */
  onOffers?: (offers: Offer[]) => void;
  private readonly waiters = new Map<string, Waiter>();
  private readonly arrived = new Map<string, { status: TaskStatus; at: number; acked: boolean }>();
  private offerWaiter?: () => void;
  private readonly failures: string[] = [];

  offers(_driver: SchedulerDriver, offers: Offer[]): void {
    for (const o of offers) this.outstanding.set(o.id, o);
    if (this.onOffers) this.onOffers([...this.outstanding.values()]);
    this.offerWaiter?.();
  }

  rescinded(_driver: SchedulerDriver, offerId: string): void {
    this.outstanding.delete(offerId);
  }

  async update(driver: SchedulerDriver, status: TaskStatus): Promise<void> {
    const key = `${status.taskId} ${status.state}`;
    const entry = { status, at: performance.now(), acked: false };
    this.arrived.set(key, entry);
    this.waiters.get(`${key} arrived`)?.resolve(status);
    if (status.state !== 'RUNNING' && status.state !== 'FINISHED') this.failures.push(`${status.taskId}: ${status.state} ${status.message ?? ''}`);
    const acked = await driver.acknowledge(status);
    if (!acked.ok) throw new Error(`acknowledgement refused: ${acked.error.message}`);
    entry.acked = true;
    this.waiters.get(`${key} acked`)?.resolve(status);
  }

  /** Resolves with the arrival time of (task, state); `acked` waits for the acknowledgement too. */
  async when(taskId: string, state: TaskStatus['state'], acked = false): Promise<number> {
    const key = `${taskId} ${state}`;
    const seen = this.arrived.get(key);
    if (!seen || (acked && !seen.acked)) {
      await new Promise<TaskStatus>((resolve) => this.waiters.set(`${key} ${acked ? 'acked' : 'arrived'}`, { resolve }));
    }
    this.waiters.delete(`${key} ${acked ? 'acked' : 'arrived'}`);
    return (this.arrived.get(key) as { at: number }).at;
  }

  /** Takes every outstanding offer (one agent here), waiting for the next OFFERS event when none is left. */
  async takeOffers(): Promise<Offer[]> {
    while (this.outstanding.size === 0) await new Promise<void>((resolve) => (this.offerWaiter = resolve));
    const offers = [...this.outstanding.values()];
    this.outstanding.clear();
    return offers;
  }

  forget(taskId: string): void {
    for (const state of ['RUNNING', 'FINISHED']) this.arrived.delete(`${taskId} ${state}`);
  }

  checkFailures(): void {
    if (this.failures.length > 0) throw new Error(`tasks did not finish: ${this.failures.slice(0, 5).join('; ')}`);
  }
}

export function resources(text: string): Resources {
  const r = parseResources(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const taskOf = (taskId: string, agentId: string, shape: Resources): TaskInfo => ({
  taskId,
  name: 'bench-true',
  agentId,
  resources: shape,
  command: { shell: true, value: 'true' },
});

/** ACCEPT → RUNNING per task, one at a time; each task is acknowledged to FINISHED before the next. */
export async function sequential(driver: SchedulerDriver, fw: BenchFramework, prefix: string, count: number, shape: Resources): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const offers = await fw.takeOffers();
    const id = `${prefix}-${i}`;
    const t0 = performance.now();
    const accepted = await driver.launch(offers.map((o) => o.id), [taskOf(id, offers[0].agentId, shape)], { refuseSeconds: 0 });
    if (!accepted.ok) throw new Error(`launch refused: ${accepted.error.message}`);
    times.push((await fw.when(id, 'RUNNING')) - t0);
    await fw.when(id, 'FINISHED', true);
    fw.forget(id);
  }
  return times;
}

/** `total` tasks, every offer filled with as many as fit; resolves when the last FINISHED is acknowledged. */
export async function batch(driver: SchedulerDriver, fw: BenchFramework, prefix: string, total: number, shape: Resources): Promise<void> {
  let launched = 0;
  let finished = 0;
  const failures: string[] = [];
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const launchOne = (id: string) =>
    void fw.when(id, 'FINISHED', true).then(() => {
      fw.forget(id);
      if (++finished === total) allDone();
    });
  // Offers too small for a task stay outstanding and are combined with the agent's next offer in one ACCEPT.
  fw.onOffers = (offers) => {
    if (launched >= total || offers.length === 0) return;
    let left = offers.reduce((sum, o) => addResources(sum, o.resources), emptyResources());
    const tasks: TaskInfo[] = [];
    while (launched < total && containsResources(left, shape)) {
      tasks.push(taskOf(`${prefix}-${launched++}`, offers[0].agentId, shape));
      left = subtractResources(left, shape);
    }
    if (tasks.length === 0) return;
    for (const o of offers) fw.outstanding.delete(o.id);
    for (const t of tasks) launchOne(t.taskId);
    // Not awaited: the driver delivers events one at a time, and updates must keep flowing meanwhile.
    void driver.launch(offers.map((o) => o.id), tasks, { refuseSeconds: 0 }).then((r) => {
      if (!r.ok) failures.push(r.error.message);
    });
  };
  fw.onOffers([...fw.outstanding.values()]);
  await done;
  fw.onOffers = undefined;
  if (failures.length > 0) throw new Error(`launches refused: ${failures.slice(0, 3).join('; ')}`);
}

function spawnTrue(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

async function floorSequential(count: number): Promise<number[]> {
  for (let i = 0; i < 20; i++) await spawnTrue();
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await spawnTrue());
  return times;
}

async function floorBatch(total: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < total) await spawnTrue();
  };
  await Promise.all(Array.from({ length: FLOOR_IN_FLIGHT }, worker));
}

interface Rate {
  perSecond: number;
  /** This process's CPU (main thread + libuv pool) per item. */
  cpuMs: number;
  /** CPU per item of this process and every process it started (launcher helper, executors, commands). */
  treeCpuMs: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** utime + stime + cutime + cstime of a process, in ms: itself and its reaped descendants. */
function processTreeMs(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / TICKS_PER_S;
}

/** Live children of this process that are the agent's launcher helper (they reap the executors). */
function launcherHelpers(): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] !== String(process.pid)) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('launcher-helper.js')) pids.push(Number(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
  return pids;
}

/** CPU ms used so far by this process tree; helpers are sampled by pid (a helper alive at both ends counts). */
function treeSample(): Map<number | 'self', number> {
  const sample = new Map<number | 'self', number>([['self', processTreeMs('self')]]);
  for (const pid of launcherHelpers()) sample.set(pid, processTreeMs(pid));
  return sample;
}

async function measureRate(items: number, work: () => Promise<void>): Promise<Rate> {
  const tree0 = treeSample();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  let treeMs = 0;
  for (const [pid, ms] of treeSample()) treeMs += ms - (tree0.get(pid) ?? ms);
  return { perSecond: items / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / items, treeCpuMs: treeMs / items };
}

/**
 * The same floor from a fresh, small node process (a fork's cost grows with the forking process's memory): its
 * sequential latencies (first round only) and its rate at FLOOR_IN_FLIGHT, with its own and its children's CPU.
 */
const FRESH_FLOOR = `
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const [sequential, total, inFlight] = process.argv.slice(1).map(Number);
const once = () => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const child = spawn('/bin/true', [], { stdio: 'ignore' });
  child.once('error', reject);
  child.once('exit', () => resolve(performance.now() - t0));
});
const treeMs = () => { const s = readFileSync('/proc/self/stat', 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return (+f[11] + +f[12] + +f[13] + +f[14]) * 10; };
for (let i = 0; i < 20; i++) await once();
const latency = [];
for (let i = 0; i < sequential; i++) latency.push(await once());
const cpu0 = process.cpuUsage(); const tree0 = treeMs(); const t0 = performance.now();
let next = 0;
await Promise.all(Array.from({ length: inFlight }, async () => { while (next++ < total) await once(); }));
const seconds = (performance.now() - t0) / 1000; const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ latency, perSecond: total / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / total, treeCpuMs: (treeMs() - tree0) / total }));
`;

async function freshFloor(sequentialCount: number): Promise<{ latency: number[]; rate: Rate }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', FRESH_FLOOR, String(sequentialCount), String(THROUGHPUT_TASKS), String(FLOOR_IN_FLIGHT)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {},
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`fresh-process floor exited with ${code}`);
  const { latency, ...rate } = JSON.parse(out) as { latency: number[] } & Rate;
  return { latency, rate };
}

const ms = (v: number) => Number(v.toFixed(2));
const median = (values: number[]) => percentile(values, 50);
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

export async function run(): Promise<void> {
  const redis = await benchRedis();
  const store = await freshStore(redis.redis);
  // With the metrics hooks `orrery up` installs (allocation cycle and status update latency histograms).
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, observer: masterObserver(new MetricsRegistry({ defaultMetrics: false })) });
  const workDir = await mkdtemp(join(tmpdir(), 'orrery-bench-launch-'));
  const agent = new Agent({ workDir, resources: detectHostResources(workDir), attributes: {}, clock: systemClock, logger: silentLogger() });
  const fw = new BenchFramework();
  const driver = new SchedulerDriver(new InProcessTransport(master), { name: 'bench-launch' }, fw, { logger: silentLogger(), implicitAcknowledgements: false });
  const shape = resources(TASK_SHAPE);
  try {
    await master.start();
    await agent.start(master);
    const subscribed = await driver.start();
    if (!subscribed.ok) throw new Error(subscribed.error.message);
    master.runAllocation();
    await sequential(driver, fw, 'warm', WARMUP, shape);
    const latency = await sequential(driver, fw, 'seq', SEQUENTIAL, shape);
    const floorLatency = await floorSequential(SEQUENTIAL);
    const rates = { path: [] as Rate[], floor: [] as Rate[], fresh: [] as Rate[] };
    let freshLatency: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      rates.path.push(await measureRate(THROUGHPUT_TASKS, () => batch(driver, fw, `tp${r}`, THROUGHPUT_TASKS, shape)));
      rates.floor.push(await measureRate(THROUGHPUT_TASKS, () => floorBatch(THROUGHPUT_TASKS)));
      const fresh = await freshFloor(r === 0 ? SEQUENTIAL : 0);
      if (r === 0) freshLatency = fresh.latency;
      rates.fresh.push(fresh.rate);
    }
    fw.checkFailures();

    const p50 = percentile(latency, 50);
    const p99 = percentile(latency, 99);
    const perS = (list: Rate[]) => list.map((r) => r.perSecond);
    const rate = median(perS(rates.path));
    const rateCells = (list: Rate[]) => ({
      value: `${Math.round(median(perS(list)))}/s`,
      rounds: `${Math.round(Math.min(...perS(list)))}-${Math.round(Math.max(...perS(list)))}/s`,
      'cpu ms/task: this process': ms(median(list.map((r) => r.cpuMs))),
      'all processes': ms(median(list.map((r) => r.treeCpuMs))),
    });
    const latencyCell = (v: number[]) => `${ms(percentile(v, 50))} / ${ms(percentile(v, 99))} ms`;
    const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    process.stdout.write(`${machineInfo()}\nbench process RSS ${rssMb} MB, agent work dir in ${tmpdir()}\n\n`);
    printTable(`Real launches of \`true\`: framework (SDK) → master (Redis registry) → agent → executor, with the floor of this run`, [
      { measurement: `ACCEPT → RUNNING, sequential, p50 (n=${SEQUENTIAL} after ${WARMUP})`, value: `${ms(p50)} ms`, goal: `≤ ${GOAL.p50Ms} ms`, met: met(p50 <= GOAL.p50Ms) },
      { measurement: 'ACCEPT → RUNNING, sequential, p99', value: `${ms(p99)} ms`, goal: `≤ ${GOAL.p99Ms} ms`, met: met(p99 <= GOAL.p99Ms) },
      { measurement: `launches/s to FINISHED acked, median of ${ROUNDS} × ${THROUGHPUT_TASKS}`, ...rateCells(rates.path), goal: `≥ ${GOAL.perSecond}/s`, met: met(rate >= GOAL.perSecond) },
      { measurement: `floor: spawn(/bin/true) → exit, sequential, p50 / p99, this process (${rssMb} MB)`, value: latencyCell(floorLatency) },
      { measurement: 'floor: same, from a fresh node process', value: latencyCell(freshLatency) },
      { measurement: `floor: spawn(/bin/true) per s, ${FLOOR_IN_FLIGHT} in flight, this process`, ...rateCells(rates.floor) },
      { measurement: 'floor: same, from a fresh node process', ...rateCells(rates.fresh) },
    ]);
    const cores = cpus().length;
    const capacity = (list: Rate[]) => Math.round((cores * 1000) / median(list.map((r) => r.treeCpuMs)));
    process.stdout.write(
      [
        'cpu ms/task: the measuring process only (for launches: master, agent, framework, Redis client); all processes adds',
        'what it started (launcher helper, executors, commands). Rates follow the CPU other processes leave (see the load',
        `average); at these CPU costs ${cores} idle cores would sustain ≈ ${capacity(rates.path)} launches/s (bare spawns ≈ ${capacity(rates.fresh)}/s from a`,
        'fresh node). File creation in os.tmpdir() is part of the cost: see core/agent/README.md on ext4 without a journal.',
      ].join('\n') + '\n',
    );
  } finally {
    driver.stop();
    await agent.stop({ killTasks: true });
    master.stop();
    await store.flush().catch((e: unknown) => process.stderr.write(`registry flush failed: ${String(e)}\n`));
    await redis.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

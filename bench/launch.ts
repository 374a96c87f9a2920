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
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
class BenchFramework implements Scheduler {
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

function resources(text: string): Resources {
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
async function sequential(driver: SchedulerDriver, fw: BenchFramework, prefix: string, count: number, shape: Resources): Promise<number[]> {
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
async function batch(driver: SchedulerDriver, fw: BenchFramework, prefix: string, total: number, shape: Resources): Promise<void> {
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

async function perSecond(items: number, work: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await work();
  return items / ((performance.now() - t0) / 1000);
}

const ms = (v: number) => Number(v.toFixed(2));
const median = (values: number[]) => percentile(values, 50);
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

export async function run(): Promise<void> {
  const redis = await benchRedis();
  const store = await freshStore(redis.redis);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0 });
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
    const rates = { path: [] as number[], floor: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      rates.path.push(await perSecond(THROUGHPUT_TASKS, () => batch(driver, fw, `tp${r}`, THROUGHPUT_TASKS, shape)));
      rates.floor.push(await perSecond(THROUGHPUT_TASKS, () => floorBatch(THROUGHPUT_TASKS)));
    }
    fw.checkFailures();

    const p50 = percentile(latency, 50);
    const p99 = percentile(latency, 99);
    const rate = median(rates.path);
    const floorRate = median(rates.floor);
    const range = (v: number[]) => `${Math.round(Math.min(...v))}-${Math.round(Math.max(...v))}`;
    process.stdout.write(`${machineInfo()}\nprocess RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB, agent work dir ${workDir}, isolators ${agent.isolators().join(', ')}\n\n`);
    printTable(`Real launches of \`true\` through master (Redis registry) + agent + SDK framework; floor = bare spawn('/bin/true') in the same process and run`, [
      { measurement: `ACCEPT → RUNNING, sequential, p50 (n=${SEQUENTIAL}, ${WARMUP} warm-up)`, value: `${ms(p50)} ms`, floor: `${ms(percentile(floorLatency, 50))} ms`, goal: `≤ ${GOAL.p50Ms} ms`, met: met(p50 <= GOAL.p50Ms) },
      { measurement: 'ACCEPT → RUNNING, sequential, p99', value: `${ms(p99)} ms`, floor: `${ms(percentile(floorLatency, 99))} ms`, goal: `≤ ${GOAL.p99Ms} ms`, met: met(p99 <= GOAL.p99Ms) },
      {
        measurement: `launches/s to FINISHED acked (${THROUGHPUT_TASKS}/round, median of ${ROUNDS}: ${range(rates.path)}; floor at ${FLOOR_IN_FLIGHT} in flight: ${range(rates.floor)})`,
        value: `${Math.round(rate)}/s`,
        floor: `${Math.round(floorRate)}/s`,
        goal: `≥ ${GOAL.perSecond}/s`,
        met: met(rate >= GOAL.perSecond),
      },
    ]);
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

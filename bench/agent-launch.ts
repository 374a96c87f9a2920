import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent } from '../core/agent/agent.ts';
import { EXECUTOR_SHIM } from '../core/agent/executor-launcher.ts';
import { detectHostResources } from '../core/agent/host-resources.ts';
import type { AgentLink, AgentRegistration, MasterForAgents } from '../core/agent/protocol.ts';
import { systemClock } from '../core/clock/clock.ts';
import { ok, type Result } from '../core/errors/result.ts';
import { silentLogger } from '../core/logging/logger.ts';
import type { CallError, TaskInfo, TaskStatus } from '../core/sdk/protocol.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

/**
 * Agent launch cost with real processes and an in-process master that acknowledges at once:
 * (1) launch() → RUNNING latency, sequential; (2) launches/s to FINISHED with a bounded number in flight;
 * (3) the floor on this machine: bare spawn('/bin/true') and the bare executor shim, in the same run.
 */

const SEQUENTIAL = 300;
const WARMUP = 20;
const THROUGHPUT_TASKS = 1000;
const IN_FLIGHT = 64;
const GOAL_P50_MS = 15;
const GOAL_PER_S = 250;

/** Records updates, acknowledges each at once, and resolves waiters on (task, state). */
class BenchMaster implements MasterForAgents {
  private link?: AgentLink;
  private readonly waiters = new Map<string, (s: TaskStatus) => void>();
  private readonly seen = new Map<string, TaskStatus>();

  async registerAgent(_reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    this.link = link;
    return ok({ agentId: 'bench-agent' });
  }

  statusUpdate(_agentId: string, status: TaskStatus): void {
    const key = `${status.taskId} ${status.state}`;
    this.seen.set(key, status);
    this.waiters.get(key)?.(status);
    this.waiters.delete(key);
    queueMicrotask(() => this.link?.acknowledge(status.taskId, status.uuid as string));
  }

  next(taskId: string, state: TaskStatus['state']): Promise<TaskStatus> {
    const key = `${taskId} ${state}`;
    const done = this.seen.get(key);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.waiters.set(key, resolve));
  }
}

const task = (taskId: string): TaskInfo => ({
  taskId,
  name: taskId,
  agentId: 'bench-agent',
  resources: { scalars: { cpus: 0.01 }, ranges: {}, sets: {} },
  command: { shell: true, value: 'true' },
});

interface Row extends Record<string, string | number> {}

function latencyRow(what: string, ms: number[], goal = '', met = ''): Row {
  return { measurement: what, n: ms.length, 'p50 ms': round(percentile(ms, 50)), 'p99 ms': round(percentile(ms, 99)), 'per s': '', goal, met };
}

function rateRow(what: string, n: number, seconds: number, goal = '', met = ''): Row {
  return { measurement: what, n, 'p50 ms': '', 'p99 ms': '', 'per s': Math.round(n / seconds), goal, met };
}

const round = (v: number) => Number(v.toFixed(2));

async function agentLatency(agent: Agent, master: BenchMaster, prefix: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    const t0 = performance.now();
    agent.launch('bench-fw', task(id));
    await master.next(id, 'RUNNING');
    times.push(performance.now() - t0);
    await master.next(id, 'FINISHED');
  }
  return times;
}

async function agentThroughput(agent: Agent, master: BenchMaster): Promise<{ seconds: number; running: number[] }> {
  const running: number[] = [];
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < THROUGHPUT_TASKS) {
      const id = `tp-${next++}`;
      const started = performance.now();
      agent.launch('bench-fw', task(id));
      await master.next(id, 'RUNNING');
      running.push(performance.now() - started);
      await master.next(id, 'FINISHED');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { seconds: (performance.now() - t0) / 1000, running };
}

function spawnOnce(cmd: string, args: string[], opts: { detached: boolean; cwd?: string }): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', ...opts });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

async function spawnSequential(cmd: string, args: string[], count: number, cwd?: string): Promise<number[]> {
  for (let i = 0; i < 10; i++) await spawnOnce(cmd, args, { detached: true, cwd });
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await spawnOnce(cmd, args, { detached: true, cwd }));
  return times;
}

async function spawnThroughput(cmd: string, args: string[], total: number, concurrency: number, cwd?: string): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next++ < total) await spawnOnce(cmd, args, { detached: true, cwd });
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n\n`);
  const workDir = await mkdtemp(join(tmpdir(), 'orrery-bench-agent-'));
  const scratch = await mkdtemp(join(tmpdir(), 'orrery-bench-shim-'));
  try {
    const master = new BenchMaster();
    const agent = new Agent({
      workDir,
      resources: detectHostResources(workDir),
      attributes: {},
      clock: systemClock,
      logger: silentLogger(),
    });
    await agent.start(master);
    await agentLatency(agent, master, 'warm', WARMUP);
    const sequential = await agentLatency(agent, master, 'seq', SEQUENTIAL);
    const throughput = await agentThroughput(agent, master);
    await agent.stop({ killTasks: true });

    const trueSeq = await spawnSequential('/bin/true', [], SEQUENTIAL);
    const trueRate = await spawnThroughput('/bin/true', [], THROUGHPUT_TASKS, IN_FLIGHT);
    const shimArgs = [EXECUTOR_SHIM, '/bin/sh', '-c', 'true'];
    const shimSeq = await spawnSequential('/bin/sh', shimArgs, SEQUENTIAL, scratch);
    const shimRate = await spawnThroughput('/bin/sh', shimArgs, THROUGHPUT_TASKS, IN_FLIGHT, scratch);

    const p50 = percentile(sequential, 50);
    const perSecond = THROUGHPUT_TASKS / throughput.seconds;
    printTable(`agent launch: shell task \`true\`, in-process master acknowledging at once`, [
      latencyRow(`agent launch() → RUNNING, sequential`, sequential, `p50 ≤ ${GOAL_P50_MS} ms`, p50 <= GOAL_P50_MS ? 'yes' : 'NO'),
      latencyRow(`agent launch() → RUNNING, ${IN_FLIGHT} in flight`, throughput.running),
      rateRow(`agent launch → FINISHED, ${IN_FLIGHT} in flight`, THROUGHPUT_TASKS, throughput.seconds, `≥ ${GOAL_PER_S}/s`, perSecond >= GOAL_PER_S ? 'yes' : 'NO'),
      latencyRow('floor: spawn(/bin/true) → exit, sequential', trueSeq),
      rateRow(`floor: spawn(/bin/true), ${IN_FLIGHT} in flight`, THROUGHPUT_TASKS, trueRate),
      latencyRow('floor: bare shim + sh -c true → exit, sequential', shimSeq),
      rateRow(`floor: bare shim + sh -c true, ${IN_FLIGHT} in flight`, THROUGHPUT_TASKS, shimRate),
    ]);
  } finally {
    await rm(workDir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

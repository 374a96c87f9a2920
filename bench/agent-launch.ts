import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent } from '../core/agent/agent.ts';
import { EXECUTOR_SHIM } from '../core/agent/executor-launcher.ts';
import { detectHostResources } from '../core/agent/host-resources.ts';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import type { TaskInfo } from '../core/sdk/protocol.ts';
import { BenchMaster, trueTask } from './lib/bench-master.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

/**
 * Agent launch cost with real processes and an in-process master that acknowledges at once:
 * (1) launch() → RUNNING latency, sequential; (2) launches/s to FINISHED with a bounded number in flight;
 * (3) the floor on this machine: bare spawn('/bin/true') and the bare executor shim, in the same run.
 * The agent runs with its default launcher helper and with `executorLauncher: 'in-process'` (forks from this
 * process), both with the work dir in os.tmpdir(), and with the helper on tmpfs.
 * Each launch creates 5 inodes (2 sandbox dirs, stdout, stderr, exit_status) and deletes none; on an ext4 without a
 * journal (this VM's root) every inode allocation scans the inodes freed in the last minutes (by anyone), so
 * file creation costs depend on the machine's recent history, and tmpfs shows the cost without it.
 * "cpu ms/item" is this process's CPU (main thread + libuv pool) per launch, helper and executors not included:
 * steadier than rates when other processes load the machine.
 */

const SEQUENTIAL = 300;
const WARMUP = 20;
const THROUGHPUT_TASKS = 1000;
const IN_FLIGHT = 64;
const ROUNDS = 3;
const GOAL_P50_MS = 15;
const GOAL_PER_S = 250;

const task = (taskId: string): TaskInfo => trueTask(taskId, { cpus: 0.01 });

type Row = Record<string, string | number>;

const round = (v: number) => Number(v.toFixed(2));
const median = (values: number[]) => percentile(values, 50);

/** Wall-clock rate and CPU time of this process (main thread + libuv pool) per item, for one measured batch. */
interface Rate {
  perSecond: number;
  cpuMsPerItem: number;
}

async function measureRate(items: number, work: () => Promise<void>): Promise<Rate> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { perSecond: items / seconds, cpuMsPerItem: (cpu.user + cpu.system) / 1000 / items };
}

function latencyRow(what: string, ms: number[], goal = '', met = ''): Row {
  return { measurement: what, n: ms.length, 'p50 ms': round(percentile(ms, 50)), 'p99 ms': round(percentile(ms, 99)), goal, met };
}

function rateRow(what: string, rates: Rate[], goal = '', met = ''): Row {
  const perSecond = rates.map((r) => r.perSecond);
  return {
    measurement: what,
    n: THROUGHPUT_TASKS,
    'per s (median)': Math.round(median(perSecond)),
    'per s (min-max)': `${Math.round(Math.min(...perSecond))}-${Math.round(Math.max(...perSecond))}`,
    'cpu ms/item': round(median(rates.map((r) => r.cpuMsPerItem))),
    goal,
    met,
  };
}

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

/** THROUGHPUT_TASKS launches, at most IN_FLIGHT between launch() and FINISHED. */
async function agentBatch(agent: Agent, master: BenchMaster, prefix: string, running: number[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < THROUGHPUT_TASKS) {
      const id = `${prefix}-${next++}`;
      const started = performance.now();
      agent.launch('bench-fw', task(id));
      await master.next(id, 'RUNNING');
      running.push(performance.now() - started);
      await master.next(id, 'FINISHED');
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

function spawnOnce(cmd: string, args: string[], cwd?: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, cwd });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

async function spawnSequential(cmd: string, args: string[], count: number, cwd?: string): Promise<number[]> {
  for (let i = 0; i < 10; i++) await spawnOnce(cmd, args, cwd);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await spawnOnce(cmd, args, cwd));
  return times;
}

async function spawnBatch(cmd: string, args: string[], cwd?: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next++ < THROUGHPUT_TASKS) await spawnOnce(cmd, args, cwd);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** tmpfs, when the machine has one: isolates the agent's own cost from the work dir's filesystem. */
const TMPFS = '/dev/shm';

async function startAgent(parent: string, executorLauncher: 'helper' | 'in-process' = 'helper'): Promise<{ agent: Agent; master: BenchMaster; workDir: string }> {
  const workDir = await mkdtemp(join(parent, 'orrery-bench-agent-'));
  const master = new BenchMaster();
  const agent = new Agent({ workDir, resources: detectHostResources(workDir), attributes: {}, clock: systemClock, logger: silentLogger(), executorLauncher });
  await agent.start(master);
  await agentLatency(agent, master, 'warm', WARMUP);
  return { agent, master, workDir };
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n\n`);
  const scratch = await mkdtemp(join(tmpdir(), 'orrery-bench-shim-'));
  const shimArgs = [EXECUTOR_SHIM, '/bin/sh', '-c', 'true'];
  const disk = await startAgent(tmpdir());
  const forking = await startAgent(tmpdir(), 'in-process');
  const ram = existsSync(TMPFS) ? await startAgent(TMPFS) : undefined;
  try {
    const sequential = await agentLatency(disk.agent, disk.master, 'seq', SEQUENTIAL);
    const sequentialForking = await agentLatency(forking.agent, forking.master, 'seq', SEQUENTIAL);
    const sequentialRam = ram ? await agentLatency(ram.agent, ram.master, 'seq', SEQUENTIAL) : [];
    const trueSeq = await spawnSequential('/bin/true', [], SEQUENTIAL);
    const shimSeq = await spawnSequential('/bin/sh', shimArgs, SEQUENTIAL, scratch);

    // Rounds interleave the agents and the floors so that load from other processes hits all of them alike.
    const rates = { disk: [] as Rate[], forking: [] as Rate[], ram: [] as Rate[], bare: [] as Rate[], shim: [] as Rate[] };
    const runningUnderLoad: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      rates.disk.push(await measureRate(THROUGHPUT_TASKS, () => agentBatch(disk.agent, disk.master, `tp${r}`, runningUnderLoad)));
      rates.forking.push(await measureRate(THROUGHPUT_TASKS, () => agentBatch(forking.agent, forking.master, `tp${r}`, [])));
      if (ram) rates.ram.push(await measureRate(THROUGHPUT_TASKS, () => agentBatch(ram.agent, ram.master, `tp${r}`, [])));
      rates.bare.push(await measureRate(THROUGHPUT_TASKS, () => spawnBatch('/bin/true', [])));
      rates.shim.push(await measureRate(THROUGHPUT_TASKS, () => spawnBatch('/bin/sh', shimArgs, scratch)));
    }

    const p50 = percentile(sequential, 50);
    const perSecond = median(rates.disk.map((r) => r.perSecond));
    const where = `work dir in ${tmpdir()}`;
    printTable(`agent launch latency: shell task \`true\`, in-process master acknowledging at once (after ${WARMUP} warm-up)`, [
      latencyRow(`agent launch() → RUNNING, sequential, ${where}`, sequential, `p50 ≤ ${GOAL_P50_MS} ms`, p50 <= GOAL_P50_MS ? 'yes' : 'NO'),
      latencyRow(`same, executorLauncher 'in-process'`, sequentialForking),
      ...(ram ? [latencyRow(`agent launch() → RUNNING, sequential, work dir in ${TMPFS}`, sequentialRam)] : []),
      latencyRow(`agent launch() → RUNNING, ${IN_FLIGHT} in flight, ${where}`, runningUnderLoad),
      latencyRow('floor: spawn(/bin/true) → exit, sequential', trueSeq),
      latencyRow('floor: bare shim + sh -c true → exit, sequential', shimSeq),
    ]);
    printTable(`launch rate: ${THROUGHPUT_TASKS} per batch, at most ${IN_FLIGHT} in flight, ${ROUNDS} interleaved rounds`, [
      rateRow(`agent launch() → FINISHED, ${where}`, rates.disk, `≥ ${GOAL_PER_S}/s`, perSecond >= GOAL_PER_S ? 'yes' : 'NO'),
      rateRow(`same, executorLauncher 'in-process'`, rates.forking),
      ...(ram ? [rateRow(`agent launch() → FINISHED, work dir in ${TMPFS}`, rates.ram)] : []),
      rateRow('floor: spawn(/bin/true) → exit', rates.bare),
      rateRow('floor: bare shim + sh -c true → exit (same sandbox)', rates.shim),
    ]);
  } finally {
    for (const a of [disk, forking, ram]) {
      if (!a) continue;
      await a.agent.stop({ killTasks: true });
      await rm(a.workDir, { recursive: true, force: true });
    }
    await rm(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

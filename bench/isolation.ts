import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent } from '../core/agent/agent.ts';
import { cgroupsUnavailableReason } from '../core/agent/isolation/select-isolators.ts';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import type { TaskInfo } from '../core/sdk/protocol.ts';
import { BenchMaster, trueTask } from './lib/bench-master.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

/**
 * What isolation adds to a launch: the agent runs shell task `true` (cpus 0.1, mem 32) under `posix` and under
 * `cgroups` (and `cgroups,pid`), sequentially, in interleaved rounds so that load from other processes hits all
 * alike; beside them the floor, a bare spawn('/bin/true'). Per launch, cgroups creates the task's cgroups (one per
 * hierarchy: memory, cpu, cpuacct, pids here) and writes its limits before the spawn, the shim joins them (a shell
 * builtin per hierarchy), and they are removed after the exit; posix adds one `ulimit` builtin and, while the task
 * lives, RSS polling. Latencies: launch() → RUNNING (what the goal is about) and launch() → FINISHED (the whole
 * life of `true`, cleanup included).
 */

const PER_ROUND = 50;
const ROUNDS = 6;
const WARMUP = 20;
const GOAL_ADDED_P50_MS = 5;

const task = (taskId: string): TaskInfo => trueTask(taskId, { cpus: 0.1, mem: 32 });

interface Subject {
  label: string;
  agent: Agent;
  master: BenchMaster;
  workDir: string;
  running: number[];
  finished: number[];
}

async function startSubject(isolation: string): Promise<Subject> {
  const workDir = await mkdtemp(join(tmpdir(), 'orrery-bench-iso-'));
  const master = new BenchMaster();
  const agent = new Agent({
    workDir,
    resources: { scalars: { cpus: 2, mem: 4096 }, ranges: {}, sets: {} },
    attributes: {},
    clock: systemClock,
    logger: silentLogger(),
    isolation,
  });
  await agent.start(master);
  const subject = { label: `${isolation} (${agent.isolators().slice(2).join(', ')})`, agent, master, workDir, running: [], finished: [] };
  await launchSequential(subject, 'warm', WARMUP, false);
  return subject;
}

async function launchSequential(s: Subject, prefix: string, count: number, record = true): Promise<void> {
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    const t0 = performance.now();
    s.agent.launch('bench-fw', task(id));
    await s.master.next(id, 'RUNNING');
    const running = performance.now() - t0;
    await s.master.next(id, 'FINISHED');
    if (!record) continue;
    s.running.push(running);
    s.finished.push(performance.now() - t0);
  }
}

function spawnTrue(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('exit', () => resolve(performance.now() - t0));
  });
}

const round2 = (v: number) => Number(v.toFixed(2));

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n\n`);
  const noCgroups = cgroupsUnavailableReason();
  if (noCgroups) process.stdout.write(`cgroups rows SKIPPED: ${noCgroups}\n\n`);
  const subjects: Subject[] = [await startSubject('posix')];
  if (!noCgroups) subjects.push(await startSubject('cgroups'), await startSubject('cgroups,pid'));
  const floor: number[] = [];
  try {
    for (let i = 0; i < 10; i++) await spawnTrue();
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of subjects) await launchSequential(s, `r${r}`, PER_ROUND);
      for (let i = 0; i < PER_ROUND; i++) floor.push(await spawnTrue());
    }
    const posixP50 = percentile(subjects[0].running, 50);
    const posixFinishedP50 = percentile(subjects[0].finished, 50);
    const rows: Array<Record<string, string | number>> = subjects.map((s, i) => {
      const added = percentile(s.running, 50) - posixP50;
      const isCgroups = i === 1;
      return {
        isolation: s.label,
        n: s.running.length,
        'RUNNING p50 ms': round2(percentile(s.running, 50)),
        'RUNNING p99 ms': round2(percentile(s.running, 99)),
        'FINISHED p50 ms': round2(percentile(s.finished, 50)),
        'FINISHED p99 ms': round2(percentile(s.finished, 99)),
        'RUNNING p50 over posix': i === 0 ? '' : round2(added),
        'FINISHED p50 over posix': i === 0 ? '' : round2(percentile(s.finished, 50) - posixFinishedP50),
        goal: isCgroups ? `≤ ${GOAL_ADDED_P50_MS} ms over posix` : '',
        met: isCgroups ? (added <= GOAL_ADDED_P50_MS ? 'yes' : 'NO') : '',
      };
    });
    rows.push({
      isolation: 'floor: spawn(/bin/true) → exit',
      n: floor.length,
      'RUNNING p50 ms': '',
      'RUNNING p99 ms': '',
      'FINISHED p50 ms': round2(percentile(floor, 50)),
      'FINISHED p99 ms': round2(percentile(floor, 99)),
      goal: '',
      met: '',
    });
    printTable(`launch latency by isolation: shell task \`true\`, sequential, ${ROUNDS} interleaved rounds of ${PER_ROUND} (after ${WARMUP} warm-up)`, rows);
  } finally {
    for (const s of subjects) {
      await s.agent.stop({ killTasks: true });
      await rm(s.workDir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

/**
 * The framework API over HTTP against the same framework in process: one master with simulated agents (tasks
 * RUNNING then FINISHED at once, every transition persisted to a real Redis), and one framework — first in the
 * master's process (InProcessTransport), then in its own process through `POST /api/v1/scheduler`
 * (HttpTransport). Prints launches per second (to FINISHED, acknowledged), the round trip ACCEPT → RUNNING
 * update (one task at a time, p50/p99), and the CPU time each launch costs the processes involved. The two
 * alternate for BENCH_ROUNDS rounds (default 3); the figures are medians. Goal: HTTP ≥ 50% of the in-process
 * throughput.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { parseResources } from '../core/resources/resources.ts';
import { InProcessTransport } from '../core/sdk/index.ts';
import { buildHttpServer } from '../services/server/http-server.ts';
import { MetricsRegistry } from '../services/server/metrics.ts';
import { schedulerRoutes } from '../services/server/routes/scheduler-routes.ts';
import { SimulatedAgent } from '../test/helpers/simulated-agent.ts';
import { freshStore } from '../test/helpers/registry.ts';
import { benchRedis } from './lib/bench-redis.ts';
import { launchLatency, launchLoad, type LoadFigures } from './lib/launch-load.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const AGENTS = 100;
const TASKS = Number(process.env.BENCH_TASKS ?? 20_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function withMaster<T>(fn: (master: Master) => Promise<T>): Promise<T> {
  const redis = await benchRedis();
  const store = await freshStore(redis.redis);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, completedTasksLimit: 1000 });
  await master.start();
  const agentResources = parseResources('cpus:16;mem:65536');
  if (!agentResources.ok) throw new Error(agentResources.error.message);
  for (let i = 0; i < AGENTS; i++) await new SimulatedAgent({ hostname: `sim-${i}`, resources: agentResources.value, autoFinish: true }).register(master);
  try {
    return await fn(master);
  } finally {
    master.stop();
    await store.flush();
    await redis.stop();
  }
}

interface Figures {
  load: LoadFigures;
  latencies: number[];
  /** CPU time of the load phase: the master's process (with the framework in it, in process), and the framework's own process (HTTP). */
  cpuMs: { master: number; framework?: number };
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** The framework's own process, one for all rounds (a framework is one long-lived process, warm after its first round). */
class FrameworkProcess {
  private readonly proc: ChildProcess;
  private readonly exited: Promise<number | null>;
  private buffered = '';
  private pending?: { resolve(f: Figures): void; reject(e: Error): void; loadStart?: NodeJS.CpuUsage; masterCpu: number };

  constructor() {
    this.proc = spawn(process.execPath, [...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CHILD_PROF] : []), path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'bench/lib/http-framework-child.ts'), String(TASKS), String(SAMPLES)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => {
      this.pending?.reject(new Error(`framework process exited with ${code}`));
      resolve(code);
    }));
    this.proc.stdout!.on('data', (c: Buffer) => {
      this.buffered += c.toString('utf8');
      for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        this.onLine(JSON.parse(line) as { phase?: string; load?: LoadFigures; latencies?: number[]; cpuMs?: number });
      }
    });
  }

  /** Both phases against the master at `url`; the master's process CPU is read as each phase mark arrives. */
  round(url: string): Promise<Figures> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, masterCpu: 0 };
      this.proc.stdin!.write(`${url}\n`);
    });
  }

  async close(): Promise<void> {
    this.proc.stdin!.end();
    const code = await this.exited;
    if (code !== 0) throw new Error(`framework process exited with ${code}`);
  }

  private onLine(msg: { phase?: string; load?: LoadFigures; latencies?: number[]; cpuMs?: number }): void {
    const p = this.pending;
    if (!p) return;
    if (msg.phase === 'load') p.loadStart = process.cpuUsage();
    else if (msg.phase === 'load-done') p.masterCpu = cpuMs(process.cpuUsage(p.loadStart));
    else {
      this.pending = undefined;
      p.resolve({ load: msg.load!, latencies: msg.latencies!, cpuMs: { master: p.masterCpu, framework: msg.cpuMs } });
    }
  }
}

const logger = silentLogger();

function inProcess(): Promise<Figures> {
  return withMaster(async (master) => {
    const cpu0 = process.cpuUsage();
    const load = await launchLoad(new InProcessTransport(master), TASKS, logger);
    const cpu = cpuMs(process.cpuUsage(cpu0));
    return { load, latencies: await launchLatency(new InProcessTransport(master), SAMPLES, logger), cpuMs: { master: cpu } };
  });
}

function overHttp(framework: FrameworkProcess): Promise<Figures> {
  return withMaster(async (master) => {
    const http = await buildHttpServer({ logger, routes: [schedulerRoutes({ master: () => master, frameworkAuth: () => undefined })], metrics: new MetricsRegistry() });
    await http.listen({ host: '127.0.0.1', port: 0 });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      return await framework.round(`http://127.0.0.1:${port}`);
    } finally {
      await http.close();
    }
  });
}

const median = (xs: number[]): number => percentile(xs, 50);
const perK = (ms: number): number => Math.round((ms / TASKS) * 1000);

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  // The two alternate, round after round, each on a fresh master and Redis: a machine whose load drifts (other
  // jobs on a shared host) then colours both alike, and the medians and ranges show how much it moved. Both
  // frameworks are as warm from the second round on: the in-process one shares the master's process, the HTTP
  // one keeps its own process across rounds.
  const rounds: Array<{ inProcess: Figures; overHttp: Figures }> = [];
  const framework = new FrameworkProcess();
  for (let i = 0; i < ROUNDS; i++) rounds.push({ inProcess: await inProcess(), overHttp: await overHttp(framework) });
  await framework.close();
  const row = (name: string, runs: Figures[]) => {
    const rates = runs.map((r) => r.load.perSecond);
    const latencies = runs.flatMap((r) => r.latencies);
    const cpu = median(runs.map((r) => r.cpuMs.master));
    const framework = runs[0].cpuMs.framework === undefined ? undefined : median(runs.map((r) => r.cpuMs.framework ?? 0));
    return {
      framework: name,
      agents: AGENTS,
      tasks: TASKS,
      rounds: runs.length,
      'launches/s': Math.round(median(rates)),
      range: `${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}`,
      'ACCEPT→RUNNING p50 ms': percentile(latencies, 50).toFixed(2),
      'p99 ms': percentile(latencies, 99).toFixed(2),
      'CPU ms/1k launches': framework === undefined ? String(perK(cpu)) : `${perK(cpu)} + ${perK(framework)} framework`,
    };
  };
  // Each round's HTTP run against the in-process run just before it: a load that drifts slowly weighs on both alike.
  const perRound = rounds.map((r) => r.overHttp.load.perSecond / r.inProcess.load.perSecond);
  const ratio = median(perRound);
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  printTable('Framework API: one framework, simulated agents (launch → RUNNING → FINISHED → ack, persisted in Redis)', [
    row('in process', rounds.map((r) => r.inProcess)),
    {
      ...row('HTTP, own process', rounds.map((r) => r.overHttp)),
      'vs in process': `${pct(ratio)} (rounds ${pct(Math.min(...perRound))}–${pct(Math.max(...perRound))})`,
      goal: '≥ 50%',
      met: ratio >= 0.5 ? 'yes' : 'no',
    },
  ]);
  process.stdout.write(`launches/s: median of ${ROUNDS} alternating rounds; vs in process: median of the rounds' ratios; CPU: user + system time of the load phase per 1,000 launches (master process; HTTP: + the framework's process). Load at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

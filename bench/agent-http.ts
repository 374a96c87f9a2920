/**
 * The agent over HTTP against the agent in the master's process: the same framework (SDK, in process) and master
 * (Redis registry) drive (a) an in-process Agent and (b) an `orrery agent` process linked over the HTTP agent
 * protocol on loopback (launches, kills and acknowledgements batched master → agent, status updates batched
 * agent → master). Shell tasks of `true`:
 *   - ACCEPT → RUNNING latency, sequential (each task acknowledged to FINISHED before the next);
 *   - launches per second to FINISHED acknowledged, as many in flight as the offers allow.
 * Rounds of both alternate, so load from other processes hits both alike.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Agent } from '../core/agent/agent.ts';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { InProcessTransport, SchedulerDriver } from '../core/sdk/index.ts';
import { HttpAgentLink } from '../core/transport/http-agent-link.ts';
import { buildHttpServer } from '../services/server/http-server.ts';
import { MetricsRegistry } from '../services/server/metrics.ts';
import { agentRoutes } from '../services/server/routes/agent-routes.ts';
import { freshStore } from '../test/helpers/registry.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { benchRedis } from './lib/bench-redis.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';
import { batch, BenchFramework, resources, sequential } from './launch.ts';

const WARMUP = 30;
const SEQUENTIAL = 200;
const THROUGHPUT_TASKS = 500;
const ROUNDS = 3;
const AGENT_RESOURCES = 'cpus:2;mem:4096';
const TASK_SHAPE = 'cpus:0.02;mem:16';
const SECRET = 'bench-agent-http-secret';
const GOAL_RATIO = 0.5;

interface Setup {
  master: Master;
  driver: SchedulerDriver;
  fw: BenchFramework;
  stop(): Promise<void>;
}

async function framework(master: Master, name: string): Promise<{ driver: SchedulerDriver; fw: BenchFramework }> {
  const fw = new BenchFramework();
  const driver = new SchedulerDriver(new InProcessTransport(master), { name }, fw, { logger: silentLogger(), implicitAcknowledgements: false });
  const subscribed = await driver.start();
  if (!subscribed.ok) throw new Error(subscribed.error.message);
  return { driver, fw };
}

async function inProcess(redis: Awaited<ReturnType<typeof benchRedis>>): Promise<Setup> {
  const store = await freshStore(redis.redis);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0 });
  await master.start();
  const workDir = await mkdtemp(join(tmpdir(), 'orrery-bench-inproc-'));
  const agent = new Agent({ workDir, resources: resources(AGENT_RESOURCES), attributes: {}, clock: systemClock, logger: silentLogger() });
  await agent.start(master);
  const { driver, fw } = await framework(master, 'bench-inproc');
  return {
    master,
    driver,
    fw,
    async stop() {
      driver.stop();
      await agent.stop({ killTasks: true });
      master.stop();
      await store.flush();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function overHttp(redis: Awaited<ReturnType<typeof benchRedis>>): Promise<Setup & { agentPid: number }> {
  const store = await freshStore(redis.redis);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0 });
  await master.start();
  const http = await buildHttpServer({
    logger: silentLogger(),
    metrics: new MetricsRegistry(),
    routes: [agentRoutes({ master: () => master, agentProtocol: () => ({ clusterSecret: SECRET, newLink: (url, sessionId) => new HttpAgentLink({ url, sessionId, clusterSecret: SECRET, clock: systemClock, logger: silentLogger() }) }) })],
  });
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const workDir = await mkdtemp(join(tmpdir(), 'orrery-bench-http-'));
  const root = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, [join(root, 'bin/orrery.js'), 'agent', '--master', url, '--port', '0', '--work-dir', workDir, '--resources', AGENT_RESOURCES, '--kill-tasks-on-stop'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ORRERY_CLUSTER_SECRET: SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await waitFor(() => [...master.agents.values()].some((a) => a.state === 'ACTIVE'), { timeoutMs: 30_000, message: 'the agent process registered' });
  const { driver, fw } = await framework(master, 'bench-http');
  return {
    master,
    driver,
    fw,
    agentPid: child.pid ?? 0,
    async stop() {
      driver.stop();
      child.kill('SIGTERM');
      await exited;
      master.stop();
      await http.close();
      await store.flush();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

async function rate(s: Setup, prefix: string): Promise<number> {
  const t0 = performance.now();
  await batch(s.driver, s.fw, prefix, THROUGHPUT_TASKS, resources(TASK_SHAPE));
  return THROUGHPUT_TASKS / ((performance.now() - t0) / 1000);
}

const ms = (v: number) => Number(v.toFixed(2));
const median = (v: number[]) => percentile(v, 50);

export async function run(): Promise<void> {
  const redis = await benchRedis();
  const local = await inProcess(redis);
  const remote = await overHttp(redis);
  const shape = resources(TASK_SHAPE);
  try {
    for (const s of [local, remote]) {
      s.master.runAllocation();
      await sequential(s.driver, s.fw, 'warm', WARMUP, shape);
    }
    const latency = { local: await sequential(local.driver, local.fw, 'seq', SEQUENTIAL, shape), remote: await sequential(remote.driver, remote.fw, 'seq', SEQUENTIAL, shape) };
    const rates = { local: [] as number[], remote: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      rates.local.push(await rate(local, `tp${r}`));
      rates.remote.push(await rate(remote, `tp${r}`));
    }
    local.fw.checkFailures();
    remote.fw.checkFailures();
    const ratio = median(rates.remote) / median(rates.local);
    process.stdout.write(`${machineInfo()}\n\n`);
    printTable('Launches of `true` through master → agent: agent in the master process vs an `orrery agent` process over HTTP (loopback)', [
      { measurement: `ACCEPT → RUNNING p50 / p99 (n=${SEQUENTIAL}), in process`, value: `${ms(percentile(latency.local, 50))} / ${ms(percentile(latency.local, 99))} ms` },
      { measurement: 'ACCEPT → RUNNING p50 / p99, over HTTP', value: `${ms(percentile(latency.remote, 50))} / ${ms(percentile(latency.remote, 99))} ms` },
      { measurement: `launches/s to FINISHED acked, median of ${ROUNDS} × ${THROUGHPUT_TASKS}, in process`, value: `${Math.round(median(rates.local))}/s`, rounds: `${Math.round(Math.min(...rates.local))}-${Math.round(Math.max(...rates.local))}/s` },
      { measurement: 'same, over HTTP', value: `${Math.round(median(rates.remote))}/s`, rounds: `${Math.round(Math.min(...rates.remote))}-${Math.round(Math.max(...rates.remote))}/s`, goal: `≥ ${GOAL_RATIO * 100}% of in process`, met: ratio >= GOAL_RATIO ? `yes (${Math.round(ratio * 100)}%)` : `NO (${Math.round(ratio * 100)}%)` },
    ]);
    process.stdout.write('Both agents share this machine\'s cores with the master; over HTTP the agent is its own process (its CPU is not the master\'s).\n');
  } finally {
    await remote.stop();
    await local.stop();
    await redis.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();

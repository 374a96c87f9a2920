/**
 * The framework API over HTTP against the same framework in process: one master with simulated agents (tasks
 * RUNNING then FINISHED at once, every transition persisted to a real Redis), and one framework — first in the
 * master's process (InProcessTransport), then in its own process through `POST /api/v1/scheduler`
 * (HttpTransport). Prints launches per second (to FINISHED, acknowledged) and the round trip ACCEPT → RUNNING
 * update (one task at a time, p50/p99). Goal: HTTP ≥ 50% of the in-process throughput.
 */
import { spawn } from 'node:child_process';
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

function child(url: string): Promise<{ load: LoadFigures; latencies: number[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CHILD_PROF] : []), path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'bench/lib/http-framework-child.ts'), url, String(TASKS), String(SAMPLES)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as { load: LoadFigures; latencies: number[] }) : reject(new Error(`framework process exited with ${code}`))));
  });
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  const logger = silentLogger();
  const inProcess = await withMaster(async (master) => ({
    load: await launchLoad(new InProcessTransport(master), TASKS, logger),
    latencies: await launchLatency(new InProcessTransport(master), SAMPLES, logger),
  }));
  const overHttp = await withMaster(async (master) => {
    const http = await buildHttpServer({ logger, routes: [schedulerRoutes({ master: () => master, frameworkAuth: () => undefined })], metrics: new MetricsRegistry() });
    await http.listen({ host: '127.0.0.1', port: 0 });
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      return await child(`http://127.0.0.1:${port}`);
    } finally {
      await http.close();
    }
  });
  const row = (name: string, r: { load: LoadFigures; latencies: number[] }) => ({
    framework: name,
    agents: AGENTS,
    tasks: r.load.tasks,
    seconds: r.load.seconds.toFixed(2),
    'launches/s': Math.round(r.load.perSecond),
    'ACCEPT→RUNNING p50 ms': percentile(r.latencies, 50).toFixed(2),
    'p99 ms': percentile(r.latencies, 99).toFixed(2),
  });
  const ratio = overHttp.load.perSecond / inProcess.load.perSecond;
  printTable('Framework API: one framework, simulated agents (launch → RUNNING → FINISHED → ack, persisted in Redis)', [
    row('in process', inProcess),
    { ...row('HTTP, own process', overHttp), 'vs in process': `${Math.round(ratio * 100)}%`, goal: '≥ 50%', met: ratio >= 0.5 ? 'yes' : 'no' },
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

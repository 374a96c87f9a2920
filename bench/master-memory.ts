/**
 * Master memory: 10,000 simulated agents and 100,000 running tasks (100 frameworks × 1,000), persisted in a
 * real Redis. Prints the process RSS and V8 heap after a full GC (goal: RSS ≤ 500 MB). The RSS is the whole
 * benchmark process, frameworks' and simulated agents' bookkeeping included, so it is an upper bound for the
 * master. After the measurement it checks that every task is RUNNING in the master and in Redis.
 *
 * Frameworks subscribe one after another while allocation already runs (so the first ones see thousands of
 * offers at a time), launch at most 100 tasks per round of offers, decline the rest with refuse_seconds 0 in
 * bulk, and suppress when done. Args: `agents frameworks perFramework`; ORRERY_HEAP_SNAPSHOT=path writes a heap
 * snapshot at the end.
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Redis } from 'ioredis';
import { systemClock } from '../core/clock/clock.ts';
import { registryKeys } from '../core/coordination/keys.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { containsResources, parseResources, subtractResources } from '../core/resources/resources.ts';
import type { Result } from '../core/errors/result.ts';
import { InProcessTransport, SchedulerDriver, type CallError, type Scheduler, type TaskInfo } from '../core/sdk/index.ts';
import { SimulatedAgent } from '../test/helpers/simulated-agent.ts';
import { freshStore } from '../test/helpers/registry.ts';
import { benchRedis } from './lib/bench-redis.ts';
import { machineInfo, printTable } from './lib/report.ts';

const res = (t: string) => {
  const r = parseResources(t);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mb = (n: number): string => (n / 1024 / 1024).toFixed(0);

async function countRunning(redis: Redis, key: string): Promise<number> {
  let n = 0;
  let cursor = '0';
  do {
    const [next, flat] = await redis.hscan(key, cursor, 'COUNT', 1000);
    for (let i = 1; i < flat.length; i += 2) if ((JSON.parse(flat[i]) as { state?: string }).state === 'RUNNING') n++;
    cursor = next;
  } while (cursor !== '0');
  return n;
}

export async function run(agentCount = 10_000, frameworkCount = 100, tasksPerFramework = 1000): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  const redis = await benchRedis();
  const prefix = `mem-${process.pid}`;
  const store = await freshStore(redis.redis, prefix);
  gc();
  const baseline = process.memoryUsage();
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, allocationIntervalMs: 3_600_000 });
  await master.start();
  const shape = res('cpus:0.1;mem:32');
  const t0 = performance.now();
  for (let i = 0; i < agentCount; i++) {
    await new SimulatedAgent({ hostname: `sim-${i}`, resources: res('cpus:16;mem:65536;disk:100000;ports:[31000-32000]'), attributes: { rack: `r${i % 40}` } }).register(master);
  }
  gc();
  const agentsOnly = process.memoryUsage();
  const total = frameworkCount * tasksPerFramework;
  let running = 0;
  let done!: () => void;
  let fail!: (e: Error) => void;
  const allRunning = new Promise<void>((resolve, reject) => {
    done = resolve;
    fail = reject;
  });
  const drivers: SchedulerDriver[] = [];
  const check = (f: number, r: Result<void, CallError>, tolerate?: string): void => {
    if (!r.ok && r.error.code !== tolerate) fail(new Error(`framework ${f}: ${r.error.code} ${r.error.message}`));
  };
  for (let f = 0; f < frameworkCount; f++) {
    let launched = 0;
    let suppressed = false;
    // A framework that keeps no record of offers (a test's RecordingScheduler would keep a map of every one).
    // Like Marathon, it hands its launches and declines to the driver and learns the outcome later: the callback
    // returns at once instead of holding up the framework's next events until the master has persisted the
    // launch (the SDK awaits a callback's promise before delivering the next event).
    const scheduler: Scheduler = {
      offers: (driver, offers) => {
        const unused: string[] = [];
        // Like Marathon's launch batches: at most 100 tasks per round of offers, the rest of the offers go back.
        const budget = Math.min(tasksPerFramework, launched + 100);
        for (const o of offers) {
          const tasks: TaskInfo[] = [];
          let left = o.resources;
          while (launched < budget && containsResources(left, shape)) {
            tasks.push({ taskId: `f${f}-t${launched++}`, name: 'resident', agentId: o.agentId, resources: shape, command: { shell: true, value: 'sleep 3600' } });
            left = subtractResources(left, shape);
          }
          if (tasks.length) void driver.launch([o.id], tasks, { refuseSeconds: 0 }).then((r) => check(f, r));
          else unused.push(o.id);
        }
        // Declined together, in DECLINE calls of up to 1,000 offer ids, as the v1 API allows. Offers that
        // arrived after SUPPRESS were rescinded by it: declining them finds nothing, as in Mesos.
        for (let i = 0; i < unused.length; i += 1000) {
          void driver.decline(unused.slice(i, i + 1000), { refuseSeconds: 0 }).then((r) => check(f, r, 'OFFER_NOT_FOUND'));
        }
        // Done launching: stop receiving offers, as Mesos asks idle frameworks to (no filters pile up).
        if (launched >= tasksPerFramework && !suppressed) {
          suppressed = true;
          void driver.suppress().then((r) => check(f, r));
        }
      },
      update: (_d, status) => {
        if (status.state === 'RUNNING' && ++running === total) done();
      },
    };
    const driver = new SchedulerDriver(new InProcessTransport(master), { name: `mem-${f}` }, scheduler, { logger: silentLogger() });
    await driver.start();
    drivers.push(driver);
  }
  let peak = 0;
  const cycles = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapTotal);
    master.runAllocation();
  }, 50);
  master.runAllocation();
  await allRunning;
  clearInterval(cycles);
  await store.flush();
  const seconds = (performance.now() - t0) / 1000;
  gc();
  const after = process.memoryUsage();
  // After the measurement: check that what was measured is real, every task RUNNING in memory and in Redis.
  const runningInRedis = await countRunning(redis.redis, registryKeys(prefix).collectionKey('tasks'));
  let runningInMaster = 0;
  for (const t of master.tasks.all()) if (t.state === 'RUNNING') runningInMaster++;
  printTable('Master memory with simulated agents (process RSS after GC)', [
    {
      agents: master.agents.size,
      frameworks: master.frameworks.size,
      'RUNNING in master / Redis': `${runningInMaster} / ${runningInRedis}`,
      'setup s': seconds.toFixed(1),
      'offers made': master.counters.offersMade,
      'allocation cycles': master.counters.allocationRuns,
      'RSS MB': mb(after.rss),
      'heap used MB': mb(after.heapUsed),
      'heap total MB': mb(after.heapTotal),
      'external MB': mb(after.external),
      'RSS before MB': mb(baseline.rss),
      'heap with agents only MB': `${mb(agentsOnly.heapUsed)} of ${mb(agentsOnly.heapTotal)}`,
      'peak heap total MB': mb(peak),
      goal: 'RSS ≤ 500 MB',
      met: after.rss <= 500 * 1024 * 1024 ? 'yes' : 'no',
    },
  ]);
  if (runningInMaster !== total || runningInRedis !== total) throw new Error(`expected ${total} RUNNING tasks, master has ${runningInMaster}, Redis ${runningInRedis}`);
  if (process.env.ORRERY_HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.ORRERY_HEAP_SNAPSHOT);
  for (const d of drivers) d.stop();
  master.stop();
  await redis.stop();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [agents, frameworks, perFramework] = process.argv.slice(2).map(Number);
  await run(agents || undefined, frameworks || undefined, perFramework || undefined);
}

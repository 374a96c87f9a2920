/**
 * Master memory: 10,000 simulated agents and 100,000 running tasks (100 frameworks × 1,000), persisted in a
 * real Redis. Prints the process RSS and V8 heap after a full GC (goal: RSS ≤ 500 MB). The RSS is the whole
 * benchmark process, frameworks' bookkeeping included, so it is an upper bound for the master.
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { containsResources, parseResources, subtractResources } from '../core/resources/resources.ts';
import { InProcessTransport, SchedulerDriver, type Offer, type TaskInfo } from '../core/sdk/index.ts';
import { SimulatedAgent } from '../test/helpers/simulated-agent.ts';
import { RecordingScheduler } from '../test/helpers/recording-scheduler.ts';
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

export async function run(agentCount = 10_000, frameworkCount = 100, tasksPerFramework = 1000): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  const redis = await benchRedis();
  const store = await freshStore(redis.redis);
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
  const allRunning = new Promise<void>((r) => (done = r));
  const drivers: SchedulerDriver[] = [];
  for (let f = 0; f < frameworkCount; f++) {
    const scheduler = new RecordingScheduler();
    let launched = 0;
    let suppressed = false;
    scheduler.onOffers = async (driver: SchedulerDriver, offers: Offer[]) => {
      scheduler.offersSeen.length = 0;
      const answers: Array<Promise<unknown>> = [];
      // Like Marathon's launch batches: at most 100 tasks per round of offers, the rest of the offers go back.
      const budget = Math.min(tasksPerFramework, launched + 100);
      for (const o of offers) {
        scheduler.outstanding.delete(o.id);
        const tasks: TaskInfo[] = [];
        let left = o.resources;
        while (launched < budget && containsResources(left, shape)) {
          tasks.push({ taskId: `f${f}-t${launched++}`, name: 'resident', agentId: o.agentId, resources: shape, command: { shell: true, value: 'sleep 3600' } });
          left = subtractResources(left, shape);
        }
        answers.push(tasks.length ? driver.launch([o.id], tasks, { refuseSeconds: 0 }) : driver.decline([o.id], { refuseSeconds: 0 }));
      }
      // Done launching: stop receiving offers, as Mesos asks idle frameworks to (no filters pile up).
      if (launched >= tasksPerFramework && !suppressed) {
        suppressed = true;
        answers.push(driver.suppress());
      }
      await Promise.all(answers);
    };
    scheduler.update = (_d, status) => {
      if (status.state === 'RUNNING' && ++running === total) done();
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
  printTable('Master memory with simulated agents (process RSS after GC)', [
    {
      agents: master.agents.size,
      frameworks: master.frameworks.size,
      'running tasks': master.tasks.size,
      'setup s': seconds.toFixed(1),
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
  if (process.env.ORRERY_HEAP_SNAPSHOT) (await import('node:v8')).writeHeapSnapshot(process.env.ORRERY_HEAP_SNAPSHOT);
  for (const d of drivers) d.stop();
  master.stop();
  await redis.stop();
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [agents, frameworks, perFramework] = process.argv.slice(2).map(Number);
  await run(agents || undefined, frameworks || undefined, perFramework || undefined);
}

/**
 * The whole master path with simulated agents in one process: offer → accept → launch → RUNNING → FINISHED →
 * acknowledged, every transition persisted to a real Redis. Prints tasks per second (goal ≥ 5,000/s).
 */
import { pathToFileURL } from 'node:url';
import { systemClock } from '../core/clock/clock.ts';
import { silentLogger } from '../core/logging/logger.ts';
import { Master } from '../core/master/master.ts';
import { containsResources, parseResources, subtractResources } from '../core/resources/resources.ts';
import { InProcessTransport, SchedulerDriver, type Offer, type TaskInfo } from '../core/sdk/index.ts';
import { MetricsRegistry } from '../services/server/metrics.ts';
import { masterObserver } from '../services/server/metrics/master-metrics.ts';
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

async function measure(agentCount: number, frameworkCount: number, total: number): Promise<Record<string, string | number>> {
  const redis = await benchRedis();
  const store = await freshStore(redis.redis);
  // With the metrics hooks `orrery up` installs (allocation cycle and status update latency histograms).
  const observer = masterObserver(new MetricsRegistry({ defaultMetrics: false }));
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, completedTasksLimit: 1000, observer });
  await master.start();
  for (let i = 0; i < agentCount; i++) await new SimulatedAgent({ hostname: `sim-${i}`, resources: res('cpus:16;mem:65536'), autoFinish: true }).register(master);
  const shape = res('cpus:0.1;mem:32');
  let launched = 0;
  let finished = 0;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const drivers: SchedulerDriver[] = [];
  for (let f = 0; f < frameworkCount; f++) {
    const scheduler = new RecordingScheduler();
    let n = 0;
    scheduler.onOffers = async (driver: SchedulerDriver, offers: Offer[]) => {
      // Answer every offer at once: an efficient framework does not wait for one launch before the next.
      const answers: Array<Promise<unknown>> = [];
      for (const o of offers) {
        scheduler.outstanding.delete(o.id);
        const tasks: TaskInfo[] = [];
        let left = o.resources;
        while (launched < total && containsResources(left, shape)) {
          tasks.push({ taskId: `f${f}-t${n++}`, name: 'bench', agentId: o.agentId, resources: shape, command: { shell: true, value: 'true' } });
          left = subtractResources(left, shape);
          launched++;
        }
        answers.push(tasks.length ? driver.launch([o.id], tasks, { refuseSeconds: 0 }) : driver.decline([o.id], { refuseSeconds: 60 }));
      }
      await Promise.all(answers);
    };
    scheduler.update = (_d, status) => {
      if (status.state === 'FINISHED' && ++finished === total) done();
    };
    drivers.push(new SchedulerDriver(new InProcessTransport(master), { name: `bench-${f}` }, scheduler, { logger: silentLogger() }));
  }
  const t0 = performance.now();
  for (const d of drivers) await d.start();
  master.runAllocation();
  await allDone;
  const seconds = (performance.now() - t0) / 1000;
  for (const d of drivers) d.stop();
  master.stop();
  await store.flush();
  await redis.stop();
  const perSecond = total / seconds;
  return { agents: agentCount, frameworks: frameworkCount, tasks: total, seconds: seconds.toFixed(2), 'tasks/s': Math.round(perSecond), goal: '≥ 5,000/s', met: perSecond >= 5000 ? 'yes' : 'no' };
}

export async function run(): Promise<void> {
  process.stdout.write(`${machineInfo()}\n`);
  const rows = [await measure(100, 1, 20_000), await measure(100, 4, 50_000)];
  printTable('Master path, simulated agents (offer → accept → launch → RUNNING → FINISHED → ack, persisted in Redis)', rows);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();

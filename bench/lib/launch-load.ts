/**
 * The framework side of the scheduler-http benchmark, the same over any transport: a load phase (launch `total`
 * tasks as fast as offers allow, until each is FINISHED and acknowledged) and a latency phase (one task at a
 * time: ACCEPT sent → its RUNNING update received, on an otherwise idle path).
 */
import type { Logger } from '../../core/logging/logger.ts';
import { containsResources, parseResources, SchedulerDriver, subtractResources, type Offer, type TaskInfo, type Transport } from '../../core/sdk/index.ts';
import { RecordingScheduler } from '../../test/helpers/recording-scheduler.ts';

export interface LoadFigures {
  tasks: number;
  seconds: number;
  perSecond: number;
}

const parsedShape = parseResources('cpus:0.1;mem:32');
if (!parsedShape.ok) throw new Error(parsedShape.error.message);
const shape = parsedShape.value;

export async function launchLoad(transport: Transport, total: number, logger: Logger): Promise<LoadFigures> {
  const scheduler = new RecordingScheduler();
  let launched = 0;
  let finished = 0;
  let n = 0;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  scheduler.onOffers = (driver: SchedulerDriver, offers: Offer[]) => {
    for (const o of offers) {
      scheduler.outstanding.delete(o.id);
      const tasks: TaskInfo[] = [];
      let left = o.resources;
      while (launched < total && containsResources(left, shape)) {
        tasks.push({ taskId: `load-${n++}`, name: 'bench', agentId: o.agentId, resources: shape, command: { shell: true, value: 'true' } });
        left = subtractResources(left, shape);
        launched++;
      }
      void (tasks.length ? driver.launch([o.id], tasks, { refuseSeconds: 0 }) : driver.decline([o.id], { refuseSeconds: 60 }));
    }
  };
  scheduler.update = (_d, status) => {
    if (status.state === 'FINISHED' && ++finished === total) done();
  };
  // The load phase's tasks are FINISHED and acknowledged once the last FINISHED has been handled.
  const driver = new SchedulerDriver(transport, { name: 'bench-load' }, scheduler, { logger });
  const t0 = performance.now();
  const r = await driver.start();
  if (!r.ok) throw new Error(r.error.message);
  await allDone;
  const seconds = (performance.now() - t0) / 1000;
  await driver.teardown();
  return { tasks: total, seconds, perSecond: total / seconds };
}

export async function launchLatency(transport: Transport, count: number, logger: Logger): Promise<number[]> {
  const scheduler = new RecordingScheduler();
  const latencies: number[] = [];
  let next = 0;
  let inFlight: { taskId: string; t0: number } | undefined;
  let done!: () => void;
  const allDone = new Promise<void>((r) => (done = r));
  const launchNext = (driver: SchedulerDriver): void => {
    if (inFlight || next >= count) return;
    const offer = scheduler.take();
    if (!offer) return;
    const taskId = `lat-${next++}`;
    inFlight = { taskId, t0: performance.now() };
    void driver.launch([offer.id], [{ taskId, name: 'bench', agentId: offer.agentId, resources: shape, command: { shell: true, value: 'true' } }], { refuseSeconds: 0 });
  };
  scheduler.onOffers = (driver) => launchNext(driver);
  scheduler.update = (driver, status) => {
    if (inFlight && status.taskId === inFlight.taskId && status.state === 'RUNNING') {
      latencies.push(performance.now() - inFlight.t0);
      inFlight = undefined;
      if (latencies.length === count) done();
      else launchNext(driver);
    }
  };
  const driver = new SchedulerDriver(transport, { name: 'bench-latency' }, scheduler, { logger });
  const r = await driver.start();
  if (!r.ok) throw new Error(r.error.message);
  await allDone;
  await driver.teardown();
  return latencies;
}

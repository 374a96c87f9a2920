/**
 * DRF through the whole offer cycle: two always-hungry frameworks launch as many tasks as each offer holds and
 * return the rest at once (refuse_seconds 0); their dominant shares must end within 10% of the weights' ratio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { systemClock } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { freshStore } from '../helpers/registry.ts';
import { Master } from '../../core/master/master.ts';
import { containsResources, subtractResources } from '../../core/resources/resources.ts';
import { res } from '../../core/allocator/test-support.ts';
import { InProcessTransport, SchedulerDriver, type Offer } from '../../core/sdk/index.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { SimulatedAgent } from '../helpers/simulated-agent.ts';
import { RecordingScheduler } from '../helpers/recording-scheduler.ts';
import { waitFor } from '../helpers/wait-for.ts';


let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

async function runHungry(weights: [number, number], shapeTexts: [string, string]): Promise<[number, number]> {
  const store = await freshStore(redis);
  const master = new Master({ clock: systemClock, logger: silentLogger(), store, offerTimeoutMs: 0, allocationIntervalMs: 3_600_000 });
  await master.start();
  for (let i = 0; i < 20; i++) await new SimulatedAgent({ hostname: `h${i}`, resources: res('cpus:8;mem:16384') }).register(master);
  const shapes = shapeTexts.map(res);
  const drivers: SchedulerDriver[] = [];
  let n = 0;
  for (const [i, shape] of shapes.entries()) {
    const scheduler = new RecordingScheduler();
    scheduler.onOffers = async (driver: SchedulerDriver, offers: Offer[]) => {
      for (const o of offers) {
        scheduler.outstanding.delete(o.id);
        // Hungry: as many tasks as the offer holds, the rest back at once.
        let left = o.resources;
        const tasks = [];
        while (containsResources(left, shape)) {
          tasks.push({ taskId: `t${n++}`, name: 'hungry', agentId: o.agentId, resources: shape, command: { shell: true, value: 'true' } });
          left = subtractResources(left, shape);
        }
        if (tasks.length > 0) {
          await driver.launch([o.id], tasks, { refuseSeconds: 0 });
        } else {
          await driver.decline([o.id], { refuseSeconds: 0 });
        }
      }
    };
    const driver = new SchedulerDriver(new InProcessTransport(master), { name: `f${i}`, weight: weights[i] }, scheduler, { logger: silentLogger() });
    const r = await driver.start();
    if (!r.ok) throw new Error(r.error.message);
    drivers.push(driver);
  }
  let stable = 0;
  let last = -1;
  for (let round = 0; round < 2000 && stable < 5; round++) {
    master.runAllocation();
    await waitFor(() => master.offers.size === 0);
    stable = master.tasks.size === last ? stable + 1 : 0;
    last = master.tasks.size;
  }
  const shares = master.allocator.frameworkShares();
  const ids = drivers.map((d) => d.frameworkId!);
  for (const d of drivers) d.stop();
  master.stop();
  return [shares.get(ids[0]) ?? 0, shares.get(ids[1]) ?? 0];
}

describe('DRF fairness through the master', () => {
  it('two hungry frameworks with equal weights end within 10% of equal dominant shares', async () => {
    // A is memory-heavy, B cpu-heavy: DRF equalises their dominant shares, not their task counts. The shapes
    // fill an agent exactly, so neither is left unable to use what it is offered while the other still can.
    const [a, b] = await runHungry([1, 1], ['cpus:1;mem:4096', 'cpus:2;mem:256']);
    expect(a + b).toBeGreaterThan(0.9); // the cluster is used up
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.1);
  });

  it('weights 1:3 give dominant shares within 10% of 1:3', async () => {
    // Same task shape, so neither runs out of its own dominant resource before the other.
    const [a, b] = await runHungry([1, 3], ['cpus:0.5;mem:512', 'cpus:0.5;mem:512']);
    expect(b).toBeGreaterThan(0.5);
    expect(Math.abs(b / a - 3) / 3).toBeLessThanOrEqual(0.1);
  });
});

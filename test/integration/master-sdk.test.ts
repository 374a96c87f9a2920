/**
 * The master through the SDK, with a real Redis registry and simulated agents: offers, launches, status
 * updates with acknowledgements, kills, reconciliation, refuse filters, and bad calls that change nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ManualClock, systemClock, type Clock } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { freshStore } from '../helpers/registry.ts';
import { Master } from '../../core/master/master.ts';
import { res } from '../../core/allocator/test-support.ts';
import { InProcessTransport, SchedulerDriver, type TaskInfo } from '../../core/sdk/index.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { SimulatedAgent } from '../helpers/simulated-agent.ts';
import { RecordingScheduler } from '../helpers/recording-scheduler.ts';
import { waitFor } from '../helpers/wait-for.ts';


let server: TestRedis;
let redis: Redis;
const cleanups: Array<() => void | Promise<void>> = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(opts: { clock?: Clock; agents?: string[]; offerTimeoutMs?: number } = {}) {
  const clock = opts.clock ?? systemClock;
  const store = await freshStore(redis);
  const master = new Master({ clock, logger: silentLogger(), store, offerTimeoutMs: opts.offerTimeoutMs ?? 0, allocationIntervalMs: 60_000 });
  await master.start();
  cleanups.push(() => master.stop());
  const agents: SimulatedAgent[] = [];
  for (const [i, text] of (opts.agents ?? ['cpus:4;mem:4096;ports:[31000-31010]']).entries()) {
    const a = new SimulatedAgent({ hostname: `host-${i}`, resources: res(text), now: () => clock.now() });
    await a.register(master);
    agents.push(a);
  }
  const framework = async (name: string, extra: { role?: string; weight?: number } = {}) => {
    const scheduler = new RecordingScheduler();
    const driver = new SchedulerDriver(new InProcessTransport(master), { name, ...extra }, scheduler, { logger: silentLogger() });
    const r = await driver.start();
    if (!r.ok) throw new Error(r.error.message);
    cleanups.push(() => driver.stop());
    return { scheduler, driver };
  };
  return { master, agents, framework, store };
}

const task = (id: string, agentId: string, text = 'cpus:1;mem:128'): TaskInfo => ({ taskId: id, name: id, agentId, resources: res(text), command: { shell: true, value: 'true' } });

describe('master through the SDK', () => {
  it('offers an agent, launches a task, and forwards RUNNING and FINISHED with exit code, acknowledged', async () => {
    const { master, agents, framework } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    expect(offer.agentId).toBe(agents[0].agentId);
    expect(offer.resources.scalars).toEqual({ cpus: 4, mem: 4096 });
    const r = await driver.launch([offer.id], [task('t1', offer.agentId)]);
    expect(r).toEqual({ ok: true, value: undefined });
    await waitFor(() => scheduler.latest('t1')?.state === 'RUNNING');
    agents[0].finish('t1', 0);
    const done = await waitFor(() => (scheduler.latest('t1')?.state === 'FINISHED' ? scheduler.latest('t1') : undefined));
    expect(done.exitCode).toBe(0);
    // Acknowledged end to end: the agent got its ack from the master, the master got the framework's.
    await waitFor(() => agents[0].unacked.size === 0);
    await waitFor(() => master.tasks.get('t1')?.pending.length === 0);
    expect(master.tasks.get('t1')?.state).toBe('FINISHED');
  });

  it('a stopped driver dispatches nothing more and acknowledges nothing; the next subscription gets those updates again', async () => {
    const { master, agents } = await cluster();
    // A failover timeout, so the master keeps the framework (and its updates) while it is away.
    const scheduler = new RecordingScheduler();
    const driver = new SchedulerDriver(new InProcessTransport(master), { name: 'stopper', failoverTimeoutMs: 60_000 }, scheduler, { logger: silentLogger() });
    expect((await driver.start()).ok).toBe(true);
    const frameworkId = driver.frameworkId!;
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    expect((await driver.launch([offer.id], [task('s1', offer.agentId), task('s2', offer.agentId)])).ok).toBe(true);
    await waitFor(() => scheduler.latest('s1')?.state === 'RUNNING' && scheduler.latest('s2')?.state === 'RUNNING');
    // The framework stops while it handles the first end (a service shutting down); the second end is queued behind.
    const seen: string[] = [];
    scheduler.update = (d, status) => {
      seen.push(`${status.taskId}:${status.state}`);
      if (status.state === 'FINISHED') d.stop();
    };
    agents[0].finish('s1', 0);
    agents[0].finish('s2', 0);
    await waitFor(() => master.tasks.get('s2')?.state === 'FINISHED');
    await waitFor(() => seen.length > 0);
    expect(seen).toHaveLength(1);
    // Neither end was acknowledged: the master still holds both for the framework.
    expect(master.tasks.get('s1')?.pending.length).toBeGreaterThan(0);
    expect(master.tasks.get('s2')?.pending.length).toBeGreaterThan(0);

    const again = new RecordingScheduler();
    const next = new SchedulerDriver(new InProcessTransport(master), { name: 'stopper', id: frameworkId, failoverTimeoutMs: 60_000 }, again, { logger: silentLogger() });
    expect((await next.start()).ok).toBe(true);
    cleanups.push(() => next.stop());
    await waitFor(() => again.latest('s1')?.state === 'FINISHED' && again.latest('s2')?.state === 'FINISHED');
    await waitFor(() => master.tasks.get('s1')?.pending.length === 0 && master.tasks.get('s2')?.pending.length === 0);
  });

  it('persists tasks in the registry before forwarding updates', async () => {
    const { master, agents, framework, store } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    await driver.launch([offer.id], [task('p1', offer.agentId)]);
    await waitFor(() => scheduler.latest('p1')?.state === 'RUNNING');
    const saved = await store.get<{ state: string }>('tasks', 'p1');
    expect(saved?.state).toBe('RUNNING');
    agents[0].finish('p1', 3);
    await waitFor(() => scheduler.latest('p1')?.state === 'FAILED');
    expect((await store.get<{ state: string; exitCode: number }>('tasks', 'p1'))).toMatchObject({ state: 'FAILED', exitCode: 3 });
  });

  it('refuses a launch bigger than the offer, says why, and changes nothing', async () => {
    const { master, framework } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    const r = await driver.launch([offer.id], [task('big', offer.agentId, 'cpus:64;mem:128')]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('RESOURCES_INSUFFICIENT');
    expect(r.error.field).toBe('operations[0].tasks[0].resources');
    expect(r.error.message).toContain('cpus 64 > 4');
    expect(master.tasks.has('big')).toBe(false);
    expect(master.offers.get(offer.id)).toBeDefined();
  });

  it('rejects bad calls naming the field, and applies nothing', async () => {
    const { master, framework } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    const base = task('ok-id', offer.agentId);
    const cases: Array<[unknown, string]> = [
      [{ ...base, resources: { scalars: { cpus: -1 }, ranges: {}, sets: {} } }, 'operations[0].tasks[0].resources.scalars.cpus'],
      [{ ...base, resources: { scalars: { cpus: 'two' }, ranges: {}, sets: {} } }, 'operations[0].tasks[0].resources.scalars.cpus'],
      [{ ...base, resources: { scalars: { cpus: 1 }, ranges: { ports: [[5, 1]] }, sets: {} } }, 'operations[0].tasks[0].resources.ranges.ports'],
      [{ ...base, taskId: '../etc' }, 'operations[0].tasks[0].taskId'],
      [{ ...base, name: 'x'.repeat(10_000) }, 'operations[0].tasks[0].name'],
      [{ ...base, command: { shell: 'yes', value: 'true' } }, 'operations[0].tasks[0].command.shell'],
      [{ ...base, command: { shell: false, arguments: [] } }, 'operations[0].tasks[0].command.arguments'],
      [{ ...base, agentId: 'someone-else' }, 'operations[0].tasks[0].agentId'],
      [{ ...base, killGracePeriodMs: -5 }, 'operations[0].tasks[0].killGracePeriodMs'],
      [{ ...base, command: { shell: true, value: 'true', env: { 'BAD NAME': 'x' } } }, 'operations[0].tasks[0].command.env.BAD NAME'],
    ];
    for (const [bad, field] of cases) {
      const r = await driver.launch([offer.id], [bad as TaskInfo]);
      expect(r.ok, field).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(field);
    }
    const unknownOffer = await driver.launch(['no-such-offer'], [base]);
    expect(!unknownOffer.ok && unknownOffer.error).toMatchObject({ code: 'OFFER_NOT_FOUND', field: 'offerIds[0]' });
    const unknownKill = await driver.kill('no-such-task');
    expect(!unknownKill.ok && unknownKill.error).toMatchObject({ code: 'TASK_NOT_FOUND', field: 'taskId' });
    const badDecline = await driver.decline(['nope']);
    expect(!badDecline.ok && badDecline.error).toMatchObject({ code: 'OFFER_NOT_FOUND', field: 'offerIds[0]' });
    const badAck = await driver.acknowledge({ taskId: 'nope', agentId: 'x', frameworkId: 'y', state: 'RUNNING', source: 'SOURCE_AGENT', timestamp: 0, uuid: 'u' });
    expect(!badAck.ok && badAck.error).toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect(master.tasks.size).toBe(0);
    expect(master.offers.get(offer.id)).toBeDefined();
    // The offer is still good after all that.
    expect(await driver.launch([offer.id], [base])).toEqual({ ok: true, value: undefined });
  });

  it('kills a running task and reports KILLED', async () => {
    const { master, agents, framework } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    await driver.launch([offer.id], [task('k1', offer.agentId)]);
    await waitFor(() => scheduler.latest('k1')?.state === 'RUNNING');
    expect(await driver.kill('k1')).toEqual({ ok: true, value: undefined });
    await waitFor(() => scheduler.latest('k1')?.state === 'KILLED');
    expect(agents[0].killed).toContain('k1');
  });

  it('answers reconciliation with the latest state, and UNKNOWN for tasks it never had', async () => {
    const { master, framework } = await cluster();
    const { scheduler, driver } = await framework('f1');
    master.runAllocation();
    const offer = await waitFor(() => scheduler.take());
    await driver.launch([offer.id], [task('r1', offer.agentId)]);
    await waitFor(() => scheduler.latest('r1')?.state === 'RUNNING');
    const before = scheduler.updates.length;
    await driver.reconcile([{ taskId: 'r1' }, { taskId: 'ghost' }]);
    await waitFor(() => scheduler.updates.length >= before + 2);
    const replies = scheduler.updates.slice(before);
    expect(replies.find((u) => u.taskId === 'r1')).toMatchObject({ state: 'RUNNING', reason: 'REASON_RECONCILIATION', source: 'SOURCE_MASTER' });
    expect(replies.find((u) => u.taskId === 'ghost')).toMatchObject({ state: 'UNKNOWN' });
    expect(replies.every((u) => u.uuid === undefined)).toBe(true);
  });

  it('does not re-offer declined resources to the same framework before refuse_seconds', async () => {
    const clock = new ManualClock();
    const { master, framework } = await cluster({ clock });
    const a = await framework('a');
    master.runAllocation();
    const first = await waitFor(() => a.scheduler.take());
    expect(await a.driver.decline([first.id], { refuseSeconds: 5 })).toEqual({ ok: true, value: undefined });
    const seen = a.scheduler.offersSeen.length;
    for (let s = 0; s < 4; s++) {
      clock.tick(1000);
      master.runAllocation();
      await new Promise((r) => setImmediate(r));
    }
    expect(a.scheduler.offersSeen.length).toBe(seen);
    // Another framework gets them meanwhile.
    const b = await framework('b');
    master.runAllocation();
    const toB = await waitFor(() => b.scheduler.take());
    expect(toB.agentId).toBe(first.agentId);
    await b.driver.decline([toB.id], { refuseSeconds: 3600 });
    clock.tick(1001);
    master.runAllocation();
    const back = await waitFor(() => a.scheduler.take());
    expect(back.agentId).toBe(first.agentId);
  });

  it('rescinds an unanswered offer after the offer timeout', async () => {
    const clock = new ManualClock();
    const { master, framework } = await cluster({ clock, offerTimeoutMs: 10_000 });
    const a = await framework('a');
    master.runAllocation();
    const offer = await waitFor(() => a.scheduler.take());
    clock.tick(10_001);
    await waitFor(() => a.scheduler.rescinds.includes(offer.id));
    expect(master.offers.get(offer.id)).toBeUndefined();
    expect(master.counters.offersRescinded).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { silentLogger } from '../logging/logger.ts';
import { err, ok } from '../errors/result.ts';
import type { AgentLink, AgentRegistration } from '../agent/protocol.ts';
import type { Event, TaskInfo } from '../sdk/protocol.ts';
import { Master } from './master.ts';
import { agentView } from './master-views.ts';
import type { RegistryStore } from './records.ts';

class MemoryStore implements RegistryStore {
  readonly data = new Map<string, Map<string, unknown>>();
  async put(collection: string, id: string, value: unknown): Promise<void> {
    if (!this.data.has(collection)) this.data.set(collection, new Map());
    this.data.get(collection)!.set(id, JSON.parse(JSON.stringify(value)));
  }
  async delete(collection: string, id: string): Promise<void> {
    this.data.get(collection)?.delete(id);
  }
  async getAll<T>(collection: string): Promise<Map<string, T>> {
    return new Map(this.data.get(collection) as Map<string, T> | undefined);
  }
}

function link(remote: boolean): AgentLink & { kills: string[]; closed?: string } {
  const l = {
    remote,
    kills: [] as string[],
    closed: undefined as string | undefined,
    launch: () => undefined,
    kill: (_f: string, taskId: string) => void l.kills.push(taskId),
    acknowledge: () => undefined,
    readFile: async () => ok({ data: '', offset: 0, size: 0 }),
    taskStats: async (taskId: string) => err({ code: 'TASK_NOT_FOUND', message: `no stats of ${taskId} in this test` }),
    close: (reason: string) => void (l.closed = reason),
  };
  return l;
}

const AGENT = 'agent-1';
const task = (taskId: string): TaskInfo => ({ taskId, name: taskId, agentId: AGENT, resources: { scalars: { cpus: 1, mem: 64 }, ranges: {}, sets: {} }, command: { shell: true, value: 'sleep 1000' } });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function setup() {
  const clock = new ManualClock();
  const master = new Master({ clock, logger: silentLogger(), store: new MemoryStore(), agentHeartbeatIntervalMs: 100, agentTimeoutMs: 1000, agentLostTimeoutMs: 5000, allocationIntervalMs: 100 });
  await master.start();
  const events: Event[] = [];
  const sub = await master.subscribe({ name: 'fw', failoverTimeoutMs: 1e9 }, { send: (e) => void events.push(e), close: () => undefined });
  if (!sub.ok) throw new Error(sub.error.message);
  const frameworkId = sub.value.frameworkId;
  const registration = (tasks: string[], agentId = AGENT): AgentRegistration => ({
    agentId,
    hostname: 'h1',
    resources: { scalars: { cpus: 4, mem: 1024 }, ranges: {}, sets: {} },
    attributes: {},
    isolators: [],
    version: 't',
    tasks: tasks.map((t) => ({ frameworkId, task: task(t), state: 'RUNNING' as const })),
  });
  return { clock, master, events, frameworkId, registration };
}

describe('agent liveness (heartbeats, disconnection, loss) and drain', () => {
  it('a remote agent that stops heartbeating is disconnected, offers on it rescinded, then its tasks are LOST and frameworks hear FAILURE', async () => {
    const { clock, master, events, registration } = await setup();
    const l = link(true);
    const r = await master.registerAgent(registration(['t1']), l);
    if (!r.ok) throw new Error(r.error.message);
    const agentId = r.value.agentId;
    clock.tick(150);
    expect(events.some((e) => e.type === 'OFFERS')).toBe(true);
    for (let i = 0; i < 20; i++) {
      clock.tick(100);
      expect((await master.heartbeat(agentId)).ok).toBe(true);
    }
    expect(master.agents.get(agentId)?.state).toBe('ACTIVE');

    clock.tick(1300);
    expect(master.agents.get(agentId)?.state).toBe('DISCONNECTED');
    expect(events.some((e) => e.type === 'RESCIND')).toBe(true);
    expect(master.offers.onAgent(agentId)).toEqual([]);
    expect(master.allocator.available(agentId)).toBeUndefined();
    expect(master.tasks.get('t1')?.state).toBe('RUNNING');
    const refused = await master.heartbeat(agentId);
    expect(refused.ok ? undefined : refused.error.code).toBe('AGENT_NOT_REGISTERED');

    clock.tick(5000);
    await settle();
    expect(master.tasks.get('t1')).toMatchObject({ state: 'LOST', reason: 'REASON_AGENT_DISCONNECTED' });
    const update = events.find((e) => e.type === 'UPDATE' && e.status.taskId === 't1');
    expect(update).toMatchObject({ status: { state: 'LOST', reason: 'REASON_AGENT_DISCONNECTED', source: 'SOURCE_MASTER' } });
    expect(events.find((e) => e.type === 'FAILURE')).toMatchObject({ type: 'FAILURE', agentId });

    // Coming back late: the task the master ended is killed there.
    const back = link(true);
    expect((await master.registerAgent(registration(['t1'], agentId), back)).ok).toBe(true);
    expect(back.kills).toEqual(['t1']);
    expect(l.closed).toBe('replaced by a newer registration');
    master.stop();
  });

  it('an agent back before the lost timeout keeps its tasks', async () => {
    const { clock, master, registration } = await setup();
    const r = await master.registerAgent(registration(['t2']), link(true));
    if (!r.ok) throw new Error(r.error.message);
    clock.tick(1500);
    expect(master.agents.get(r.value.agentId)?.state).toBe('DISCONNECTED');
    const again = await master.registerAgent(registration(['t2'], r.value.agentId), link(true));
    expect(again.ok).toBe(true);
    for (let i = 0; i < 100; i++) {
      clock.tick(100);
      await master.heartbeat(r.value.agentId);
    }
    await settle();
    expect(master.agents.get(r.value.agentId)?.state).toBe('ACTIVE');
    expect(master.tasks.get('t2')?.state).toBe('RUNNING');
    master.stop();
  });

  it('never times out an in-process agent', async () => {
    const { clock, master, registration } = await setup();
    const r = await master.registerAgent(registration(['t3']), link(false));
    if (!r.ok) throw new Error(r.error.message);
    clock.tick(60_000);
    await settle();
    expect(master.agents.get(r.value.agentId)?.state).toBe('ACTIVE');
    expect(master.tasks.get('t3')?.state).toBe('RUNNING');
    master.stop();
  });

  it('the agent view says in-process for an agent in the master process; lastSeenAt moves with each heartbeat and status update', async () => {
    const { clock, master, frameworkId, registration } = await setup();
    const local = await master.registerAgent(registration(['t5'], 'agent-local'), link(false));
    const remote = await master.registerAgent(registration(['t6'], 'agent-remote'), link(true));
    if (!local.ok || !remote.ok) throw new Error('registration refused');
    const view = (id: string) => agentView(master, master.agents.get(id)!);
    expect(view(local.value.agentId).inProcess).toBe(true);
    expect(view(remote.value.agentId).inProcess).toBe(false);

    const registeredAt = view(remote.value.agentId).lastSeenAt;
    clock.tick(500);
    expect((await master.heartbeat(remote.value.agentId)).ok).toBe(true);
    expect(Date.parse(view(remote.value.agentId).lastSeenAt) - Date.parse(registeredAt)).toBe(500);
    clock.tick(300);
    master.statusUpdate(local.value.agentId, { taskId: 't5', frameworkId, agentId: local.value.agentId, state: 'FINISHED', source: 'SOURCE_EXECUTOR', timestamp: clock.now(), uuid: 'u-1' });
    await settle();
    expect(view(local.value.agentId).lastSeenAt).toBe(new Date(clock.now()).toISOString());
    master.stop();
  });

  it('drain: no offers on the agent any more, tasks keep running, and it stays draining across a re-registration', async () => {
    const { clock, master, events, registration } = await setup();
    const r = await master.registerAgent(registration(['t4']), link(false));
    if (!r.ok) throw new Error(r.error.message);
    const agentId = r.value.agentId;
    clock.tick(150);
    expect(master.offers.onAgent(agentId).length).toBe(1);
    const drained = await master.drainAgent(agentId);
    expect(drained.ok && drained.value.state).toBe('DRAINING');
    expect(master.offers.onAgent(agentId)).toEqual([]);
    const offersBefore = events.filter((e) => e.type === 'OFFERS').length;
    clock.tick(1000);
    expect(events.filter((e) => e.type === 'OFFERS').length).toBe(offersBefore);
    expect(master.tasks.get('t4')?.state).toBe('RUNNING');
    await master.registerAgent(registration(['t4'], agentId), link(false));
    expect(master.agents.get(agentId)?.state).toBe('DRAINING');
    clock.tick(1000);
    expect(master.offers.onAgent(agentId)).toEqual([]);
    const missing = await master.drainAgent('nope');
    expect(missing.ok ? undefined : missing.error.code).toBe('AGENT_NOT_FOUND');
    master.stop();
  });
});

/**
 * High availability with real processes on loopback: three `orrery master` replicas against one Redis (AOF), two
 * `orrery agent`s given all three URLs. What an operator checks:
 *   - kill -9 of the leader, five times in a row (bench/chaos.ts loops it for as long as asked): another replica
 *     leads within 5 s, the 20 long-running tasks keep running with the same PIDs, and every short task the API
 *     accepted ends FINISHED (an external framework's updates: exactly once, below);
 *   - any replica answers: a follower names the leader and forwards requests to it; the scheduler API redirects;
 *   - SIGSTOP of the leader past its lease: another leads; after SIGCONT the old one steps down and a write with its
 *     epoch is rejected by Redis;
 *   - a Redis restart under load: no process exits, no state is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRedis } from '../../core/coordination/redis-client.ts';
import { FencedError, RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { killProcessGroups } from '../helpers/processes.ts';
import { api, getJson, HA_SECRET, HaCluster, ShortTaskStream, terminalStates } from '../helpers/ha-cluster.ts';
import { HttpTransport, SchedulerDriver, type TaskInfo } from '../../core/sdk/index.ts';
import { RecordingScheduler } from '../helpers/recording-scheduler.ts';
import { writeFile } from 'node:fs/promises';

const LEASE_TTL = 3000;
const LONG_TASKS = 20;
const KILLS = 5;

let redis: TestRedis;
let root: string;
let cluster: HaCluster;
const prefix = `ha-${process.pid}`;
const groups = new Set<number>();
/** Long-running task id → executor PID. */
const longTasks = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Any live replica (they forward to the leader). */
const anyReplica = (n: number): string => cluster.replica(n);

async function taskView(id: string): Promise<any> {
  return getJson(`${anyReplica(0)}/v1/tasks/${id}`, 5000);
}

/** Every long task RUNNING on the leader's view, with the PID it started with, and alive. */
async function longTasksIntact(): Promise<void> {
  await waitFor(async () => {
    for (const [id, pid] of longTasks) {
      const t = await taskView(id);
      if (t?.state !== 'RUNNING' || t.executorPid !== pid) return false;
    }
    return true;
  }, { timeoutMs: 30_000, message: 'long-running tasks RUNNING with their PIDs' });
  for (const pid of longTasks.values()) expect(alive(pid)).toBe(true);
}

/** Both agents ACTIVE on the current leader. */
async function agentsBack(): Promise<void> {
  await waitFor(async () => {
    const r = await getJson<{ agents: Array<{ id: string; state: string }> }>(`${anyReplica(0)}/v1/agents`, 5000);
    return r !== undefined && cluster.agents.every((a) => r.agents.find((x) => x.id === a.agentId)?.state === 'ACTIVE');
  }, { timeoutMs: 30_000, message: 'agents re-registered with the new leader' });
}

beforeAll(async () => {
  redis = await startTestRedis({ appendonly: true });
  root = await mkdtemp(path.join(tmpdir(), 'orrery-ha-'));
  cluster = new HaCluster({ redisUrl: redis.url, root, prefix, leaseTtlMs: LEASE_TTL });
  await cluster.start();
  for (let i = 0; i < LONG_TASKS; i++) {
    const r = await api('POST', `${anyReplica(i)}/v1/tasks`, { command: 'sleep 600', cpus: 0.1, mem: 8, name: `long-${i}` });
    expect(r.status).toBe(202);
    longTasks.set(r.body.id, 0);
  }
  for (const id of longTasks.keys()) {
    const t = await waitFor(async () => {
      const v = await taskView(id);
      return v?.state === 'RUNNING' && v.executorPid ? v : undefined;
    }, { timeoutMs: 30_000, message: `long task ${id} RUNNING` });
    longTasks.set(id, t.executorPid);
    groups.add(t.executorPid);
  }
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  killProcessGroups(groups);
  await redis?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 60_000);

describe('high availability: three master replicas, two agents', () => {
  it('any replica answers: followers name the leader and forward to it (SSE too); the scheduler API redirects to it', { timeout: 60_000 }, async () => {
    const { leader, index } = await cluster.leader();
    const names = await Promise.all(cluster.masterUrls.map((u) => getJson<{ id: string }>(`${u}/v1/leader`)));
    expect(names.map((n) => n?.id)).toEqual(cluster.masterUrls.map(() => leader.id));
    const follower = cluster.otherThan(index);
    const state = await api('GET', `${follower}/v1/state`);
    expect(state.status).toBe(200);
    expect(state.body.masterId).toBe(leader.id);
    // Server-sent events stream through the follower as they come (a task submitted through another replica).
    const events = new AbortController();
    const sse = await fetch(`${follower}/v1/events`, { signal: events.signal });
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const submitted = await api('POST', `${cluster.masterUrls[index]}/v1/tasks`, { command: 'true', cpus: 0.05, mem: 8, name: 'sse-probe' });
      const reader = sse.body!.getReader();
      let text = '';
      await waitFor(async () => {
        const chunk = await reader.read();
        text += new TextDecoder().decode(chunk.value ?? new Uint8Array());
        return text.includes(submitted.body.id);
      }, { timeoutMs: 20_000, message: 'the task event through the follower' });
    } finally {
      events.abort();
    }
    const redirect = await fetch(`${follower}/api/v1/scheduler`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get('location')).toBe(`${leader.address}/api/v1/scheduler`);
  });

  it(`kill -9 of the leader ×${KILLS}: a new leader within 5 s, long tasks keep their PIDs, every accepted short task ends FINISHED`, { timeout: 300_000 }, async () => {
    const stream = new ShortTaskStream(cluster);
    stream.start();
    const failovers: number[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        const { leader, index } = await cluster.leader();
        // Let some short tasks run under this leader first.
        const before = stream.accepted.length;
        await waitFor(() => stream.accepted.length >= before + 3, { timeoutMs: 20_000, message: 'short tasks flowing' });
        const killedAt = Date.now();
        await cluster.masters[index]!.kill9();
        const next = await cluster.leader({ notId: leader.id, timeoutMs: 15_000 });
        failovers.push(Date.now() - killedAt);
        expect(next.leader.epoch).toBeGreaterThan(leader.epoch);
        await cluster.restartMaster(index);
        await agentsBack();
        await longTasksIntact();
      }
    } finally {
      await stream.stop();
    }
    expect(Math.max(...failovers)).toBeLessThanOrEqual(5000);

    // Every accepted short task ends FINISHED — also those accepted by a leader killed before it launched them
    // (they are journaled in the registry and taken over by the next leader).
    const ends = await terminalStates(cluster, stream.accepted);
    const vanished = [...ends].filter(([, t]) => t.state === 'UNKNOWN').map(([id]) => id);
    for (const [id, t] of ends) if (t.state !== 'UNKNOWN') expect(t, `short task ${id}: ${t.reason ?? ''} ${t.message ?? ''}`).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    console.info(`failover times (ms): ${failovers.join(', ')}; short tasks accepted ${stream.accepted.length}`);
    expect(vanished).toEqual([]);
    expect(stream.accepted.length).toBeGreaterThan(KILLS * 3);
  });

  it('an external framework (HTTP, given every replica) keeps its tasks and gets its updates across a leader kill', { timeout: 120_000 }, async () => {
    const { leader, index } = await cluster.leader();
    const follower = cluster.otherThan(index);
    const release = path.join(root, 'release-fw');
    const scheduler = new RecordingScheduler();
    const toLaunch: Array<{ id: string; command: string }> = [
      { id: 'fw-long', command: 'sleep 600' },
      { id: 'fw-after', command: `while [ ! -f ${release} ]; do sleep 0.05; done` },
    ];
    scheduler.onOffers = async (driver, offers) => {
      for (const offer of offers) {
        const next = toLaunch.shift();
        if (!next) {
          await driver.decline([offer.id], { refuseSeconds: 3600 });
          continue;
        }
        const task: TaskInfo = { taskId: next.id, name: next.id, agentId: offer.agentId, resources: { scalars: { cpus: 0.1, mem: 8 }, ranges: {}, sets: {} }, command: { shell: true, value: next.command } };
        await driver.launch([offer.id], [task]);
      }
    };
    // Subscribes through a follower (307 to the leader); after a loss it tries the others in turn.
    const transport = new HttpTransport({ url: follower, otherUrls: cluster.masterUrls, logger: silentLogger(), backoff: { initialMs: 100, maxMs: 1000 } });
    const driver = new SchedulerDriver(transport, { name: 'ha-external', failoverTimeoutMs: 300_000 }, scheduler, { logger: silentLogger() });
    expect((await driver.start()).ok).toBe(true);
    try {
      await waitFor(() => scheduler.latest('fw-long')?.state === 'RUNNING' && scheduler.latest('fw-after')?.state === 'RUNNING', { timeoutMs: 30_000, message: 'both framework tasks RUNNING' }).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}; offers seen ${scheduler.offersSeen.length}, updates ${JSON.stringify(scheduler.updates.map((u) => [u.taskId, u.state, u.message]))}`);
      });
      const pid = (await taskView('fw-long')).executorPid as number;
      groups.add(pid);
      await cluster.masters[index]!.kill9();
      await cluster.leader({ notId: leader.id, timeoutMs: 15_000 });
      await writeFile(release, '');
      await waitFor(() => scheduler.latest('fw-after')?.state === 'FINISHED', { timeoutMs: 60_000, message: 'the FINISHED update reaches the framework after the failover' });
      expect(scheduler.updates.filter((u) => u.taskId === 'fw-after' && u.state === 'FINISHED')).toHaveLength(1);
      expect(await taskView('fw-long')).toMatchObject({ state: 'RUNNING', executorPid: pid });
      expect(scheduler.updates.filter((u) => u.taskId === 'fw-long' && ['KILLED', 'LOST', 'FAILED'].includes(u.state))).toEqual([]);
      await cluster.restartMaster(index);
      await agentsBack();
    } finally {
      driver.stop();
    }
  });

  it('SIGSTOP of the leader past its lease: another leads; after SIGCONT the old one steps down; its epoch is fenced in Redis and at the agents', { timeout: 90_000 }, async () => {
    const { leader, index } = await cluster.leader();
    const old = cluster.masters[index]!;
    old.child.kill('SIGSTOP');
    let resumed = false;
    try {
      const next = await cluster.leader({ notId: leader.id, timeoutMs: 20_000 });
      expect(next.leader.epoch).toBeGreaterThan(leader.epoch);
      old.child.kill('SIGCONT');
      resumed = true;
      // It notices at once (its renew answers 0, or its deadline passed while stopped) and stops acting.
      await waitFor(() => old.logs().some((l) => l.msg === 'leadership lost' && l.epoch === leader.epoch), { timeoutMs: 15_000, message: 'old leader logs the loss' });
      await waitFor(async () => (await getJson<{ id: string }>(`${old.url}/v1/leader`))?.id === next.leader.id, { timeoutMs: 15_000, message: 'old leader names the new one' });
      // Its requests are forwarded now: the state it answers is the new leader's.
      expect((await api('GET', `${old.url}/v1/state`)).body.masterId).toBe(next.leader.id);
      // A registry write with the deposed epoch is rejected by Redis.
      const client = createRedis(redis.url, { name: 'ha-test', logger: silentLogger() });
      try {
        const store = new RedisRegistryStore(client, prefix, silentLogger());
        store.setEpoch(leader.epoch);
        const write = store.put('cluster', 'deposed-write', { by: leader.id });
        await expect(write).rejects.toBeInstanceOf(FencedError);
        await expect(write).rejects.toMatchObject({ writerEpoch: leader.epoch, currentEpoch: next.leader.epoch });
      } finally {
        await client.quit();
      }
      expect(old.child.exitCode).toBeNull();
      await agentsBack();
      // The agents heard from the new leader: a command carrying the deposed epoch is refused (it kills nothing).
      const [someTask] = longTasks.keys();
      const stale = await fetch(`${cluster.agents[0]!.url}/api/v1/agent/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-orrery-cluster-secret': HA_SECRET },
        body: JSON.stringify({ sessionId: 'deposed-session', seq: 1, epoch: leader.epoch, messages: [{ type: 'KILL', frameworkId: 'any', taskId: someTask }] }),
      });
      expect(stale.status).toBe(409);
      expect(((await stale.json()) as { code: string }).code).toBe('ORR_ERR_AGENT_EPOCH_STALE');
      await longTasksIntact();
    } finally {
      if (!resumed) old.child.kill('SIGCONT');
    }
  });

  it('a Redis restart under load: no process exits, no task is lost', { timeout: 120_000 }, async () => {
    const stream = new ShortTaskStream(cluster);
    stream.start();
    try {
      await waitFor(() => stream.accepted.length >= 3, { timeoutMs: 20_000, message: 'short tasks flowing' });
      await redis.restart();
      const before = stream.accepted.length;
      await waitFor(() => stream.accepted.length >= before + 3, { timeoutMs: 30_000, message: 'short tasks flowing after the restart' });
    } finally {
      await stream.stop();
    }
    for (const p of [...cluster.masters, ...cluster.agents]) expect(p.child.exitCode, p.output().slice(-2000)).toBeNull();
    await cluster.leader();
    await agentsBack();
    await longTasksIntact();
    for (const [id, t] of await terminalStates(cluster, stream.accepted)) expect(t, `short task ${id}`).toMatchObject({ state: 'FINISHED', exitCode: 0 });
  });
});

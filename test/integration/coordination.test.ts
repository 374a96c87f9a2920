import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock/clock.ts';
import { registryKeys } from '../../core/coordination/keys.ts';
import { RedisLeaderContender, type LeaderContenderEvents } from '../../core/coordination/leader-contender.ts';
import { FencedError, RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const TTL = 300;
const log = silentLogger();

let server: TestRedis;
let redis: Redis;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

async function waitFor(predicate: () => boolean | Promise<boolean>, opts: { timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function nextLost(c: RedisLeaderContender): Promise<LeaderContenderEvents['lost'][0]> {
  return new Promise((resolve) => c.once('lost', resolve));
}

/** Waits until the lease's remaining time has been pushed back up `n` times, i.e. `n` renewals happened. */
async function waitForRenewals(p: string, n: number): Promise<void> {
  let last = Infinity;
  let renewals = 0;
  await waitFor(
    async () => {
      const pttl = Number(await redis.pttl(registryKeys(p).leader));
      if (pttl > last) renewals++;
      last = pttl;
      return renewals >= n;
    },
    { timeoutMs: (n + 6) * TTL },
  );
}

function prefix(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

function contender(p: string, id: string, conn: Redis = redis): RedisLeaderContender {
  const c = new RedisLeaderContender(conn, p, { id, ttlMs: TTL, address: `http://${id}.local:5050` }, systemClock, log);
  cleanups.push(() => c.resign());
  return c;
}

describe('leader lease', () => {
  it('elects exactly one of two contenders; the other wins with a higher epoch after a resign', async () => {
    const p = prefix();
    const a = contender(p, 'a');
    const b = contender(p, 'b');
    const campaigns = [a.campaign().then(() => a), b.campaign().then(() => b)];
    const winner = await Promise.race(campaigns);
    const loser = winner === a ? b : a;
    expect(winner.isLeader).toBe(true);
    expect(loser.isLeader).toBe(false);
    expect(await RedisLeaderContender.currentLeader(redis, p)).toEqual({ id: winner.id, address: `http://${winner.id}.local:5050` });
    expect(Number(await redis.get(registryKeys(p).epoch))).toBe(winner.epoch);

    // The loser keeps campaigning (every ttl/3) and must still be out after a full ttl of renewals.
    await waitForRenewals(p, 4);
    expect(loser.isLeader).toBe(false);

    const firstEpoch = winner.epoch;
    await winner.resign();
    expect(winner.isLeader).toBe(false);
    await campaigns[winner === a ? 1 : 0];
    expect(loser.isLeader).toBe(true);
    expect(loser.epoch).toBeGreaterThan(firstEpoch);
    expect((await RedisLeaderContender.currentLeader(redis, p))?.id).toBe(loser.id);
  });

  it('keeps the lease beyond its ttl by renewing it', async () => {
    const p = prefix();
    const a = contender(p, 'a');
    const { epoch } = await a.campaign();
    const lost = { value: false };
    a.on('lost', () => (lost.value = true));
    // Renewed every ttl/3: 7 renewals span more than two ttls.
    await waitForRenewals(p, 7);
    expect(a.isLeader).toBe(true);
    expect(lost.value).toBe(false);
    expect(a.epoch).toBe(epoch);
    expect(Number(await redis.pttl(registryKeys(p).leader))).toBeGreaterThan(0);
  });

  it('lets the other contender win once the leader stops renewing and the lease expires', async () => {
    const p = prefix();
    const ownConn = new Redis(server.url, { maxRetriesPerRequest: 0 });
    ownConn.on('error', () => undefined); // the disconnect below is the point of the test
    const a = contender(p, 'a', ownConn);
    const { epoch: first } = await a.campaign();
    const b = contender(p, 'b');
    const bWins = b.campaign();

    const aLost = nextLost(a);
    ownConn.disconnect(); // a is partitioned from Redis: its renews fail
    const lost = await aLost;
    expect(lost).toEqual({ epoch: first, reason: 'renew-failing' });
    expect(a.isLeader).toBe(false);

    const { epoch: second } = await bWins;
    expect(second).toBeGreaterThan(first);
    expect(b.isLeader).toBe(true);
  });

  it('steps down at once and emits lost when a renew finds the lease taken', async () => {
    const p = prefix();
    const a = contender(p, 'a');
    const { epoch } = await a.campaign();
    const lost = nextLost(a);
    await redis.set(registryKeys(p).leader, JSON.stringify({ id: 'intruder' }), 'PX', 10_000);
    expect(await lost).toEqual({ epoch, reason: 'lease-lost' });
    expect(a.isLeader).toBe(false);
    expect(await RedisLeaderContender.currentLeader(redis, p)).toEqual({ id: 'intruder' });
  });

  it('opens a new, larger epoch on every win, even when the same contender wins again', async () => {
    const p = prefix();
    const a = contender(p, 'a');
    const epochs: number[] = [];
    for (let i = 0; i < 3; i++) {
      epochs.push((await a.campaign()).epoch);
      await a.resign();
    }
    expect(epochs[1]).toBeGreaterThan(epochs[0]);
    expect(epochs[2]).toBeGreaterThan(epochs[1]);
  });

  it('rejects a pending campaign when resigned', async () => {
    const p = prefix();
    const a = contender(p, 'a');
    await a.campaign();
    const b = contender(p, 'b');
    const pending = b.campaign();
    await b.resign();
    await expect(pending).rejects.toMatchObject({ code: 'CAMPAIGN_CANCELLED' });
    expect(await RedisLeaderContender.currentLeader(redis, p)).toMatchObject({ id: 'a' });
  });
});

describe('fencing', () => {
  it('refuses every write of a store holding an old epoch; the new leader writes', async () => {
    const p = prefix();
    const keys = registryKeys(p);
    const a = contender(p, 'a');
    const { epoch: oldEpoch } = await a.campaign();
    const oldStore = new RedisRegistryStore(redis, p, log);
    oldStore.setEpoch(oldEpoch);
    await oldStore.put('tasks', 'keep', { state: 'RUNNING' });

    // a's lease vanishes (as if it expired while a was paused) and b takes over.
    await redis.del(keys.leader);
    const b = contender(p, 'b');
    const { epoch: newEpoch } = await b.campaign();
    expect(newEpoch).toBeGreaterThan(oldEpoch);

    const attempts = [
      oldStore.put('tasks', 't1', { state: 'FINISHED' }),
      oldStore.put('jobs', 'j1', { name: 'j1' }),
      oldStore.delete('tasks', 'keep'),
    ];
    const results = await Promise.allSettled(attempts);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as FencedError;
      expect(reason).toBeInstanceOf(FencedError);
      expect(reason.code).toBe('FENCED');
      expect(reason.writerEpoch).toBe(oldEpoch);
      expect(reason.currentEpoch).toBe(newEpoch);
    }
    await expect(oldStore.flush()).resolves.toBeUndefined(); // nothing left pending
    expect(await redis.hget(keys.tasks, 't1')).toBeNull();
    expect(await redis.exists(keys.collection('jobs'))).toBe(0);
    expect(JSON.parse((await redis.hget(keys.tasks, 'keep')) ?? 'null')).toEqual({ state: 'RUNNING' });

    const newStore = new RedisRegistryStore(redis, p, log);
    newStore.setEpoch(newEpoch);
    await newStore.put('tasks', 't1', { state: 'LOST' });
    await newStore.delete('tasks', 'keep');
    expect(await newStore.get('tasks', 't1')).toEqual({ state: 'LOST' });
    expect(await newStore.get('tasks', 'keep')).toBeUndefined();
  });
});

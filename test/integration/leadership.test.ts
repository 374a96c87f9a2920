/**
 * The leadership lifecycle against a real Redis, with stand-in terms: one replica leads and the other names it;
 * a leader whose lease is taken steps down at once (its term stopped, its writes fenced) and campaigns again;
 * a clean stop hands over.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock/clock.ts';
import { registryKeys } from '../../core/coordination/keys.ts';
import { RedisLeaderContender } from '../../core/coordination/leader-contender.ts';
import { FencedError, RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { Leadership } from '../../services/server/leadership.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

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

interface FakeTerm {
  epoch: number;
  stopped: boolean;
  stop(): Promise<void>;
}

function replica(prefix: string, id: string) {
  const store = new RedisRegistryStore(redis, prefix, log);
  const contender = new RedisLeaderContender(redis, prefix, { id, ttlMs: TTL, address: `http://${id}` }, systemClock, log);
  const terms: FakeTerm[] = [];
  const leadership = new Leadership<FakeTerm>({
    contender,
    store,
    self: { id, address: () => `http://${id}` },
    startTerm: async (epoch) => {
      const term: FakeTerm = { epoch, stopped: false, stop: async () => void (term.stopped = true) };
      terms.push(term);
      return term;
    },
    clock: systemClock,
    logger: log,
    pollMs: 50,
  });
  leadership.start();
  cleanups.push(() => leadership.stop());
  return { leadership, terms, store };
}

describe('Leadership', () => {
  it('one leads, the other follows and names it; a taken lease makes the leader step down at once and campaign again', { timeout: 20_000 }, async () => {
    const prefix = `lead-${Date.now()}`;
    const a = replica(prefix, 'a');
    await a.leadership.led();
    const b = replica(prefix, 'b');
    await waitFor(() => b.leadership.leader?.id === 'a', { timeoutMs: 5000, message: 'b names a' });
    expect(b.leadership.isLeader).toBe(false);
    expect(b.leadership.leader).toMatchObject({ id: 'a', address: 'http://a', epoch: a.terms[0]!.epoch });

    // Someone else takes the lease (as a replica that won after a's lease expired would).
    await redis.set(registryKeys(prefix).leader, JSON.stringify({ id: 'intruder' }), 'PX', TTL);
    await redis.incr(registryKeys(prefix).epoch);
    await waitFor(() => a.terms[0]!.stopped, { timeoutMs: 5000, message: "a's term stopped" });
    expect(a.leadership.term).toBeUndefined();
    // Its writes with the old epoch are refused.
    await expect(a.store.put('cluster', 'late', 1)).rejects.toBeInstanceOf(FencedError);
    // The intruder's lease runs out; a or b leads again with a newer epoch.
    await waitFor(() => a.leadership.isLeader || b.leadership.isLeader, { timeoutMs: 5000, message: 'a new term' });
    const newer = [...a.terms, ...b.terms].at(-1)!;
    expect(newer.epoch).toBeGreaterThan(a.terms[0]!.epoch + 1);
    expect(a.leadership.isLeader && b.leadership.isLeader).toBe(false);
  });

  it('a clean stop ends the term and hands the lease over at once', { timeout: 20_000 }, async () => {
    const prefix = `handover-${Date.now()}`;
    const a = replica(prefix, 'a');
    await a.leadership.led();
    const b = replica(prefix, 'b');
    await a.leadership.stop();
    expect(a.terms[0]!.stopped).toBe(true);
    await b.leadership.led();
    expect(b.leadership.leader?.id).toBe('b');
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventStream, type EventStreamOptions } from '../../core/coordination/event-stream.ts';
import { registryKeys } from '../../core/coordination/keys.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let server: TestRedis;
let redis: Redis;
const opened: RedisEventStream[] = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

function stream(opts?: EventStreamOptions): { events: RedisEventStream; prefix: string } {
  const prefix = `e-${randomUUID().slice(0, 8)}`;
  const events = new RedisEventStream(redis, prefix, silentLogger(), opts);
  opened.push(events);
  return { events, prefix };
}

/** Compares stream ids `<ms>-<seq>` numerically. */
function idAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  return am > bm || (am === bm && as > bs);
}

describe('RedisEventStream', () => {
  it('appends and reads back in order, and after a given id', async () => {
    const { events } = stream();
    expect(await events.latestId()).toBe('0-0');
    const ids = [
      await events.append('task_updated', { taskId: 't1', state: 'RUNNING' }),
      await events.append('agent_added', { agentId: 'a1' }),
      await events.append('task_updated', { taskId: 't1', state: 'FINISHED' }),
    ];
    expect(idAfter(ids[1], ids[0]) && idAfter(ids[2], ids[1])).toBe(true);
    expect(await events.latestId()).toBe(ids[2]);

    const all = await events.read('0');
    expect(all).toEqual([
      { id: ids[0], type: 'task_updated', data: { taskId: 't1', state: 'RUNNING' } },
      { id: ids[1], type: 'agent_added', data: { agentId: 'a1' } },
      { id: ids[2], type: 'task_updated', data: { taskId: 't1', state: 'FINISHED' } },
    ]);
    expect((await events.read(ids[1])).map((e) => e.id)).toEqual([ids[2]]);
    expect(await events.read(ids[2])).toEqual([]);
    expect((await events.read('0', { count: 2 })).map((e) => e.id)).toEqual(ids.slice(0, 2));
  });

  it('caps its length approximately at maxLen', async () => {
    const maxLen = 200;
    const total = 1000;
    const { events, prefix } = stream({ maxLen });
    const ids = await Promise.all(Array.from({ length: total }, (_, i) => events.append('tick', { i })));
    const len = await redis.xlen(registryKeys(prefix).events);
    expect(len).toBeGreaterThanOrEqual(maxLen);
    expect(len).toBeLessThan(total / 2);
    const oldest = await events.oldestId();
    expect(idAfter(oldest, ids[0])).toBe(true);
    expect(await events.latestId()).toBe(ids[total - 1]);
  });

  it('with an epoch set, appends only while it is current: a deposed term gets FencedError and appends nothing', async () => {
    const maxLen = 200;
    const { events, prefix } = stream({ maxLen });
    const epochKey = registryKeys(prefix).epoch;
    events.setEpoch(await redis.incr(epochKey));
    const ids = await Promise.all(Array.from({ length: 500 }, (_, i) => events.append('tick', { i })));
    expect((await events.read('0', { count: 1000 })).at(-1)).toEqual({ id: ids[499], type: 'tick', data: { i: 499 } });
    // Still capped through the script.
    expect(await redis.xlen(registryKeys(prefix).events)).toBeLessThan(500);

    await redis.incr(epochKey); // another leader won the lease
    await expect(events.append('tick', { i: 'deposed' })).rejects.toMatchObject({ name: 'FencedError', writerEpoch: 1, currentEpoch: 2 });
    expect(await events.latestId()).toBe(ids[499]);
  });

  it('returns a blocking read as soon as an event is appended', async () => {
    const { events } = stream();
    await events.append('before', {});
    const reading = events.read(await events.latestId(), { blockMs: 10_000 });
    const id = await events.append('after', { n: 1 });
    expect(await reading).toEqual([{ id, type: 'after', data: { n: 1 } }]);
  });

  it('returns [] when a blocking read times out, and when close() interrupts one', async () => {
    const { events } = stream();
    expect(await events.read('$', { blockMs: 50 })).toEqual([]);
    const forever = events.read('$', { blockMs: 0 });
    await events.close();
    expect(await forever).toEqual([]);
    expect(await events.read('0', { blockMs: 10 })).toEqual([]);
  });

  it('serves concurrent blocking readers on separate connections', async () => {
    const { events } = stream();
    const from = await events.latestId();
    const readers = [0, 1, 2].map(() => events.read(from, { blockMs: 10_000 }));
    const id = await events.append('fanout', null);
    for (const r of await Promise.all(readers)) expect(r).toEqual([{ id, type: 'fanout', data: null }]);
  });
});

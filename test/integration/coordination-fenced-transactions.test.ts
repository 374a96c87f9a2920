/**
 * The services' fenced transactions on a real Redis: a term writes while its epoch is current; once another term
 * took the epoch (INCR, as a lease win does) nothing it writes lands — also when the new term starts between a
 * transaction's reads and its EXEC, which is what WATCH on the epoch key is for.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedError } from '../../core/coordination/fenced-error.ts';
import { FencedTransactions, leaderFence } from '../../core/coordination/fenced-transactions.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let server: TestRedis;
let redis: Redis;
const pools: Redis[][] = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  for (const pool of pools) for (const c of pool) c.disconnect();
  redis?.disconnect();
  await server?.stop();
});

function pool(n: number): Redis[] {
  const p = Array.from({ length: n }, () => new Redis(server.url));
  pools.push(p);
  return p;
}

/** A fresh prefix whose epoch a term took, and that term's transactions. */
async function term(): Promise<{ prefix: string; tag: string; epochKey: string; tx: FencedTransactions }> {
  const prefix = `f-${randomUUID().slice(0, 8)}`;
  const fence = leaderFence(prefix, 1);
  await redis.incr(fence.key);
  return { prefix, tag: `{${prefix}}`, epochKey: fence.key, tx: new FencedTransactions(pool(2), fence) };
}

describe('FencedTransactions', () => {
  it('writes while the epoch is current and returns EXEC replies', async () => {
    const { tag, tx } = await term();
    const replies = await tx.write((m) => m.hset(`${tag}:h`, 'a', '1').hget(`${tag}:h`, 'a'));
    expect(replies.map(([e, r]) => [e, r])).toEqual([
      [null, 1],
      [null, '1'],
    ]);
    expect(await tx.optimistic([`${tag}:h`], async (c) => ({ result: await c.hget(`${tag}:h`, 'a'), writes: (m) => m.hset(`${tag}:h`, 'b', '2') }))).toBe('1');
    expect(await redis.hgetall(`${tag}:h`)).toEqual({ a: '1', b: '2' });
  });

  it('refuses every write once another term took the epoch, and writes nothing', async () => {
    const { tag, epochKey, tx } = await term();
    await redis.incr(epochKey);
    await expect(tx.write((m) => m.set(`${tag}:k`, 'deposed'))).rejects.toMatchObject({ name: 'FencedError', writerEpoch: 1, currentEpoch: 2 });
    await expect(tx.optimistic([`${tag}:k`], async () => ({ result: 'x', writes: (m) => m.set(`${tag}:k`, 'deposed') }))).rejects.toBeInstanceOf(FencedError);
    expect(await redis.exists(`${tag}:k`)).toBe(0);
  });

  it('a new term between the reads and EXEC aborts the transaction: FencedError, nothing written', async () => {
    const { tag, epochKey, tx } = await term();
    let bodies = 0;
    const write = tx.optimistic([`${tag}:counter`], async (c) => {
      bodies++;
      const n = Number((await c.get(`${tag}:counter`)) ?? 0);
      // Another replica wins the lease while this one decides (a GC pause, a SIGSTOP).
      if (bodies === 1) await redis.incr(epochKey);
      return { result: n + 1, writes: (m) => m.set(`${tag}:counter`, String(n + 1)).set(`${tag}:by`, 'deposed') };
    });
    await expect(write).rejects.toMatchObject({ name: 'FencedError', writerEpoch: 1, currentEpoch: 2 });
    // EXEC found the epoch key moved and applied nothing; the second attempt saw the new epoch and gave up.
    expect(bodies).toBe(2);
    expect(await redis.exists(`${tag}:counter`, `${tag}:by`)).toBe(0);
  });

  it('without a fence: plain optimistic transactions that retry when a watched key moved', async () => {
    const prefix = `u-${randomUUID().slice(0, 8)}`;
    const tag = `{${prefix}}`;
    const tx = new FencedTransactions(pool(2));
    await tx.write((m) => m.set(`${tag}:n`, '0'));
    let bodies = 0;
    const result = await tx.optimistic([`${tag}:n`], async (c) => {
      bodies++;
      const n = Number(await c.get(`${tag}:n`));
      if (bodies === 1) await redis.set(`${tag}:n`, '10');
      return { result: n + 1, writes: (m) => m.set(`${tag}:n`, String(n + 1)) };
    });
    expect(bodies).toBe(2);
    expect(result).toBe(11);
    expect(await redis.get(`${tag}:n`)).toBe('11');
  });
});

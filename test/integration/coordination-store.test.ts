import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryKeys } from '../../core/coordination/keys.ts';
import { RedisRegistryStore, type RegistryStoreOptions } from '../../core/coordination/registry-store.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

/** A store on a fresh prefix whose epoch was taken the way the lease does it (INCR). */
async function freshStore(opts?: RegistryStoreOptions): Promise<{ store: RedisRegistryStore; prefix: string }> {
  const prefix = `s-${randomUUID().slice(0, 8)}`;
  const epoch = await redis.incr(registryKeys(prefix).epoch);
  const store = new RedisRegistryStore(redis, prefix, silentLogger(), opts);
  store.setEpoch(epoch);
  return { store, prefix };
}

async function scriptCalls(): Promise<number> {
  const info = await redis.info('commandstats');
  let calls = 0;
  for (const m of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) calls += Number(m[1]);
  return calls;
}

describe('RedisRegistryStore', () => {
  it('coalesces 10,000 concurrent puts into few script calls and reads them all back', async () => {
    const { store } = await freshStore();
    const n = 10_000;
    const before = await scriptCalls();
    await Promise.all(Array.from({ length: n }, (_, i) => store.put('tasks', `task-${i}`, { i, state: 'RUNNING' })));
    const calls = (await scriptCalls()) - before;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(n / 100);

    const all = await store.getAll<{ i: number; state: string }>('tasks');
    expect(all.size).toBe(n);
    for (let i = 0; i < n; i++) expect(all.get(`task-${i}`)).toEqual({ i, state: 'RUNNING' });
  });

  it('lets a later put of the same id win, within a batch and across batches', async () => {
    const { store } = await freshStore({ maxBatchOps: 7, maxInFlight: 2 });
    const writes: Array<Promise<void>> = [];
    for (let round = 0; round < 50; round++) {
      for (let id = 0; id < 5; id++) writes.push(store.put('apps', `app-${id}`, { round }));
    }
    await Promise.all(writes);
    const all = await store.getAll<{ round: number }>('apps');
    expect([...all.values()].map((v) => v.round)).toEqual([49, 49, 49, 49, 49]);

    void store.put('apps', 'app-0', { round: 'a' });
    const last = store.put('apps', 'app-0', { round: 'b' });
    await last;
    expect(await store.get('apps', 'app-0')).toEqual({ round: 'b' });
  });

  it('deletes, and a delete after a put in the same batch wins', async () => {
    const { store, prefix } = await freshStore();
    await store.put('agents', 'a1', { host: 'h1' });
    await store.put('agents', 'a2', { host: 'h2' });
    const p1 = store.delete('agents', 'a1');
    const p2 = store.put('agents', 'a3', { host: 'h3' });
    const p3 = store.delete('agents', 'a3');
    await Promise.all([p1, p2, p3]);
    expect(await store.get('agents', 'a1')).toBeUndefined();
    expect(await store.get('agents', 'a3')).toBeUndefined();
    expect(await store.get('agents', 'a2')).toEqual({ host: 'h2' });
    expect([...(await store.getAll('agents')).keys()]).toEqual(['a2']);
    expect(await redis.hlen(registryKeys(prefix).agents)).toBe(1);
  });

  it('applies one batch that interleaves puts and deletes across several collections', async () => {
    const { store } = await freshStore();
    await Promise.all([store.put('tasks', 'old-1', 1), store.put('tasks', 'old-2', 2)]);
    const batch = [
      store.put('tasks', 'new-1', 'n1'),
      store.delete('tasks', 'old-1'),
      store.put('jobs', 'j', 'job'),
      store.put('tasks', 'new-2', 'n2'),
      store.delete('jobs', 'missing'),
      store.put('apps', 'a', 'app'),
    ];
    await Promise.all(batch);
    expect(Object.fromEntries(await store.getAll('tasks'))).toEqual({ 'old-2': 2, 'new-1': 'n1', 'new-2': 'n2' });
    expect(Object.fromEntries(await store.getAll('jobs'))).toEqual({ j: 'job' });
    expect(Object.fromEntries(await store.getAll('apps'))).toEqual({ a: 'app' });
  });

  it('reads its own writes without waiting for them explicitly', async () => {
    const { store } = await freshStore();
    void store.put('jobs', 'nightly', { cron: '0 3 * * *' });
    expect(await store.get('jobs', 'nightly')).toEqual({ cron: '0 3 * * *' });
    void store.put('jobs', 'hourly', { cron: '0 * * * *' });
    expect((await store.getAll('jobs')).size).toBe(2);
    void store.delete('jobs', 'nightly');
    await store.flush();
    expect(await store.get('jobs', 'nightly')).toBeUndefined();
  });

  it('snapshots values at put time', async () => {
    const { store } = await freshStore();
    const value = { state: 'STAGING' };
    const written = store.put('tasks', 't', value);
    value.state = 'MUTATED';
    await written;
    expect(await store.get('tasks', 't')).toEqual({ state: 'STAGING' });
  });

  it('rejects bad input and writes without an epoch', async () => {
    const { store } = await freshStore();
    await expect(store.put('Bad Name', 'x', 1)).rejects.toThrow(/collection/);
    await expect(store.put('jobs', '', 1)).rejects.toThrow(/empty id/);
    await expect(store.put('jobs', 'x', undefined)).rejects.toThrow(TypeError);
    await expect(store.get('no/slash', 'x')).rejects.toThrow(/collection/);
    const noEpoch = new RedisRegistryStore(redis, 'no-epoch', silentLogger());
    await expect(noEpoch.put('jobs', 'x', 1)).rejects.toThrow(/no epoch/);
    expect(() => noEpoch.setEpoch(0)).toThrow(/epoch/);
  });
});

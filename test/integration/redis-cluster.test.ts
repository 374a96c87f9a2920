/**
 * Redis Cluster smoke test: `orrery up` against `redis+cluster://…` (three masters from
 * test/helpers/redis-cluster.ts). Every key shares the hash tag `{prefix}`, so the fenced registry scripts,
 * the jobs' transactions and BullMQ all work on one slot: a task runs, a job fires on its schedule, an app runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedisCluster, type TestRedisCluster } from '../helpers/redis-cluster.ts';
import { waitFor } from '../helpers/wait-for.ts';

const PREFIX = 'cluster-test';
type Json = Record<string, any>;

let cluster: TestRedisCluster;
let orrery: TestOrrery;

beforeAll(async () => {
  cluster = await startTestRedisCluster();
  orrery = await startTestOrrery(cluster.url, { keyPrefix: PREFIX });
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  await cluster?.stop();
}, 60_000);

async function call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const res = await orrery.http.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
}

describe('Redis Cluster', () => {
  it('runs tasks, scheduled jobs and apps with every key in one slot', async () => {
    expect((await call('GET', '/v1/leader')).body.epoch).toBeGreaterThan(0);

    const task = await call('POST', '/v1/tasks', { command: 'echo on-cluster', cpus: 0.1, mem: 16 });
    expect(task.status).toBe(202);
    await waitFor(async () => (await call('GET', `/v1/tasks/${task.body.id}`)).body.state === 'FINISHED', { timeoutMs: 15_000, intervalMs: 100, message: 'task FINISHED' });

    const start = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    expect((await call('POST', '/v1/jobs', { name: 'tick', command: 'true', schedule: `R3/${new Date(start).toISOString()}/PT1S`, cpus: 0.05, mem: 8 })).status).toBe(201);
    expect((await call('POST', '/v1/apps', { id: '/c/web', cmd: 'sleep 600', instances: 2, cpus: 0.1, mem: 16 })).status).toBe(201);

    const runs = await waitFor(
      async () => {
        const rs = (await call('GET', '/v1/jobs/tick/runs')).body.runs as Json[];
        return rs.length === 3 && rs.every((r) => r.state === 'SUCCEEDED') ? rs : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'tick ran 3 times' },
    );
    expect(runs.map((r) => Date.parse(r.scheduledAt)).sort()).toEqual([start, start + 1000, start + 2000]);
    await waitFor(
      async () => {
        const a = (await call('GET', '/v1/apps/%2Fc%2Fweb')).body;
        return a.status === 'RUNNING' && a.counts.running === 2;
      },
      { timeoutMs: 20_000, intervalMs: 100, message: 'app /c/web running 2 instances' },
    );

    // Every key Orrery wrote, BullMQ's included, is in the slot of {cluster-test}, on one node.
    const owners: string[] = [];
    for (const n of cluster.nodes) {
      const c = new Redis({ host: n.host, port: n.port });
      try {
        const keys = (await c.keys('*')).filter((k) => k.includes(PREFIX));
        if (keys.length > 0) owners.push(`${n.port}`);
        for (const k of keys) expect(k.startsWith(`{${PREFIX}}:`)).toBe(true);
      } finally {
        await c.quit();
      }
    }
    expect(owners).toHaveLength(1);
  }, 90_000);
});

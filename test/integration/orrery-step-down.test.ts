/**
 * `orrery up` lives through a lost lease: it stops acting as master at once (503 + Retry-After while nobody leads,
 * no self-termination), its task keeps running, and when it leads again its in-process agent registers with the new
 * term's master with that task (same PID).
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryKeys } from '../../core/coordination/keys.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TTL = 1500;
let server: TestRedis;
let redis: Redis;
let orrery: TestOrrery;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
  orrery = await startTestOrrery(server.url, { leaseTtlMs: TTL });
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  redis?.disconnect();
  await server?.stop();
});

const get = async (p: string): Promise<{ status: number; headers: Headers; body: any }> => {
  const res = await fetch(`${orrery.url}${p}`);
  return { status: res.status, headers: res.headers, body: await res.json() };
};

describe('orrery up across a step-down', () => {
  it('steps down at once when its lease is taken, keeps its task, and leads again with its agent re-registered', { timeout: 60_000 }, async () => {
    const submitted = await fetch(`${orrery.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command: 'sleep 300', cpus: 0.1, mem: 16 }) });
    const { id } = (await submitted.json()) as { id: string };
    const running = await waitFor(async () => {
      const t = (await get(`/v1/tasks/${id}`)).body;
      return t.state === 'RUNNING' ? t : undefined;
    }, { timeoutMs: 15_000, message: 'task RUNNING' });
    const first = (await get('/v1/leader')).body as { id: string; epoch: number };

    // Another holder takes the lease (as after a partition): this process must stop acting as master.
    // startTestOrrery's key prefix.
    const keys = registryKeys(`t${path.basename(orrery.workDir).slice(-6)}`);
    await redis.set(keys.leader, JSON.stringify({ id: 'intruder' }), 'PX', TTL);
    await redis.incr(keys.epoch);
    await waitFor(() => !orrery.leadership.isLeader, { timeoutMs: 5000, message: 'stepped down' });
    const meanwhile = await get('/v1/tasks');
    expect(meanwhile.status).toBe(503);
    expect(meanwhile.body.code).toBe('ORR_ERR_NOT_LEADER');
    expect(meanwhile.headers.get('retry-after')).toBe('1');

    // The intruder's lease runs out; this process leads again, with a newer epoch and its agent back.
    await waitFor(() => orrery.leadership.isLeader, { timeoutMs: 10_000, message: 'leads again' });
    const again = (await get('/v1/leader')).body as { id: string; epoch: number };
    expect(again.id).toBe(first.id);
    expect(again.epoch).toBeGreaterThan(first.epoch + 1);
    await waitFor(async () => (await get(`/v1/agents/${orrery.agent.agentId}`)).body.state === 'ACTIVE', { timeoutMs: 10_000, message: 'agent re-registered' });
    expect((await get(`/v1/tasks/${id}`)).body).toMatchObject({ state: 'RUNNING', executorPid: running.executorPid });
  });
});

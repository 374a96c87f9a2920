/**
 * Redis in production: `orrery up` against `redis+sentinel://…` (a primary, a replica and three sentinels
 * started by test/helpers/sentinel.ts). The primary is killed with SIGKILL while a job fires every second, an
 * app runs 2 instances and one-off tasks are being launched; Sentinel promotes the replica and Orrery goes on:
 * the same leader (its lease outlives the failover), each occurrence of the job run at most once, the app's
 * instances untouched, every accepted task finished and the registry still complete on the new primary.
 *
 * Lease TTL 15 s: Sentinel needs down-after-milliseconds (1 s) + election + promotion, about 2–5 s here, and
 * renewals are retried until the TTL runs out, so the leader keeps its term through the failover.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestSentinel, type TestSentinel } from '../helpers/sentinel.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { registryKeys } from '../../core/coordination/keys.ts';
import { createRedis } from '../../core/coordination/redis-client.ts';
import { silentLogger } from '../../core/logging/logger.ts';

const LEASE_TTL_MS = 15_000;
const PREFIX = 'sentinel-test';

type Json = Record<string, any>;

let sentinel: TestSentinel;
let orrery: TestOrrery;

beforeAll(async () => {
  sentinel = await startTestSentinel();
  orrery = await startTestOrrery(sentinel.url, { keyPrefix: PREFIX, leaseTtlMs: LEASE_TTL_MS });
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  await sentinel?.stop();
}, 60_000);

async function call(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const res = await orrery.http.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
}

const runsOf = async (job: string): Promise<Json[]> => (await call('GET', `/v1/jobs/${job}/runs?limit=1000`)).body.runs;

describe('Redis Sentinel failover', () => {
  it('a graceful failover (the primary demoted to a replica): no write fails, writers move to the new primary, the leader keeps its term', async () => {
    const leaderBefore = (await call('GET', '/v1/leader')).body;
    const client = createRedis(sentinel.url, { name: 'failover-writer', logger: silentLogger() });
    const key = `{${PREFIX}}:test-counter`;
    let acked = 0;
    const errors: string[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        try {
          await client.incr(key);
          acked++;
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
    })();
    try {
      await waitFor(() => acked > 100, { timeoutMs: 5000, message: 'writes flowing' });
      const { promoted } = await sentinel.failover();
      const direct = new Redis({ host: promoted.host, port: promoted.port });
      try {
        // Our writes reach the new primary: its counter keeps growing.
        const first = Number(await direct.get(key));
        await waitFor(async () => Number(await direct.get(key)) > first + 100, { timeoutMs: 15_000, intervalMs: 50, message: 'writes reach the new primary' });
        writing = false;
        await writer;
        // No write failed: a READONLY from the demoted primary was resent to the new one. (Writes the old
        // primary acknowledged between the promotion and its demotion are gone: replication is asynchronous.)
        expect(errors).toEqual([]);
        const kept = Number(await direct.get(key));
        console.info(`graceful failover: ${acked} INCRs acknowledged, ${kept} on the new primary (${acked - kept} acknowledged by the old primary after the promotion)`);
      } finally {
        direct.disconnect();
      }
    } finally {
      writing = false;
      await writer;
      client.disconnect();
      await sentinel.waitForReplica();
    }
    // Orrery went through it in the same term.
    expect((await call('GET', '/v1/leader')).body).toMatchObject({ id: leaderBefore.id, epoch: leaderBefore.epoch });
  }, 60_000);

  it('kill -9 the primary under load: Orrery keeps its leader, jobs fire once, apps keep their instances, nothing accepted is lost', async () => {
    const leaderBefore = (await call('GET', '/v1/leader')).body;
    expect(leaderBefore.epoch).toBeGreaterThan(0);

    // A job every second, forever, and an app of 2 instances.
    const start = Math.ceil((Date.now() + 1000) / 1000) * 1000;
    const job = await call('POST', '/v1/jobs', { name: 'tick', command: 'true', schedule: `R/${new Date(start).toISOString()}/PT1S`, cpus: 0.05, mem: 8 });
    expect(job.status).toBe(201);
    const app = await call('POST', '/v1/apps', { id: '/ha/web', cmd: 'sleep 600', instances: 2, cpus: 0.1, mem: 16 });
    expect(app.status).toBe(201);
    const steady = async (): Promise<Json | undefined> => {
      const a = (await call('GET', '/v1/apps/%2Fha%2Fweb')).body;
      return a.status === 'RUNNING' && a.counts.running === 2 && a.counts.staged === 0 ? a : undefined;
    };
    await waitFor(steady, { timeoutMs: 20_000, intervalMs: 100, message: 'app /ha/web running 2 instances' });
    const tasksBefore = ((await call('GET', '/v1/apps/%2Fha%2Fweb/tasks')).body.tasks as Json[]).map((t) => t.id).sort();
    expect(tasksBefore).toHaveLength(2);
    await waitFor(async () => (await runsOf('tick')).length >= 3, { timeoutMs: 15_000, intervalMs: 100, message: 'tick ran 3 times' });

    // Load: one-off tasks launched back to back for the whole failover.
    const accepted: string[] = [];
    const refused: number[] = [];
    let loading = true;
    const load = (async () => {
      while (loading) {
        const r = await call('POST', '/v1/tasks', { command: 'true', cpus: 0.01, mem: 4 });
        if (r.status === 202) accepted.push(r.body.id);
        else refused.push(r.status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    let promoted: { host: string; port: number };
    let failoverMs: number;
    try {
      await waitFor(() => accepted.length >= 5, { timeoutMs: 10_000, message: 'load running' });
      const killedAt = Date.now();
      const old = await sentinel.killPrimary();
      promoted = await sentinel.waitForFailover(old);
      failoverMs = Date.now() - killedAt;
      expect(promoted.port).not.toBe(old.port);
      expect(failoverMs).toBeLessThan(LEASE_TTL_MS / 2);

      // Jobs go on firing after the failover: occurrences scheduled well after it are run.
      const after = Date.now() + 3000;
      await waitFor(async () => (await runsOf('tick')).some((r) => Date.parse(r.scheduledAt) >= after && r.state === 'SUCCEEDED'), {
        timeoutMs: 30_000,
        intervalMs: 200,
        message: 'tick runs scheduled after the failover',
      });
    } finally {
      loading = false;
      await load;
    }

    // The same leader, same term: the lease outlived the failover, the process never stepped down.
    expect((await call('GET', '/v1/leader')).body).toMatchObject({ id: leaderBefore.id, epoch: leaderBefore.epoch });

    // Each occurrence at most once.
    const runs = await runsOf('tick');
    const slots = runs.map((r) => r.scheduledAt as string);
    expect(new Set(slots).size).toBe(slots.length);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);

    // The app kept its two instances (the same tasks: nothing was relaunched).
    const a = await steady();
    expect(a).toBeDefined();
    const tasksAfter = ((await call('GET', '/v1/apps/%2Fha%2Fweb/tasks')).body.tasks as Json[]).map((t) => t.id).sort();
    expect(tasksAfter).toEqual(tasksBefore);

    // Every task the API accepted, before, during and after the failover, finished.
    expect(accepted.length).toBeGreaterThan(10);
    for (const id of accepted) {
      await waitFor(async () => (await call('GET', `/v1/tasks/${id}`)).body.state === 'FINISHED', { timeoutMs: 15_000, intervalMs: 100, message: `task ${id} FINISHED` });
    }

    // The registry on the new primary: the agent, the frameworks and the accepted tasks are there.
    const direct = new Redis({ host: promoted.host, port: promoted.port });
    try {
      const keys = registryKeys(PREFIX);
      expect(await direct.hexists(keys.agents, orrery.agent.agentId ?? '(no agent id)')).toBe(1);
      expect(await direct.hlen(keys.frameworks)).toBeGreaterThanOrEqual(3);
      const known = new Set([...(await direct.hkeys(keys.tasks)), ...(await direct.hkeys(keys.completedTasks))]);
      const missing = accepted.filter((id) => !known.has(id));
      expect(missing).toEqual([]);
    } finally {
      await direct.quit();
    }
    console.info(`sentinel failover: promoted ${promoted.port} ${failoverMs} ms after the kill; ${accepted.length} tasks accepted, ${refused.length} refused (${[...new Set(refused)].join(',')}); ${runs.length} tick runs`);
  }, 120_000);
});

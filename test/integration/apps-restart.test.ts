/**
 * Apps across a restart of the whole composition (`orrery up` stopped and started again on the same work dir,
 * Redis and key prefix — the path a master failover takes too): tasks that ended while the apps service was away
 * (a clean stop kills the agent's tasks after the apps service has left) are learnt from the master and replaced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logging/logger.ts';
import { startOrrery, type OrreryConfig, type RunningOrrery } from '../../services/server/orrery.ts';
import { portRange } from '../helpers/ports.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Json = Record<string, any>;

let redis: TestRedis;
let workDir: string;
let running: RunningOrrery | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  workDir = await mkdtemp(path.join(tmpdir(), 'orrery-apps-restart-'));
}, 30_000);

afterAll(async () => {
  await running?.stop();
  await redis?.stop();
  await rm(workDir, { recursive: true, force: true });
});

function config(): OrreryConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    workDir,
    redisUrl: redis.url,
    keyPrefix: 'apprestart',
    keepTasks: false,
    resources: `cpus:2;mem:1024;disk:1000;ports:${portRange(50)}`,
    leaseTtlMs: 5000,
    offerTimeoutMs: 30_000,
    version: 'test',
  };
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${running!.url}${url}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const ID = '/demo/web';

/** The app and its tasks when it has 2 healthy RUNNING instances and nothing else; undefined otherwise. */
async function steadyNow(): Promise<{ app: Json; tasks: Json[] } | undefined> {
  const app = (await call('GET', `/v1/apps/${encodeURIComponent(ID)}`)).body;
  const tasks = (await call('GET', `/v1/apps/${encodeURIComponent(ID)}/tasks`)).body.tasks as Json[];
  const c = app.counts;
  const ok = c.running === 2 && c.healthy === 2 && c.staged === 0 && c.killing === 0 && tasks.length === 2 && tasks.every((t) => t.state === 'RUNNING');
  return ok ? { app, tasks } : undefined;
}

describe('apps: restart of the composition', () => {
  it('replaces the instances the agent killed on a clean stop once the composition is up again', async () => {
    running = await startOrrery(config(), silentLogger());
    const created = await call('POST', '/v1/apps', {
      id: ID,
      cmd: 'exec /usr/bin/python3 -m http.server $PORT0 --bind 127.0.0.1',
      instances: 2,
      cpus: 0.1,
      mem: 32,
      ports: [{}],
      backoffSeconds: 0.2,
      healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 0.5, timeoutSeconds: 1, maxConsecutiveFailures: 3 }],
    });
    expect(created.status).toBe(201);
    const before = await waitFor(steadyNow, { timeoutMs: 30_000, intervalMs: 200, message: `${ID} with 2 healthy instances` });

    // A clean stop without keepTasks: the agent kills the tasks after the apps service has stopped.
    await running.stop();
    running = undefined;
    running = await startOrrery(config(), silentLogger());

    const oldIds = new Set(before.tasks.map((t) => t.id));
    const after = await waitFor(
      async () => {
        const s = await steadyNow();
        return s && s.tasks.every((t) => !oldIds.has(t.id)) ? s : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 200, message: 'the killed instances replaced after the restart' },
    );
    expect(after.app.counts).toMatchObject({ running: 2, healthy: 2, staged: 0 });
    // The master agrees: the old tasks ended, the new ones run.
    const old = [...oldIds].map((id) => running!.master.tasks.get(id)?.state);
    expect(old.every((s) => s === undefined || s === 'KILLED')).toBe(true);
  }, 90_000);
});

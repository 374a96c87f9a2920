/**
 * A real `orrery up` (real Redis, the real local agent) with tokens, called over real HTTP as a user would: no token
 * and bad tokens are 401, a viewer reads but cannot create a job, scale an app or kill a task (403, naming the role
 * it needs), an operator can, the admin-only route refuses the operator, and both event streams want a token too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessTransport, SchedulerDriver } from '../../core/sdk/index.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { RecordingScheduler } from '../helpers/recording-scheduler.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TOKENS = { admin: 'adm-6b0f1c2e9d8a7f65', operator: 'ops-1f2e3d4c5b6a7988', viewer: 'view-0a1b2c3d4e5f6789' };
type Who = keyof typeof TOKENS | 'nobody' | 'stranger';

let redis: TestRedis;
let orrery: TestOrrery;
const RID = Date.now().toString(36);

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, {
    security: { tokens: `root:admin:${TOKENS.admin}, deploy-bot:operator:${TOKENS.operator},grafana:viewer:${TOKENS.viewer}` },
  });
});
afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

type Json = Record<string, any>;

async function api(who: Who, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (who === 'stranger') headers.authorization = 'Bearer not-one-of-ours-0123456789';
  else if (who !== 'nobody') headers.authorization = `Bearer ${TOKENS[who]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${orrery.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

function expectRefused(r: { status: number; body: Json; headers: Headers }, status: 401 | 403, detail?: string): void {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  expect(r.body.code).toBe(status === 401 ? 'ORR_ERR_UNAUTHORIZED' : 'ORR_ERR_FORBIDDEN');
  if (detail) expect(r.body.detail).toContain(detail);
}

describe('API tokens and roles on a running orrery', () => {
  it('refuses requests without a token or with an unknown one (401, Bearer challenge); /ping and /metrics stay open', async () => {
    for (const who of ['nobody', 'stranger'] as const) {
      for (const path of ['/v1/state', '/v1/jobs', '/v1/apps', '/v2/apps', '/scheduler/jobs', '/v1/whoami']) {
        const r = await api(who, 'GET', path);
        expectRefused(r, 401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="orrery"/);
      }
    }
    expect((await api('stranger', 'GET', '/v1/jobs')).headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await fetch(`${orrery.url}/ping`)).status).toBe(200);
    expect((await fetch(`${orrery.url}/metrics`)).status).toBe(200);
    expect((await fetch(`${orrery.url}/openapi.json`)).status).toBe(200);
  });

  it('tells each token its name and role', async () => {
    expect((await api('viewer', 'GET', '/v1/whoami')).body).toEqual({ name: 'grafana', role: 'viewer', authentication: true });
    expect((await api('operator', 'GET', '/v1/whoami')).body).toEqual({ name: 'deploy-bot', role: 'operator', authentication: true });
    expect((await api('admin', 'GET', '/v1/whoami')).body).toEqual({ name: 'root', role: 'admin', authentication: true });
  });

  it('a viewer reads everything but cannot create a job, scale an app or kill a task; an operator can', async () => {
    const job = { name: `auth-job-${RID}`, command: 'true', cpus: 0.1, mem: 16 };
    expectRefused(await api('viewer', 'POST', '/v1/jobs', job), 403, 'needs the operator role');
    expectRefused(await api('viewer', 'POST', '/scheduler/iso8601', { name: job.name, command: 'true', schedule: 'R/2030-01-01T00:00:00Z/PT1H' }), 403, 'operator');
    expect((await api('viewer', 'GET', `/v1/jobs/${job.name}`)).status).toBe(404);
    expect((await api('operator', 'POST', '/v1/jobs', job)).status).toBe(201);
    expect((await api('viewer', 'GET', `/v1/jobs/${job.name}`)).body.name).toBe(job.name);
    expectRefused(await api('viewer', 'POST', `/v1/jobs/${job.name}/runs`, {}), 403);
    expectRefused(await api('viewer', 'DELETE', `/v1/jobs/${job.name}`), 403);
    expect((await api('viewer', 'GET', `/v1/jobs/${job.name}`)).status).toBe(200);

    const appId = `/auth-app-${RID}`;
    expectRefused(await api('viewer', 'POST', '/v1/apps', { id: appId, cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 }), 403);
    expectRefused(await api('viewer', 'POST', '/v2/apps', { id: appId, cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 }), 403);
    expect((await api('operator', 'POST', '/v1/apps', { id: appId, cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 })).status).toBe(201);
    const app = encodeURIComponent(appId);
    expectRefused(await api('viewer', 'POST', `/v1/apps/${app}/scale`, { instances: 2 }), 403, 'needs the operator role; grafana has the viewer role');
    expect((await api('viewer', 'GET', `/v1/apps/${app}`)).body.instances).toBe(1);
    expect((await api('operator', 'POST', `/v1/apps/${app}/scale?force=true`, { instances: 2 })).status).toBe(200);
    expect((await api('viewer', 'GET', `/v1/apps/${app}`)).body.instances).toBe(2);

    const task = await api('operator', 'POST', '/v1/tasks', { command: 'sleep 600', cpus: 0.1, mem: 16 });
    expect(task.status).toBe(202);
    const id = task.body.id as string;
    await waitFor(async () => (await api('viewer', 'GET', `/v1/tasks/${id}`)).body.state === 'RUNNING', { timeoutMs: 10_000, message: 'task running' });
    expectRefused(await api('viewer', 'DELETE', `/v1/tasks/${id}`), 403);
    expect((await api('viewer', 'GET', `/v1/tasks/${id}`)).body.state).toBe('RUNNING');
    expect((await api('operator', 'DELETE', `/v1/tasks/${id}`)).status).toBe(202);
    await waitFor(async () => (await api('viewer', 'GET', `/v1/tasks/${id}`)).body.state === 'KILLED', { timeoutMs: 10_000, message: 'task killed' });

    expect((await api('operator', 'DELETE', `/v1/apps/${app}?force=true`)).status).toBeLessThan(300);
  });

  it('framework teardown is for admins: refused to an operator, done for an admin, built-in frameworks refused', async () => {
    const scheduler = new RecordingScheduler();
    const driver = new SchedulerDriver(new InProcessTransport(orrery.master), { name: 'third-party', role: '*', failoverTimeoutMs: 60_000 }, scheduler, { logger: silentLogger() });
    const subscribed = await driver.start();
    if (!subscribed.ok) throw new Error(subscribed.error.message);
    const fwId = driver.frameworkId!;
    expectRefused(await api('operator', 'DELETE', `/v1/frameworks/${fwId}`), 403, 'needs the admin role');
    expect((await api('viewer', 'GET', `/v1/frameworks/${fwId}`)).status).toBe(200);

    const builtin = (await api('viewer', 'GET', '/v1/frameworks')).body.frameworks.find((f: Json) => f.name === 'orrery-jobs');
    const refused = await api('admin', 'DELETE', `/v1/frameworks/${builtin.id}`);
    expect(refused.status).toBe(409);

    const done = await api('admin', 'DELETE', `/v1/frameworks/${fwId}`);
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id: fwId, tasksKilled: 0 });
    expect((await api('viewer', 'GET', `/v1/frameworks/${fwId}`)).status).toBe(404);
    await driver.stop();
  });

  it('both event streams need a token; a viewer may follow them', async () => {
    for (const path of ['/v1/events', '/v2/events']) {
      expectRefused(await api('nobody', 'GET', path), 401);
      const controller = new AbortController();
      const res = await fetch(`${orrery.url}${path}`, { headers: { authorization: `Bearer ${TOKENS.viewer}`, accept: 'text/event-stream' }, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      controller.abort();
      await res.body?.cancel().catch(() => undefined);
    }
  });
});

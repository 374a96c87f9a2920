/**
 * The Marathon-compatible routes with app definitions written from Marathon's documented fields (RAML
 * `v2/types/app.raml`, the docs' examples): accepted on /v2/apps, run, scale through PUT {"instances": N}, and
 * answer in Marathon's shapes (tasks, deployments, errors with `message`/`details`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.ts';
import { AppsHarness, httpStatus, type Json } from './apps-harness.ts';

let h: AppsHarness;

beforeAll(async () => {
  h = await AppsHarness.start();
}, 30_000);

afterAll(async () => {
  await h?.stop();
});

/** Marathon's "hello world" from its application basics page. */
const basic = { id: 'basic-0', cmd: "while [ true ] ; do echo 'Hello Marathon' ; sleep 5 ; done", cpus: 0.1, mem: 10.0, instances: 1 };

/** A full definition as Marathon's UI or `GET /v2/apps/{id}` writes it, nulls and read-only fields included. */
const web = {
  id: '/product/frontend/web',
  cmd: '/usr/bin/python3 -m http.server $PORT0',
  args: null,
  user: null,
  env: { GREETING: 'hi' },
  instances: 2,
  cpus: 0.1,
  mem: 32,
  disk: 0,
  gpus: 0,
  executor: '',
  constraints: [['hostname', 'UNIQUE', '']],
  uris: [],
  fetch: [],
  storeUrls: [],
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 3600,
  container: null,
  healthChecks: [{ protocol: 'MESOS_HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 300, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 3, delaySeconds: 15, ignoreHttp1xx: false }],
  readinessChecks: [],
  dependencies: [],
  upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
  labels: { team: 'web' },
  acceptedResourceRoles: ['*'],
  ipAddress: null,
  version: '2017-05-22T08:53:15.476Z',
  residency: null,
  secrets: {},
  taskKillGracePeriodSeconds: null,
  unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
  killSelection: 'YOUNGEST_FIRST',
  requirePorts: false,
  portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'http', labels: {} }],
  networks: [{ mode: 'host' }],
  tasksStaged: 0,
  tasksRunning: 0,
  tasksHealthy: 0,
  tasksUnhealthy: 0,
  deployments: [],
};

async function v2(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, template: string, payload?: unknown): Promise<{ status: number; body: Json; headers: Record<string, unknown> }> {
  return h.call(method, url, template, payload);
}

describe('Marathon-compatible /v2', () => {
  it('accepts Marathon example apps, runs them, scales with PUT {instances}, and answers in Marathon shapes', async () => {
    const created = await v2('POST', '/v2/apps', '/v2/apps', basic);
    expect(created.status).toBe(201);
    expect(created.headers['marathon-deployment-id']).toEqual(created.body.deployments[0].id);
    expect(created.body).toMatchObject({ id: '/basic-0', instances: 1, cpus: 0.1, mem: 10, portDefinitions: [{ port: 0, protocol: 'tcp' }] });

    const webCreated = await v2('POST', '/v2/apps', '/v2/apps', web);
    expect(webCreated.status).toBe(201);

    const app = await waitFor(async () => {
      const r = await v2('GET', '/v2/apps/product/frontend/web', '/v2/apps/{*}');
      return r.body.app.tasksHealthy === 2 && r.body.app.deployments.length === 0 ? r.body.app : undefined;
    }, { timeoutMs: 20_000, intervalMs: 50, message: 'web app healthy' });
    expect(app).toMatchObject({ id: '/product/frontend/web', instances: 2, tasksRunning: 2, tasksStaged: 0, tasksUnhealthy: 0, env: { GREETING: 'hi' }, labels: { team: 'web' }, constraints: [['hostname', 'UNIQUE']] });
    expect(app.healthChecks[0]).toMatchObject({ protocol: 'HTTP', path: '/', portIndex: 0 });

    const tasks = await v2('GET', '/v2/apps/product/frontend/web/tasks', '/v2/apps/{*}');
    expect(tasks.body.tasks).toHaveLength(2);
    for (const t of tasks.body.tasks) {
      expect(t).toMatchObject({ appId: '/product/frontend/web', state: 'TASK_RUNNING', version: app.version });
      expect(t.healthCheckResults[0]).toMatchObject({ alive: true, consecutiveFailures: 0, taskId: t.id });
      expect(typeof t.slaveId).toBe('string');
      expect(await httpStatus(t.host, t.ports[0])).toBe(200);
    }
    expect(new Set(tasks.body.tasks.map((t: Json) => t.host)).size).toBe(2);

    // Its deployment ends once its instance has run for a moment (apps without health checks): until then a
    // change without force is refused with 409, as Marathon refuses one while a deployment holds the app.
    await waitFor(async () => (await v2('GET', '/v2/apps/basic-0', '/v2/apps/{*}')).body.app.deployments.length === 0, { timeoutMs: 10_000, message: 'basic-0 deployed' });
    const scaled = await v2('PUT', '/v2/apps/basic-0', '/v2/apps/{*}', { instances: 3 });
    expect(scaled.status).toBe(200);
    expect(scaled.headers['marathon-deployment-id']).toBe(scaled.body.deploymentId);
    const running = await v2('GET', '/v2/deployments', '/v2/deployments');
    for (const d of running.body as unknown as Json[]) expect(d).toMatchObject({ affectedApps: expect.any(Array), steps: expect.any(Array), currentStep: expect.any(Number) });
    await waitFor(async () => {
      const a = (await v2('GET', '/v2/apps/basic-0', '/v2/apps/{*}')).body.app;
      return a.tasksRunning === 3 && a.deployments.length === 0;
    }, { timeoutMs: 10_000, message: 'basic-0 at 3' });

    const list = await v2('GET', '/v2/apps?embed=apps.tasks', '/v2/apps');
    const ids = list.body.apps.map((a: Json) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['/basic-0', '/product/frontend/web']));
    expect(list.body.apps.find((a: Json) => a.id === '/basic-0').tasks).toHaveLength(3);
    const byLabel = await v2('GET', '/v2/apps?label=team==web', '/v2/apps');
    expect(byLabel.body.apps.map((a: Json) => a.id)).toEqual(['/product/frontend/web']);
    const all = await v2('GET', '/v2/tasks?status=running', '/v2/tasks');
    expect(all.body.tasks.length).toBeGreaterThanOrEqual(5);

    const versions = await v2('GET', '/v2/apps/basic-0/versions', '/v2/apps/{*}');
    expect(versions.body.versions).toHaveLength(2);
    const first = await v2('GET', `/v2/apps/basic-0/versions/${versions.body.versions[1]}`, '/v2/apps/{*}');
    expect(first.body).toMatchObject({ id: '/basic-0', instances: 1 });

    const restart = await v2('POST', '/v2/apps/basic-0/restart', '/v2/apps/{*}');
    expect(restart.status).toBe(200);
    await waitFor(async () => (await v2('GET', '/v2/deployments', '/v2/deployments')).body.length === 0, { timeoutMs: 15_000, message: 'restart done' });

    const [victim] = (await v2('GET', '/v2/apps/basic-0/tasks', '/v2/apps/{*}')).body.tasks;
    const killed = await v2('DELETE', `/v2/apps/basic-0/tasks/${victim.id}?scale=true`, '/v2/apps/{*}');
    expect(killed.body.deploymentId).toBeDefined();
    await waitFor(async () => {
      const a = (await v2('GET', '/v2/apps/basic-0', '/v2/apps/{*}')).body.app;
      return a.instances === 2 && a.tasksRunning === 2 && a.deployments.length === 0;
    }, { timeoutMs: 10_000, message: 'scaled down by the kill' });

    const deleted = await v2('DELETE', '/v2/apps/basic-0', '/v2/apps/{*}');
    expect(deleted.status).toBe(200);
    expect(deleted.body.deploymentId).toBeDefined();
    const gone = await waitFor(async () => {
      const r = await v2('GET', '/v2/apps/basic-0', '/v2/apps/{*}');
      return r.status === 404 ? r : undefined;
    }, { timeoutMs: 10_000, message: 'basic-0 gone' });
    expect(gone.body.message).toBe("App '/basic-0' does not exist");
  }, 60_000);

  it("refuses what Marathon refuses, in Marathon's words: 422 with details, 409 when locked (unless forced)", async () => {
    const invalid = await v2('POST', '/v2/apps', '/v2/apps', { id: '/bad', cmd: 'sleep 1', instances: -1, upgradeStrategy: { minimumHealthCapacity: 1.5 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.message).toBe('Object is not valid');
    expect(invalid.body.details.map((d: Json) => d.path)).toEqual(expect.arrayContaining(['/instances', '/upgradeStrategy/minimumHealthCapacity']));
    const docker = await v2('POST', '/v2/apps', '/v2/apps', { id: '/docker', container: { type: 'DOCKER', docker: { image: 'nginx' } }, cpus: 0.1, mem: 32 });
    expect(docker.status).toBe(422);
    expect(docker.body.details.map((d: Json) => d.path)).toContain('/container');

    const slow = { id: '/locked', cmd: 'sleep 600', cpus: 0.05, mem: 16, instances: 1, healthChecks: [{ protocol: 'TCP', portIndex: 0, gracePeriodSeconds: 60, intervalSeconds: 1, timeoutSeconds: 1 }] };
    expect((await v2('POST', '/v2/apps', '/v2/apps', slow)).status).toBe(201);
    expect((await v2('POST', '/v2/apps', '/v2/apps', slow)).status).toBe(409);
    const locked = await v2('PUT', '/v2/apps/locked', '/v2/apps/{*}', { instances: 2 });
    expect(locked.status).toBe(409);
    expect(locked.body.message).toMatch(/locked by one or more deployments/);
    expect(locked.body.deployments).toHaveLength(1);
    const forced = await v2('PUT', '/v2/apps/locked?force=true', '/v2/apps/{*}', { instances: 2 });
    expect(forced.status).toBe(200);
    const cancel = await v2('DELETE', `/v2/deployments/${forced.body.deploymentId}?force=true`, '/v2/deployments/{id}');
    expect(cancel.status).toBe(202);

    const info = await v2('GET', '/v2/info', '/v2/info');
    expect(info.body).toMatchObject({ name: 'orrery', elected: true, leader: '127.0.0.1:8080', frameworkId: h.service.frameworkId });
    expect((await v2('GET', '/v2/leader', '/v2/leader')).body).toEqual({ leader: '127.0.0.1:8080' });
  }, 30_000);
});

/**
 * Apps on a real cluster (Redis, master, two real agents on this machine) through the HTTP API: healthy HTTP
 * instances on their ports, scaling with kill selection, suspend, a killed process replaced, crash-loop backoff,
 * UNIQUE placement with a visible reason, bad input refused with the field named.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../contract/helpers.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { AppsHarness, enc, HTTP_SERVER, httpStatus, type Json } from './apps-harness.ts';

let h: AppsHarness;

beforeAll(async () => {
  h = await AppsHarness.start();
}, 30_000);

afterAll(async () => {
  await h?.stop();
});

const fastCheck = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 3 };

async function create(body: Json): Promise<Json> {
  const r = await h.call('POST', '/v1/apps', '/v1/apps', body);
  expect(r.status).toBe(201);
  expect(r.headers.location).toBe(`/v1/apps/${enc(body.id)}`);
  return r.body;
}

describe('apps: scale, supervise, place', () => {
  it('runs 3 healthy HTTP instances on their ports, scales 5 → 1 by kill selection, suspends and comes back', async () => {
    const id = '/prod/web';
    const created = await create({ id, cmd: HTTP_SERVER, instances: 3, cpus: 0.1, mem: 32, ports: [{ name: 'http' }], healthChecks: [fastCheck] });
    expect(created.app.status).toBe('DEPLOYING');
    expect(created.deployment.steps.map((s: Json) => s.action)).toEqual(['START', 'SCALE']);

    await h.waitSteady(id, 3);
    const three = await h.tasks(id);
    expect(three).toHaveLength(3);
    for (const t of three) {
      expect(t.healthy).toBe(true);
      expect(await httpStatus(t.host, t.ports[0])).toBe(200);
    }
    const succeeded = h.eventsOf('deployment.succeeded', id);
    expect(succeeded.map((e) => e.data.deploymentId)).toContain(created.deploymentId);

    expect((await h.call('POST', `/v1/apps/${enc(id)}/scale`, '/v1/apps/{id}/scale', { instances: 5 })).status).toBe(200);
    await h.waitSteady(id, 5);
    const five = await h.tasks(id);
    const firstStaged = Math.min(...five.map((t) => Date.parse(t.stagedAt)));

    // YOUNGEST_FIRST (the default): scaling to 1 keeps the oldest instance.
    const down = await h.call('POST', `/v1/apps/${enc(id)}/scale`, '/v1/apps/{id}/scale', { instances: 1 });
    expect(down.body.deployment.kind).toBe('scale');
    await h.waitSteady(id, 1);
    const one = await h.tasks(id);
    expect(one).toHaveLength(1);
    const oldest = one[0];
    expect(Date.parse(oldest.stagedAt)).toBe(firstStaged);
    expect(five.map((t) => t.id)).toContain(oldest.id);
    for (const t of five.filter((x) => x.id !== oldest.id)) expect(await httpStatus(t.host, t.ports[0])).toBe(0);

    await h.call('POST', `/v1/apps/${enc(id)}/suspend`, '/v1/apps/{id}/suspend');
    const suspended = await waitFor(async () => {
      const a = await h.getApp(id);
      return a.status === 'SUSPENDED' && a.counts.running === 0 ? a : undefined;
    }, { timeoutMs: 10_000 });
    expect(suspended.instances).toBe(0);
    expect(suspended.cmd).toBe(HTTP_SERVER);
    expect(await httpStatus(oldest.host, oldest.ports[0])).toBe(0);

    await h.call('POST', `/v1/apps/${enc(id)}/scale`, '/v1/apps/{id}/scale', { instances: 2 });
    await h.waitSteady(id, 2);
    for (const t of await h.tasks(id)) expect(await httpStatus(t.host, t.ports[0])).toBe(200);

    const list = await h.call('GET', '/v1/apps?id=prod', '/v1/apps');
    expect(list.body.apps.find((a: Json) => a.id === id).counts).toMatchObject({ wanted: 2, running: 2, healthy: 2, unhealthy: 0 });
    const versions = await h.call('GET', `/v1/apps/${enc(id)}/versions`, '/v1/apps/{id}/versions');
    expect(versions.body.versions.length).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('replaces a task whose process is killed with SIGKILL, within the backoff', async () => {
    const id = '/ops/sleeper';
    await create({ id, cmd: 'exec sleep 600', instances: 1, cpus: 0.05, mem: 16, backoffSeconds: 0.3 });
    await h.waitSteady(id, 1, { healthy: false });
    const [task] = await h.tasks(id);
    const executorPid = await waitFor(() => h.cluster.master.tasks.get(task.id)?.executorPid, { message: 'executor pid' });
    const pid = Number(execFileSync('pgrep', ['-P', String(executorPid)]).toString().trim().split('\n')[0]);
    expect(pid).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    const replaced = await waitFor(async () => {
      const ts = await h.tasks(id);
      return ts.length === 1 && ts[0].id !== task.id && ts[0].state === 'RUNNING' ? ts[0] : undefined;
    }, { timeoutMs: 10_000, message: 'a replacement task RUNNING' });
    expect(Date.parse(replaced.stagedAt) - killedAt).toBeGreaterThanOrEqual(250);
    expect(Date.parse(replaced.stagedAt) - killedAt).toBeLessThan(3000);
    const app = await h.getApp(id);
    expect(app.lastTaskFailure).toMatchObject({ taskId: task.id, state: 'FAILED' });
    expect(app.backoff.failures).toBe(1);
  }, 30_000);

  it('backs off a crash loop exponentially up to the maximum, and shows the delay and the last failure', async () => {
    const id = '/ops/crasher';
    // Its deployment never succeeds (no instance stays up); it fails on its deadline, and the app says DELAYED.
    await create({ id, cmd: 'echo boom >&2; exit 3', instances: 1, cpus: 0.05, mem: 16, backoffSeconds: 0.2, backoffFactor: 2, maxLaunchDelaySeconds: 1.6, progressDeadlineSeconds: 2 });
    const delays: number[] = [];
    const app = await waitFor(async () => {
      const a = await h.getApp(id);
      if (delays[delays.length - 1] !== a.backoff.delaySeconds) delays.push(a.backoff.delaySeconds);
      return a.backoff.failures >= 6 ? a : undefined;
    }, { timeoutMs: 20_000, intervalMs: 20, message: 'six failures' });
    // Every delay seen follows the factor and the cap; the first ones grow, the cap holds.
    const expected = [0.2, 0.4, 0.8, 1.6];
    expect(delays.filter((d) => d > 0)).toEqual(expect.arrayContaining([0.4, 0.8, 1.6]));
    for (const d of delays) expect([0, ...expected]).toContain(d);
    expect(app.backoff.delaySeconds).toBe(1.6);
    expect(app.lastTaskFailure.state).toBe('FAILED');
    expect(app.lastTaskFailure.message).toMatch(/3/);
    const delayed = await waitFor(async () => {
      const a = await h.getApp(id);
      return a.status === 'DELAYED' ? a : undefined;
    }, { timeoutMs: 5000, intervalMs: 20 });
    expect(delayed.waitingBecause).toMatch(/backoff/);
    expect(delayed.backoff.remainingSeconds).toBeGreaterThan(0);
    const pending = await h.call('GET', `/v1/apps/${enc(id)}/pending`, '/v1/apps/{id}/pending');
    expect(pending.body.backoff.failures).toBeGreaterThanOrEqual(6);
    await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}');
  }, 40_000);

  it('UNIQUE hostname with 2 agents and 3 instances: 2 run, the third waits and says why per agent', async () => {
    const id = '/ops/unique';
    await create({ id, cmd: 'exec sleep 600', instances: 3, cpus: 0.05, mem: 16, constraints: [['hostname', 'UNIQUE']] });
    const pending = await waitFor(async () => {
      const r = await h.call('GET', `/v1/apps/${enc(id)}/pending`, '/v1/apps/{id}/pending');
      return r.body.agents.length === 2 ? r.body : undefined;
    }, { timeoutMs: 10_000, message: 'reasons from both agents' });
    expect(pending.waiting).toBe(1);
    for (const a of pending.agents) expect(a.reason).toMatch(/constraint \["hostname","UNIQUE"\] not met/);
    const app = await h.getApp(id);
    expect(app.counts.running).toBe(2);
    expect(app.waitingBecause).toMatch(/wait/);
    const hosts = (await h.tasks(id)).map((t) => t.host).sort();
    expect(hosts).toEqual(['127.0.0.1', 'localhost']);
    expect((await h.call('GET', '/v1/deployments', '/v1/deployments')).body.deployments.some((d: Json) => d.appId === id)).toBe(true);
    await h.call('DELETE', `/v1/apps/${enc(id)}?force=true`, '/v1/apps/{id}');
  }, 30_000);

  it("places by EQUALS, the jobs' name for IS, and shows it as IS", async () => {
    const id = '/ops/equals';
    const created = await create({ id, cmd: 'exec sleep 600', instances: 1, cpus: 0.05, mem: 16, constraints: [['hostname', 'EQUALS', '127.0.0.1']] });
    expect(created.app.constraints).toEqual([['hostname', 'IS', '127.0.0.1']]);
    await h.waitSteady(id, 1, { healthy: false });
    expect((await h.tasks(id)).map((t) => t.host)).toEqual(['127.0.0.1']);
    await h.call('DELETE', `/v1/apps/${enc(id)}`, '/v1/apps/{id}');
  }, 20_000);

  it('takes app ids unencoded in native URLs too (/v1/apps/ops/raw/tasks), as /v2 does', async () => {
    const id = '/ops/raw';
    await create({ id, cmd: 'exec sleep 600', instances: 1, cpus: 0.05, mem: 16 });
    expect((await h.call('GET', '/v1/apps/ops/raw', '/v1/apps/{id}')).body.id).toBe(id);
    const scaled = await h.call('POST', '/v1/apps/ops/raw/scale?force=true', '/v1/apps/{id}/scale', { instances: 2 });
    expect(scaled.status).toBe(200);
    await h.waitSteady(id, 2, { healthy: false });
    const tasks = await h.call('GET', '/v1/apps/ops/raw/tasks', '/v1/apps/{id}/tasks');
    expect(tasks.body.tasks).toHaveLength(2);
    expect((await h.call('GET', '/v1/apps/ops/raw/pending', '/v1/apps/{id}/pending')).body.appId).toBe(id);
    const versions = await h.call('GET', '/v1/apps//ops/raw/versions', '/v1/apps/{id}/versions');
    expect((await h.call('GET', `/v1/apps/ops/raw/versions/${versions.body.versions[0]}`, '/v1/apps/{id}/versions/{version}')).body.instances).toBe(2);
    const killed = await h.call('DELETE', `/v1/apps/ops/raw/tasks/${tasks.body.tasks[0].id}?scale=true`, '/v1/apps/{id}/tasks/{taskId}');
    expect(killed.status).toBe(202);
    // Unknown apps are the app's 404, not "no route".
    await expectProblem(h.http, await h.http.inject({ method: 'GET', url: '/v1/apps/ops/none/tasks' }), 404, 'ORR_ERR_APP_NOT_FOUND');
    expect((await h.call('DELETE', '/v1/apps/ops/raw?force=true', '/v1/apps/{id}')).status).toBe(200);
  }, 30_000);

  it('refuses bad input with 4xx naming the field and changes nothing', async () => {
    const id = '/ops/valid';
    await create({ id, cmd: 'exec sleep 600', instances: 0, cpus: 0.05, mem: 16 });
    const before = await h.call('GET', '/v1/apps', '/v1/apps');
    const beforeApp = await h.getApp(id);

    const cases: Array<{ body: unknown; status: number; code: string; field: string }> = [
      { body: { id, cmd: 'true' }, status: 409, code: 'ORR_ERR_APP_EXISTS', field: 'body.id' },
      { body: { id: '/Bad/Path', cmd: 'true' }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.id' },
      { body: { id: '/a//b', cmd: 'true' }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.id' },
      { body: { id: '/ops/neg', cmd: 'true', instances: -1 }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.instances' },
      { body: { id: '/ops/op', cmd: 'true', constraints: [['hostname', 'SOMETIMES']] }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.constraints[0][1]' },
      { body: { id: '/ops/hc', cmd: 'true', ports: [{}], healthChecks: [{ protocol: 'HTTP', portIndex: 1 }] }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.healthChecks[0].portIndex' },
      { body: { id: '/ops/unknown', cmd: 'true', colour: 'blue' }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.colour' },
      { body: { id: '/ops/both', cmd: 'true', args: ['x'] }, status: 400, code: 'ORR_ERR_VALIDATION', field: 'body.args' },
    ];
    for (const c of cases) {
      const res = await h.http.inject({ method: 'POST', url: '/v1/apps', payload: c.body as object });
      await expectProblem(h.http, res, c.status, c.code);
      expect(res.json().errors?.map((e: Json) => e.field) ?? [], JSON.stringify(c.body)).toContain(c.field);
    }
    const malformed = await h.http.inject({ method: 'POST', url: '/v1/apps', headers: { 'content-type': 'application/json' }, payload: '{"id": "/x",' });
    await expectProblem(h.http, malformed, 400, 'ORR_ERR_VALIDATION');
    expect(malformed.json().errors[0].field).toBe('body');
    const badPatch = await h.http.inject({ method: 'PATCH', url: `/v1/apps/${enc(id)}`, payload: { instances: -3 } });
    await expectProblem(h.http, badPatch, 400, 'ORR_ERR_VALIDATION');
    const badScale = await h.http.inject({ method: 'POST', url: `/v1/apps/${enc(id)}/scale`, payload: { instances: 'many' } });
    await expectProblem(h.http, badScale, 400, 'ORR_ERR_VALIDATION');
    await expectProblem(h.http, await h.http.inject({ method: 'GET', url: `/v1/apps/${enc('/no/such')}` }), 404, 'ORR_ERR_APP_NOT_FOUND');

    const after = await h.call('GET', '/v1/apps', '/v1/apps');
    const beforeIds = before.body.apps.map((a: Json) => a.id);
    // Apps deleted by earlier tests may finish disappearing meanwhile; none may appear.
    for (const a of after.body.apps) expect(beforeIds).toContain(a.id);
    const afterApp = await h.getApp(id);
    expect(afterApp.version).toBe(beforeApp.version);
    expect(afterApp.instances).toBe(0);
  }, 20_000);
});

/**
 * Rolling upgrades on a real cluster: the upgrade strategy's bounds hold at every sampled moment, a version that
 * never becomes healthy stays within capacity and can be rolled back (by hand, by cancelling, or automatically
 * on its progress deadline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../contract/helpers.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { AppsHarness, enc, HTTP_SERVER, type Json } from './apps-harness.ts';

let h: AppsHarness;

beforeAll(async () => {
  h = await AppsHarness.start();
}, 30_000);

afterAll(async () => {
  await h?.stop();
});

const check = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 3 };

interface Sample {
  healthy: number;
  live: number;
  masterLive: number;
}

/** Samples the app every 20 ms: healthy instances (API view) and live tasks (ours and the master's). */
function sampler(id: string): { samples: Sample[]; stop(): void } {
  const samples: Sample[] = [];
  const prefix = `${id.slice(1).replace(/\//g, '_')}.`;
  const timer = setInterval(() => {
    const tasks = h.service.tasks(id);
    if (!tasks.ok) return;
    const live = tasks.value.filter((t) => ['STAGING', 'STARTING', 'RUNNING', 'KILLING'].includes(String(t.state)));
    const healthy = live.filter((t) => t.state === 'RUNNING' && t.healthy === true).length;
    let masterLive = 0;
    for (const rec of h.cluster.master.tasks.all()) if (rec.info.taskId.startsWith(prefix) && !['FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'GONE'].includes(rec.state)) masterLive++;
    samples.push({ healthy, live: live.length, masterLive });
  }, 20);
  return { samples, stop: () => clearInterval(timer) };
}

async function deployment(id: string): Promise<Json> {
  const r = await h.call('GET', `/v1/deployments/${id}`, '/v1/deployments/{id}');
  expect(r.status).toBe(200);
  return r.body;
}

async function createSteady(id: string, body: Json, n: number): Promise<void> {
  const r = await h.call('POST', '/v1/apps', '/v1/apps', { id, cmd: HTTP_SERVER, cpus: 0.05, mem: 32, ports: [{ name: 'http' }], healthChecks: [check], instances: n, ...body });
  expect(r.status).toBe(201);
  await h.waitSteady(id, n);
}

describe('apps: rolling upgrades', () => {
  it('upgrades 4 instances with 0.5 / 0.25: never under 2 healthy or over 5 tasks, ends with 4 new healthy', async () => {
    const id = '/roll/web';
    await createSteady(id, { env: { V: '1' }, upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 } }, 4);
    const s = sampler(id);
    const r = await h.call('PATCH', `/v1/apps/${enc(id)}`, '/v1/apps/{id}', { env: { V: '2' } });
    expect(r.status).toBe(200);
    expect(r.body.deployment.steps).toEqual([{ action: 'RESTART', instances: 4 }]);
    const done = await waitFor(async () => {
      const d = await deployment(r.body.deploymentId);
      return d.status === 'SUCCEEDED' ? d : undefined;
    }, { timeoutMs: 30_000, intervalMs: 50, message: 'upgrade done' });
    s.stop();
    expect(done.progress).toMatchObject({ tasksHealthy: 4, tasksOld: 0 });
    expect(s.samples.length).toBeGreaterThan(20);
    expect(Math.min(...s.samples.map((x) => x.healthy))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...s.samples.map((x) => x.live))).toBeLessThanOrEqual(5);
    expect(Math.max(...s.samples.map((x) => x.masterLive))).toBeLessThanOrEqual(5);
    // It did roll (old and new side by side at some point).
    expect(Math.max(...s.samples.map((x) => x.live))).toBe(5);
    const tasks = await h.tasks(id);
    expect(tasks).toHaveLength(4);
    for (const t of tasks) expect(t).toMatchObject({ version: r.body.version, healthy: true, state: 'RUNNING' });
    expect(h.eventsOf('deployment.step', id).length).toBeGreaterThan(0);
  }, 45_000);

  it('holds a never-healthy version within capacity, refuses another change with 409, and rolls back', async () => {
    const id = '/roll/broken';
    await createSteady(id, { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 } }, 4);
    const good = await h.getApp(id);
    const s = sampler(id);
    // Listens nowhere: its HTTP check never passes.
    const bad = await h.call('PATCH', `/v1/apps/${enc(id)}`, '/v1/apps/{id}', { cmd: 'exec sleep 600' });
    const stuck = await waitFor(async () => {
      const d = await deployment(bad.body.deploymentId);
      const a = await h.getApp(id);
      return d.progress.tasksOld === 2 && a.counts.running + a.counts.staged === 5 && a.counts.killing === 0 ? d : undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, message: 'the upgrade stuck at capacity' });
    await new Promise((r) => setTimeout(r, 1000)); // observe the stuck state a while longer (the sampler runs)
    expect(stuck.status).toBe('RUNNING');
    const survivors = (await h.tasks(id)).filter((t) => t.version === good.version).map((t) => t.id);
    expect(survivors).toHaveLength(2);

    const locked = await h.http.inject({ method: 'POST', url: `/v1/apps/${enc(id)}/scale`, payload: { instances: 6 } });
    await expectProblem(h.http, locked, 409, 'ORR_ERR_APP_LOCKED');

    const back = await h.call('POST', `/v1/apps/${enc(id)}/rollback?force=true`, '/v1/apps/{id}/rollback', { version: good.version });
    expect(back.status).toBe(200);
    expect(back.body.deployment.kind).toBe('rollback');
    await h.waitSteady(id, 4);
    s.stop();
    expect(Math.min(...s.samples.map((x) => x.healthy))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...s.samples.map((x) => x.masterLive))).toBeLessThanOrEqual(5);
    const after = await h.tasks(id);
    // The two instances that kept running the good config were not restarted by the rollback.
    for (const t of survivors) expect(after.map((x) => x.id)).toContain(t);
    expect((await deployment(bad.body.deploymentId)).status).toBe('CANCELLED');
    expect((await h.getApp(id)).cmd).toBe(HTTP_SERVER);
  }, 45_000);

  it('fails a deployment on its progress deadline and rolls back by itself (autoRollback)', async () => {
    const id = '/roll/auto';
    await createSteady(id, { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 }, progressDeadlineSeconds: 2, autoRollback: true }, 2);
    const bad = await h.call('PATCH', `/v1/apps/${enc(id)}`, '/v1/apps/{id}', { cmd: 'exec sleep 600' });
    const failed = await waitFor(async () => {
      const d = await deployment(bad.body.deploymentId);
      return d.status === 'FAILED' ? d : undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, message: 'deployment failed on its deadline' });
    expect(failed.reason).toMatch(/no progress for 2 s/);
    expect(failed.rolledBackBy).toBeDefined();
    const rollback = await deployment(failed.rolledBackBy);
    expect(rollback).toMatchObject({ kind: 'rollback', rollbackOf: failed.id });
    await h.waitSteady(id, 2);
    expect((await h.getApp(id)).cmd).toBe(HTTP_SERVER);
    expect(h.eventsOf('deployment.failed', id).map((e) => e.data.deploymentId)).toContain(failed.id);
  }, 30_000);

  it('cancels a stuck deployment: a revert deployment restores the previous definition', async () => {
    const id = '/roll/cancel';
    await createSteady(id, { upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.5 } }, 2);
    const bad = await h.call('PATCH', `/v1/apps/${enc(id)}`, '/v1/apps/{id}', { cmd: 'exec sleep 600', env: { BROKEN: '1' } });
    await waitFor(async () => (await h.getApp(id)).counts.staged + (await h.getApp(id)).counts.running >= 2, { timeoutMs: 5000 });
    const r = await h.call('DELETE', `/v1/deployments/${bad.body.deploymentId}`, '/v1/deployments/{id}');
    expect(r.status).toBe(200);
    expect(r.body.cancelled.status).toBe('CANCELLED');
    expect(r.body.revert.kind).toBe('revert');
    await h.waitSteady(id, 2);
    const app = await h.getApp(id);
    expect(app.cmd).toBe(HTTP_SERVER);
    expect(app.env).toEqual({});
    const again = await h.http.inject({ method: 'DELETE', url: `/v1/deployments/${bad.body.deploymentId}` });
    await expectProblem(h.http, again, 409, 'ORR_ERR_APP_DEPLOYMENT_FINISHED');
    const all = await h.call('GET', '/v1/deployments?all=true', '/v1/deployments');
    expect(all.body.deployments.map((d: Json) => d.id)).toContain(bad.body.deploymentId);
  }, 30_000);
});

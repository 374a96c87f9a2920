/**
 * `orrery up` as one process (the composition root), with a real Redis and the real local agent: run tasks
 * through the API, read their sandbox output, kill them, and check every response against the OpenAPI spec.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { expectMatchesSpec, expectProblem } from '../contract/helpers.ts';
import { assertGroupGone, groupAlive } from '../helpers/agent-fixture.ts';

let redis: TestRedis;
let orrery: TestOrrery;
let app: FastifyInstance;

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, {
    keyPrefix: 'api-test',
    resources: 'cpus:2;mem:1024;disk:1000;ports:[31000-31100];cassandra-slot:1',
    attributes: 'rack:a;os:linux',
  });
  app = orrery.http;
});

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

type Json = Record<string, any>;

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, template: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  await expectMatchesSpec(app, res, method, template);
  return { status: res.statusCode, body: res.json() };
}

async function run(body: Json): Promise<string> {
  const r = await call('POST', '/v1/tasks', '/v1/tasks', body);
  expect(r.status).toBe(202);
  return r.body.id;
}

async function waitForState(id: string, states: string[], timeoutMs = 10_000): Promise<Json> {
  return waitFor(
    async () => {
      const r = await call('GET', `/v1/tasks/${id}`, '/v1/tasks/{id}');
      return states.includes(r.body.state) ? r.body : undefined;
    },
    { timeoutMs, message: `task ${id} in ${states.join('|')}` },
  );
}

describe('orrery up: the core through its HTTP API', () => {
  it('runs `echo hello` to FINISHED and serves its stdout, also after it finished', async () => {
    const id = await run({ command: 'echo hello', cpus: 0.1, mem: 32 });
    const task = await waitForState(id, ['FINISHED', 'FAILED']);
    expect(task.state).toBe('FINISHED');
    expect(task.exitCode).toBe(0);
    expect(task.agentId).toBe(orrery.agent.agentId);
    expect(task.startedAt).toBeDefined();
    expect(task.finishedAt).toBeDefined();
    const out = await call('GET', `/v1/tasks/${id}/files/stdout`, '/v1/tasks/{id}/files/{file}');
    expect(out.body).toEqual({ data: 'hello\n', offset: 0, size: 6 });
    const part = await call('GET', `/v1/tasks/${id}/files/stdout?offset=1&length=3`, '/v1/tasks/{id}/files/{file}');
    expect(part.body).toEqual({ data: 'ell', offset: 1, size: 6 });
  });

  it('reports `exit 3` as FAILED with exit code 3, and argv commands with env', async () => {
    const failed = await run({ command: 'echo oops >&2; exit 3', cpus: 0.1, mem: 32 });
    const t = await waitForState(failed, ['FINISHED', 'FAILED']);
    expect(t).toMatchObject({ state: 'FAILED', exitCode: 3 });
    const err = await call('GET', `/v1/tasks/${failed}/files/stderr`, '/v1/tasks/{id}/files/{file}');
    expect(err.body.data).toBe('oops\n');

    const argv = await run({ command: ['/bin/sh', '-c', 'printf "%s" "$GREETING"'], env: { GREETING: 'hi there' }, cpus: 0.1, mem: 32 });
    expect(await waitForState(argv, ['FINISHED', 'FAILED'])).toMatchObject({ state: 'FINISHED' });
    expect((await call('GET', `/v1/tasks/${argv}/files/stdout`, '/v1/tasks/{id}/files/{file}')).body.data).toBe('hi there');
  });

  it('kills `sleep 600` within its grace period and leaves no process of its group', async () => {
    const id = await run({ command: 'sleep 600', cpus: 0.1, mem: 32, killGracePeriodMs: 1000 });
    const running = await waitForState(id, ['RUNNING']);
    expect(running.executorPid).toBeGreaterThan(1);
    expect(groupAlive(running.executorPid)).toBe(true);
    const t0 = Date.now();
    const del = await call('DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    expect(del.status).toBe(202);
    const killed = await waitForState(id, ['KILLED', 'FAILED', 'FINISHED'], 5000);
    expect(killed.state).toBe('KILLED');
    expect(Date.now() - t0).toBeLessThan(1000 + 1500);
    // Zombies may linger until pid 1 reaps them; assertGroupGone waits for the group to vanish entirely.
    await assertGroupGone(running.executorPid);
    const again = await call('DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    expect(again.status).toBe(409);
  });

  it('shows the cluster in /v1/state: leader, agent resources and attributes, isolators, frameworks with shares', async () => {
    const id = await run({ command: 'sleep 30', cpus: 0.5, mem: 128 });
    await waitForState(id, ['RUNNING']);
    const { body: state } = await call('GET', '/v1/state', '/v1/state');
    expect(state.leader).toMatchObject({ id: state.masterId, epoch: expect.any(Number) });
    expect(state.agents).toHaveLength(1);
    const agent = state.agents[0];
    expect(agent.attributes).toEqual({ rack: 'a', os: 'linux' });
    expect(agent.resources.total.scalars).toMatchObject({ cpus: 2, mem: 1024, disk: 1000, 'cassandra-slot': 1 });
    expect(agent.resources.total.ranges.ports).toEqual([[31000, 31100]]);
    expect(agent.resources.used.scalars).toMatchObject({ cpus: 0.5, mem: 128 });
    expect(agent.isolators.length).toBeGreaterThan(0);
    const fw = state.frameworks.find((f: Json) => f.name === 'orrery-execute');
    expect(fw.dominantShare).toBeGreaterThan(0);
    expect(state.tasks.some((t: Json) => t.id === id && t.state === 'RUNNING')).toBe(true);
    const list = await call('GET', `/v1/tasks?state=RUNNING&framework=${fw.id}`, '/v1/tasks');
    expect(list.body.tasks.map((t: Json) => t.id)).toContain(id);
    expect(list.body.tasks.every((t: Json) => t.state === 'RUNNING')).toBe(true);
    await call('GET', '/v1/agents', '/v1/agents');
    await call('GET', `/v1/agents/${agent.id}`, '/v1/agents/{id}');
    await call('GET', '/v1/frameworks', '/v1/frameworks');
    await call('GET', `/v1/frameworks/${fw.id}`, '/v1/frameworks/{id}');
    await call('GET', '/v1/leader', '/v1/leader');
    await call('DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    await waitForState(id, ['KILLED']);
  });

  it('keeps a task whose constraint no agent meets PENDING, and says why', async () => {
    const id = await run({ command: 'true', cpus: 0.1, mem: 16, constraints: [['rack', 'EQUALS', 'b']] });
    const t = await waitFor(async () => {
      const r = await call('GET', `/v1/tasks/${id}`, '/v1/tasks/{id}');
      return r.body.pendingReason?.includes('constraint') ? r.body : undefined;
    });
    expect(t.state).toBe('PENDING');
    expect((await call('DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}')).status).toBe(202);
    expect((await call('GET', `/v1/tasks/${id}`, '/v1/tasks/{id}')).status).toBe(404);
  });

  it('answers bad input with problem+json naming the field, and changes nothing', async () => {
    const before = (await call('GET', '/v1/tasks?limit=10000', '/v1/tasks')).body.total;
    const bad: Array<[Json | string, number, string]> = [
      [{ command: 'true', cpus: -1, mem: 32 }, 400, 'body.cpus'],
      [{ command: 'true', cpus: '1', mem: 32 }, 400, 'body.cpus'],
      [{ command: 'true', cpus: 1, mem: 'lots' }, 400, 'body.mem'],
      [{ cpus: 1, mem: 32 }, 400, 'body.command'],
      [{ command: 'true', cpus: 1, mem: 32, colour: 'red' }, 400, 'body.colour'],
      [{ command: 'x'.repeat(70_000), cpus: 1, mem: 32 }, 400, 'body.command'],
      [{ command: 'true', cpus: 1, mem: 32, resources: 'cpus:abc' }, 400, 'body.resources'],
      [{ command: 'true', cpus: 1, mem: 32, constraints: [['rack', 'LIKE', '(']] }, 400, 'body.constraints[0]'],
      [{ command: 'true', cpus: 1, mem: 32, constraints: [['rack', 'NEAR', 'a']] }, 400, 'body.constraints[0]'],
      [{ command: 'true', cpus: 1, mem: 32, env: { 'NO SPACES': 'x' } }, 400, 'body.env'],
      [{ command: 'true', cpus: 1, mem: 32, killGracePeriodMs: 1.5 }, 400, 'body.killGracePeriodMs'],
    ];
    for (const [payload, status, field] of bad) {
      const res = await app.inject({ method: 'POST', url: '/v1/tasks', payload: payload as object });
      await expectProblem(app, res, status, 'ORR_ERR_VALIDATION');
      expect(res.json().errors.map((e: Json) => e.field), JSON.stringify(payload).slice(0, 80)).toContain(field);
    }
    const tooBig = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { command: 'true', cpus: 64, mem: 32 } });
    await expectProblem(app, tooBig, 422, 'ORR_ERR_RESOURCES_UNSATISFIABLE');
    expect(tooBig.json().detail).toContain('cpus 64 > 2');
    const custom = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { command: 'true', cpus: 0.1, mem: 32, resources: 'cassandra-slot:2' } });
    await expectProblem(app, custom, 422, 'ORR_ERR_RESOURCES_UNSATISFIABLE');

    const queries: Array<[string, number, string]> = [
      ['/v1/tasks?state=BOGUS', 400, 'query.state'],
      ['/v1/tasks?limit=0', 400, 'query.limit'],
      ['/v1/tasks?limit=abc', 400, 'query.limit'],
      ['/v1/tasks/no-such-task', 404, 'params.id'],
      ['/v1/tasks/bad%20id', 400, 'params.id'],
      ['/v1/tasks/no-such-task/files/stdout', 404, 'params.id'],
      ['/v1/tasks/x/files/..%2F..%2Fetc%2Fpasswd', 400, 'params.file'],
      ['/v1/tasks/x/files/stdout?offset=-1', 400, 'query.offset'],
      ['/v1/tasks/x/files/stdout?length=99999999', 400, 'query.length'],
      ['/v1/agents/nope', 404, 'params.id'],
      ['/v1/frameworks/nope', 404, 'params.id'],
    ];
    for (const [url, status, field] of queries) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors?.map((e: Json) => e.field) ?? [], url).toContain(field);
    }
    const unknownKill = await app.inject({ method: 'DELETE', url: '/v1/tasks/never-was' });
    await expectProblem(app, unknownKill, 404, 'ORR_ERR_TASK_NOT_FOUND');
    const notJson = await app.inject({ method: 'POST', url: '/v1/tasks', payload: '{"command":', headers: { 'content-type': 'application/json' } });
    await expectProblem(app, notJson, 400, 'ORR_ERR_VALIDATION');
    expect((await call('GET', '/v1/tasks?limit=10000', '/v1/tasks')).body.total).toBe(before);
    expect((await app.inject({ method: 'GET', url: '/ping' })).statusCode).toBe(200);
  });

  it('exports Prometheus metrics for agents, frameworks, tasks by state, offers and allocation time', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    for (const name of ['orrery_master_agents{state="ACTIVE"} 1', 'orrery_master_frameworks', 'orrery_master_tasks{state="FINISHED"}', 'orrery_master_offers_made_total', 'orrery_master_offers_declined_total', 'orrery_master_offers_rescinded_total', 'orrery_master_allocation_cycle_seconds_bucket']) {
      expect(res.body).toContain(name);
    }
  });
});

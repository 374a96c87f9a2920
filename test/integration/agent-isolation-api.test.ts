/**
 * Task usage through the HTTP API of `orrery up`: `GET /v1/tasks/{id}/stats` read through the master from the agent
 * that runs the task, checked against the OpenAPI spec; unknown tasks get a problem+json 404; the agent's isolators
 * are listed in `/v1/agents`; `orrery up --isolation` chooses them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec, expectProblem } from '../contract/helpers.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { MB, noCgroups, sayWhySkipped } from './agent-isolation-fixture.ts';

sayWhySkipped('agent-isolation-api');

let redis: TestRedis;
let orrery: TestOrrery;
let app: FastifyInstance;

beforeAll(async () => {
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, { keyPrefix: 'iso-api', isolation: 'auto' });
  app = orrery.http;
});

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
});

type Json = Record<string, any>;

async function get(url: string, template: string): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method: 'GET', url });
  await expectMatchesSpec(app, res, 'GET', template);
  return { status: res.statusCode, body: res.json() };
}

describe('GET /v1/tasks/{id}/stats', () => {
  it("serves a running task's usage and limits, and its last sample once it ended", async () => {
    const isolation = noCgroups ? 'posix' : 'cgroups/';
    const agents = await get('/v1/agents', '/v1/agents');
    expect(agents.body.agents[0].isolators.some((i: string) => i.startsWith(isolation))).toBe(true);
    const state = await get('/v1/state', '/v1/state');
    expect(state.body.agents[0].isolators).toEqual(agents.body.agents[0].isolators);

    const submitted = await app.inject({ method: 'POST', url: '/v1/tasks', payload: { command: 'touch ready; exec sleep 30', cpus: 0.5, mem: 64 } });
    expect(submitted.statusCode).toBe(202);
    const id = submitted.json().id as string;
    const running = await waitFor(
      async () => {
        const r = await app.inject({ method: 'GET', url: `/v1/tasks/${id}/stats` });
        return r.statusCode === 200 && r.json().processes >= 1 ? r : undefined;
      },
      { timeoutMs: 10_000, message: `stats of ${id}` },
    );
    await expectMatchesSpec(app, running, 'GET', '/v1/tasks/{id}/stats');
    expect(running.json()).toMatchObject({ taskId: id, running: true, cpusLimit: 0.5, memLimitBytes: 64 * MB });
    expect(running.json().isolation).toContain(noCgroups ? 'posix' : 'cgroups/');
    expect(running.json().memTotalBytes).toBeGreaterThan(0);

    expect((await app.inject({ method: 'DELETE', url: `/v1/tasks/${id}?gracePeriodMs=0` })).statusCode).toBe(202);
    const ended = await waitFor(async () => {
      const r = await get(`/v1/tasks/${id}/stats`, '/v1/tasks/{id}/stats');
      return r.status === 200 && r.body.running === false ? r.body : undefined;
    }, { timeoutMs: 10_000, message: `last stats of ${id}` });
    expect(ended).toMatchObject({ taskId: id, memLimitBytes: 64 * MB });
  });

  it('answers an unknown task with a problem+json 404 naming the id', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/tasks/no-such-task/stats' });
    await expectProblem(app, res, 404, 'ORR_ERR_TASK_NOT_FOUND');
    expect(res.json()).toMatchObject({ detail: 'task no-such-task is not known', errors: [{ field: 'params.id', message: 'task no-such-task is not known' }] });
  });
});

describe('orrery up --isolation', () => {
  const cli = (args: string[], workDir: string) => {
    const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--port', '0', '--work-dir', workDir, '--redis-url', redis.url, '--prefix', 'iso-cli', '--resources', 'cpus:1;mem:512', ...args], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errOut = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, exited, out: () => out, err: () => errOut };
  };

  it('runs the agent with the isolation asked for and refuses an unknown one with exit 2', { timeout: 30_000 }, async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), 'orrery-iso-cli-'));
    try {
      const bad = cli(['--isolation', 'docker'], workDir);
      expect(await bad.exited).toBe(2);
      expect(bad.err()).toContain("--isolation: unknown isolation 'docker'");

      const up = cli(['--isolation', 'posix'], workDir);
      const url = await waitFor(() => /Orrery is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(up.out())?.[1], { timeoutMs: 20_000, message: `startup banner (stderr: ${up.err().slice(0, 500)})` });
      const { agents } = (await (await fetch(`${url}/v1/agents`)).json()) as { agents: Array<{ isolators: string[] }> };
      expect(agents[0].isolators).toEqual(['posix/process-group', 'filesystem/sandbox', 'posix']);
      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

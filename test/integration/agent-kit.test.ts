/**
 * The agent's kit through `orrery up`'s HTTP API with real processes: URIs fetched into the sandbox (a tar.gz
 * served by a local HTTP server, extracted, the command run from it; a 404 fails the task naming the URL), agent
 * health checks (HTTP on the task's port turns healthy; a COMMAND check that starts failing gets the task
 * killed), a custom resource that never doubles up on one agent, and the sandbox GC (age and size budgets).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesSpec, expectProblem } from '../contract/helpers.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

type Json = Record<string, any>;

let redis: TestRedis;
let orrery: TestOrrery;
let files: Server;
let filesUrl: string;
let scratch: string;
let port: number;
const hits = new Map<string, number>();

/** A port nobody listens on now: the agent offers only it, so the health-checked server binds it. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return p;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'agent-kit-'));
  // The artifact: app/bin/hello.sh inside app.tgz, and a plain script served on its own.
  await mkdir(path.join(scratch, 'src/bin'), { recursive: true });
  await writeFile(path.join(scratch, 'src/bin/hello.sh'), '#!/bin/sh\necho "hello from the archive: $(cat bin/greeting.txt)"\n', { mode: 0o755 });
  await writeFile(path.join(scratch, 'src/bin/greeting.txt'), 'tarball\n');
  execFileSync('tar', ['-czf', path.join(scratch, 'app.tgz'), '-C', path.join(scratch, 'src'), 'bin']);
  await writeFile(path.join(scratch, 'tool'), '#!/bin/sh\necho tool ran\n');
  await mkdir(path.join(scratch, 'zipped/data'), { recursive: true });
  await writeFile(path.join(scratch, 'zipped/data/z.txt'), 'from the zip\n');
  execFileSync('zip', ['-q', '-r', path.join(scratch, 'bundle.zip'), 'data'], { cwd: path.join(scratch, 'zipped') });
  files = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    hits.set(name, (hits.get(name) ?? 0) + 1);
    if (name === 'slow.tgz') {
      // Starts, then never finishes: only a kill ends this fetch (the stall timeout is a minute).
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).write(Buffer.alloc(1024));
      return;
    }
    if (name !== 'app.tgz' && name !== 'tool') {
      res.writeHead(404).end('not here');
      return;
    }
    void readFile(path.join(scratch, name)).then((body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body));
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  port = await freePort();
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, { keyPrefix: 'kit', resources: `cpus:2;mem:1024;disk:1000;ports:[${port}-${port}];cassandra-slot:1` });
}, 30_000);

afterAll(async () => {
  await orrery?.stop();
  await redis?.stop();
  files?.closeAllConnections();
  await new Promise<void>((resolve) => (files ? files.close(() => resolve()) : resolve()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function call(app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, template: string, payload?: unknown): Promise<{ status: number; body: Json }> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  await expectMatchesSpec(app, res, method, template);
  return { status: res.statusCode, body: res.json() };
}

async function run(app: FastifyInstance, body: Json): Promise<string> {
  const r = await call(app, 'POST', '/v1/tasks', '/v1/tasks', body);
  expect(r.status).toBe(202);
  return r.body.id;
}

async function task(app: FastifyInstance, id: string): Promise<Json> {
  return (await call(app, 'GET', `/v1/tasks/${id}`, '/v1/tasks/{id}')).body;
}

async function waitForState(app: FastifyInstance, id: string, states: string[], timeoutMs = 15_000): Promise<Json> {
  return waitFor(
    async () => {
      const t = await task(app, id);
      return states.includes(t.state) ? t : undefined;
    },
    { timeoutMs, intervalMs: 25, message: `task ${id} in ${states.join('|')}` },
  );
}

async function stdout(app: FastifyInstance, id: string): Promise<string> {
  return (await call(app, 'GET', `/v1/tasks/${id}/files/stdout`, '/v1/tasks/{id}/files/{file}')).body.data;
}

describe('fetcher', () => {
  it('extracts a tar.gz from HTTP into the sandbox and runs the command from it; cached URIs are downloaded once', async () => {
    const app = orrery.http;
    const uris = [{ value: `${filesUrl}/app.tgz`, cache: true }, { value: `${filesUrl}/tool`, executable: true, outputFile: 'tools/run-me' }, { value: `file://${scratch}/bundle.zip` }];
    const id = await run(app, { command: './bin/hello.sh && ./tools/run-me && cat data/z.txt', cpus: 0.1, mem: 32, uris });
    const done = await waitForState(app, id, ['FINISHED', 'FAILED']);
    expect(done).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(await stdout(app, id)).toBe('hello from the archive: tarball\ntool ran\nfrom the zip\n');

    const again = await run(app, { command: './bin/hello.sh', cpus: 0.1, mem: 32, uris: [{ value: `${filesUrl}/app.tgz`, cache: true }] });
    expect((await waitForState(app, again, ['FINISHED', 'FAILED'])).state).toBe('FINISHED');
    expect(await stdout(app, again)).toBe('hello from the archive: tarball\n');
    expect(hits.get('app.tgz')).toBe(1);
    expect(hits.get('tool')).toBe(1);
  }, 30_000);

  it('fails the task when a URI answers 404, naming the URL and the cause; the command never runs', async () => {
    const app = orrery.http;
    const missing = `${filesUrl}/missing.tgz`;
    const id = await run(app, { command: `touch ${path.join(scratch, 'ran')}`, cpus: 0.1, mem: 32, uris: [missing] });
    const failed = await waitForState(app, id, ['FINISHED', 'FAILED']);
    expect(failed).toMatchObject({ state: 'FAILED', reason: 'REASON_FETCH_FAILED' });
    expect(failed.message).toContain(missing);
    expect(failed.message).toContain('404');
    expect(failed.startedAt).toBeUndefined();
    expect(existsSync(path.join(scratch, 'ran'))).toBe(false);
  }, 30_000);

  it('jobs and apps hand their URIs to the agent: a job run and an app instance run from the extracted archive', async () => {
    const app = orrery.http;
    const job = await call(app, 'POST', '/v1/jobs', '/v1/jobs', { name: 'kit-fetch', command: './bin/hello.sh', cpus: 0.1, mem: 32, uris: [`${filesUrl}/app.tgz`] });
    expect(job.status).toBe(201);
    const started = await call(app, 'POST', '/v1/jobs/kit-fetch/runs', '/v1/jobs/{name}/runs');
    expect(started.status).toBe(202);
    const run = await waitFor(async () => {
      const r = (await call(app, 'GET', `/v1/jobs/kit-fetch/runs/${started.body.id}`, '/v1/jobs/{name}/runs/{id}')).body;
      return ['SUCCEEDED', 'FAILED'].includes(r.state) ? r : undefined;
    }, { timeoutMs: 15_000, intervalMs: 25, message: 'job run ended' });
    expect(run.state).toBe('SUCCEEDED');
    expect(await stdout(app, run.taskId)).toBe('hello from the archive: tarball\n');

    const created = await call(app, 'POST', '/v1/apps', '/v1/apps', {
      id: '/kit/fetched',
      cmd: 'cat bin/greeting.txt; ./bin2/tool; exec sleep 600',
      cpus: 0.1,
      mem: 32,
      instances: 1,
      uris: [`${filesUrl}/app.tgz`],
      fetch: [{ uri: `${filesUrl}/tool`, executable: true, outputFile: 'bin2/tool' }],
    });
    expect(created.status).toBe(201);
    const instance = await waitFor(async () => {
      const ts = (await call(app, 'GET', `/v1/apps/${encodeURIComponent('/kit/fetched')}/tasks`, '/v1/apps/{id}/tasks')).body.tasks as Json[];
      return ts.find((t) => t.state === 'RUNNING');
    }, { timeoutMs: 15_000, intervalMs: 25, message: 'app instance running' });
    await waitFor(async () => (await stdout(app, instance.id)) === 'tarball\ntool ran\n', { timeoutMs: 5000, message: 'app instance output' });
    // Its deployment ends once the instance has been running for the readiness window; a delete before is refused (409).
    await waitFor(async () => (await call(app, 'GET', `/v1/apps/${encodeURIComponent('/kit/fetched')}`, '/v1/apps/{id}')).body.deployment === null, { timeoutMs: 10_000, message: 'deployment finished' });
    expect((await call(app, 'DELETE', `/v1/apps/${encodeURIComponent('/kit/fetched')}`, '/v1/apps/{id}')).status).toBe(200);
  }, 30_000);

  it('a kill while the URIs are being fetched aborts the download and ends the task KILLED', async () => {
    const app = orrery.http;
    const id = await run(app, { command: 'true', cpus: 0.1, mem: 32, uris: [`${filesUrl}/slow.tgz`] });
    await waitFor(() => hits.get('slow.tgz') === 1, { timeoutMs: 10_000, message: 'download started' });
    expect((await task(app, id)).state).toBe('STAGING');
    await call(app, 'DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    const killed = await waitForState(app, id, ['KILLED', 'FAILED'], 10_000);
    expect(killed).toMatchObject({ state: 'KILLED', reason: 'REASON_TASK_KILLED_DURING_LAUNCH' });
  }, 30_000);

  it('refuses a URI that is not http(s), file or an absolute path, naming the field', async () => {
    const res = await orrery.http.inject({ method: 'POST', url: '/v1/tasks', payload: { command: 'true', cpus: 0.1, mem: 32, uris: ['ftp://example.com/x.tgz'] } });
    await expectProblem(orrery.http, res, 400, 'ORR_ERR_VALIDATION');
    expect(JSON.stringify(res.json())).toContain('uris');
  }, 30_000);
});

describe('agent health checks', () => {
  it('an HTTP check against the task serving on $PORT0 turns the task healthy', async () => {
    const app = orrery.http;
    const id = await run(app, {
      command: 'exec /usr/bin/python3 -m http.server $PORT0 --bind 127.0.0.1',
      cpus: 0.1,
      mem: 64,
      resources: `ports:[${port}-${port}]`,
      env: { PORT0: String(port) },
      healthCheck: { type: 'HTTP', path: '/', portIndex: 0, intervalMs: 200, timeoutMs: 1000, gracePeriodMs: 10_000 },
    });
    const healthy = await waitFor(async () => {
      const t = await task(app, id);
      return t.healthy === true ? t : undefined;
    }, { timeoutMs: 15_000, intervalMs: 25, message: 'task healthy' });
    expect(healthy.state).toBe('RUNNING');
    expect(healthy.history.some((h: Json) => h.state === 'RUNNING' && h.reason === 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED')).toBe(true);
    await call(app, 'DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    expect((await waitForState(app, id, ['KILLED'])).state).toBe('KILLED');
  }, 30_000);

  it('a TCP check turns a listening task healthy', async () => {
    const app = orrery.http;
    const id = await run(app, {
      command: 'exec /usr/bin/python3 -m http.server $PORT0 --bind 127.0.0.1',
      cpus: 0.1,
      mem: 64,
      resources: `ports:[${port}-${port}]`,
      env: { PORT0: String(port) },
      healthCheck: { type: 'TCP', intervalMs: 200, timeoutMs: 1000 },
    });
    await waitFor(async () => (await task(app, id)).healthy === true, { timeoutMs: 15_000, intervalMs: 25, message: 'task healthy over TCP' });
    await call(app, 'DELETE', `/v1/tasks/${id}`, '/v1/tasks/{id}');
    expect((await waitForState(app, id, ['KILLED'])).state).toBe('KILLED');
  }, 30_000);

  it('a COMMAND check that starts failing gets the task killed after 3 consecutive failures', async () => {
    const app = orrery.http;
    // Healthy until the task creates ./sick in its sandbox, about a second after it starts.
    const id = await run(app, {
      command: 'sleep 1; touch sick; exec sleep 600',
      cpus: 0.1,
      mem: 32,
      healthCheck: { type: 'COMMAND', command: 'test ! -f sick', intervalMs: 100, timeoutMs: 2000, gracePeriodMs: 0, consecutiveFailures: 3 },
    });
    await waitFor(async () => (await task(app, id)).healthy === true, { timeoutMs: 10_000, intervalMs: 20, message: 'healthy first' });
    const killed = await waitForState(app, id, ['KILLED', 'FAILED', 'FINISHED']);
    expect(killed).toMatchObject({ state: 'KILLED', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', healthy: false });
    expect(killed.message).toMatch(/after 3 consecutive failed health checks: command exited with 1/);
    // Unhealthy was reported (once) before the kill.
    expect(killed.history.filter((h: Json) => h.state === 'RUNNING' && h.reason === 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED').length).toBeGreaterThanOrEqual(2);
  }, 30_000);
});

describe('custom resources', () => {
  it('two tasks each needing cassandra-slot:1 on an agent with one slot never run together', async () => {
    const app = orrery.http;
    const release = path.join(scratch, 'release-first');
    const first = await run(app, { command: `while [ ! -f ${release} ]; do sleep 0.05; done`, cpus: 0.1, mem: 32, resources: 'cassandra-slot:1' });
    await waitForState(app, first, ['RUNNING']);
    const second = await run(app, { command: 'echo second', cpus: 0.1, mem: 32, resources: 'cassandra-slot:1' });
    // The second sees offers without the slot while the first holds it.
    const waiting = await waitFor(async () => {
      const t = await task(app, second);
      return t.state === 'PENDING' && /cassandra-slot/.test(t.pendingReason ?? '') ? t : undefined;
    }, { timeoutMs: 10_000, message: 'second task waiting for the slot' });
    expect(waiting.pendingReason).toMatch(/cassandra-slot/);
    expect((await task(app, first)).state).toBe('RUNNING');
    await writeFile(release, '');
    const a = await waitForState(app, first, ['FINISHED', 'FAILED']);
    const b = await waitForState(app, second, ['FINISHED', 'FAILED']);
    expect(a.state).toBe('FINISHED');
    expect(b.state).toBe('FINISHED');
    expect(Date.parse(b.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt));
  }, 30_000);
});

describe('sandbox GC', () => {
  it('removes finished sandboxes past the size budget (oldest first) and the age budget, and the API says so', async () => {
    // 150 KB per task against a 200 KB budget: the second task's end pushes the first one's sandbox out.
    const gc = await startTestOrrery(redis.url, { keyPrefix: 'kit-gc', sandboxGc: { maxAgeMs: 2500, maxBytes: 200 * 1024 } });
    try {
      const app = gc.http;
      const write = 'head -c 153600 /dev/zero > blob; echo done';
      const first = await run(app, { command: write, cpus: 0.1, mem: 32 });
      expect((await waitForState(app, first, ['FINISHED', 'FAILED'])).state).toBe('FINISHED');
      expect(await stdout(app, first)).toBe('done\n');
      const firstSandbox = path.join(gc.workDir, 'agent', 'sandboxes');
      const second = await run(app, { command: write, cpus: 0.1, mem: 32 });
      expect((await waitForState(app, second, ['FINISHED', 'FAILED'])).state).toBe('FINISHED');

      const gone = await waitFor(async () => {
        const res = await app.inject({ method: 'GET', url: `/v1/tasks/${first}/files/stdout` });
        return res.statusCode === 410 ? res : undefined;
      }, { timeoutMs: 10_000, message: 'first sandbox removed for size' });
      await expectProblem(app, gone, 410, 'ORR_ERR_SANDBOX_REMOVED');
      expect(gone.json().detail).toMatch(new RegExp(`sandbox of task ${first.replace(/\./g, '\\.')} was removed`));
      // Removed for size: well before it came of age.
      const removedAt = Date.parse(/removed on (\S+)/.exec(gone.json().detail)![1]);
      const firstEnded = Date.parse((await task(app, first)).finishedAt);
      expect(removedAt - firstEnded).toBeLessThan(2000);
      // The second is within both budgets for now, then ages out.
      expect(await stdout(app, second)).toBe('done\n');
      expect(existsSync(path.join(firstSandbox, gc.master.tasks.get(first)!.frameworkId, first))).toBe(false);
      const aged = await waitFor(async () => {
        const res = await app.inject({ method: 'GET', url: `/v1/tasks/${second}/files/stdout` });
        return res.statusCode === 410 ? res : undefined;
      }, { timeoutMs: 10_000, intervalMs: 50, message: 'second sandbox removed for age' });
      await expectProblem(app, aged, 410, 'ORR_ERR_SANDBOX_REMOVED');
      expect(existsSync(path.join(firstSandbox, gc.master.tasks.get(second)!.frameworkId, second))).toBe(false);
    } finally {
      await gc.stop();
    }
  }, 30_000);
});

/**
 * Apps across a restart of the whole composition (`orrery up` stopped and started again on the same work dir,
 * Redis and key prefix — the path a master failover takes too): tasks that ended while the apps service was away
 * (a clean stop kills the agent's tasks after the apps service has left; a process killed -9 takes its agent and
 * tasks with it) are learnt from the master and replaced.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
let url = '';

beforeAll(async () => {
  redis = await startTestRedis();
  workDir = await mkdtemp(path.join(tmpdir(), 'orrery-apps-restart-'));
}, 30_000);

afterAll(async () => {
  await running?.stop();
  await redis?.stop();
  await rm(workDir, { recursive: true, force: true });
});

/** The agent's resources: the same at each start, as a restarted `orrery up` is given them. */
function config(keyPrefix: string, resources: string): OrreryConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    workDir,
    redisUrl: redis.url,
    keyPrefix,
    keepTasks: false,
    resources,
    leaseTtlMs: 5000,
    offerTimeoutMs: 30_000,
    version: 'test',
  };
}

async function call(method: string, path: string, body?: unknown, base = url): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

const ID = '/demo/web';

/** Two HTTP servers checked over HTTP by their agent; each writes its pid to `<workDir>/pids/<port>` first. */
function webApp(): Json {
  return {
    id: ID,
    cmd: `mkdir -p ${workDir}/pids && echo $$ > ${workDir}/pids/$PORT0 && exec /usr/bin/python3 -m http.server $PORT0 --bind 127.0.0.1`,
    instances: 2,
    cpus: 0.1,
    mem: 32,
    ports: [{}],
    backoffSeconds: 0.2,
    healthChecks: [{ protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 10, intervalSeconds: 0.5, timeoutSeconds: 1, maxConsecutiveFailures: 3 }],
  };
}

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
    const resources = `cpus:2;mem:1024;disk:1000;ports:${portRange(50)}`;
    running = await startOrrery(config('clean', resources), silentLogger());
    url = running.url;
    // Marathon clients read the version the composition runs (it used to say 0.0.0).
    expect((await call('GET', '/v2/info')).body).toMatchObject({ name: 'orrery', version: 'test', elected: true });
    expect((await call('POST', '/v1/apps', webApp())).status).toBe(201);
    const before = await waitFor(steadyNow, { timeoutMs: 30_000, intervalMs: 200, message: `${ID} with 2 healthy instances` });

    // A clean stop without keepTasks: the agent kills the tasks after the apps service has stopped.
    await running.stop();
    running = undefined;
    running = await startOrrery(config('clean', resources), silentLogger());
    url = running.url;

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
    await running.stop();
    running = undefined;
  }, 90_000);

  it('replaces the instances lost with a process killed -9 (agent and tasks gone) once it is up again', async () => {
    // `orrery up` in its own process, so it can be killed -9.
    const resources = `cpus:2;mem:1024;disk:1000;ports:${portRange(50)}`;
    const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--port', '0', '--work-dir', workDir, '--redis-url', redis.url, '--prefix', 'crashed', '--resources', resources], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn', ORRERY_LEASE_TTL_MS: '5000' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: nothing it does on the way down may reach the test's.
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let oldIds = new Set<string>();
    try {
      url = await waitFor(() => /Orrery is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], { timeoutMs: 20_000, message: 'startup banner' });
      await rm(path.join(workDir, 'pids'), { recursive: true, force: true });
      expect((await call('POST', '/v1/apps', webApp())).status).toBe(201);
      const before = await waitFor(steadyNow, { timeoutMs: 30_000, intervalMs: 200, message: `${ID} with 2 healthy instances` });
      oldIds = new Set(before.tasks.map((t) => t.id));
      const pids = await Promise.all(before.tasks.map(async (t) => Number((await readFile(path.join(workDir, 'pids', String(t.ports[0])), 'utf8')).trim())));

      child.kill('SIGKILL');
      await exited;
      for (const pid of pids) if (pid > 1) process.kill(pid, 'SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }

    running = await startOrrery(config('crashed', resources), silentLogger());
    url = running.url;
    const after = await waitFor(
      async () => {
        const s = await steadyNow();
        return s && s.tasks.every((t) => !oldIds.has(t.id)) ? s : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 200, message: 'the lost instances replaced after the restart' },
    );
    expect(after.app.counts).toMatchObject({ running: 2, healthy: 2, staged: 0 });
    // The master agrees: the old tasks no longer run.
    expect([...oldIds].map((id) => running!.master.tasks.get(id)?.state).filter((s) => s === 'RUNNING' || s === 'STAGING')).toEqual([]);
  }, 90_000);
});

/**
 * The README's first command, as a user runs it: `orrery up` in its own process prints its URL, serves the API,
 * and stops cleanly (exit 0) on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

let redis: TestRedis;
let workDir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  workDir = await mkdtemp(path.join(tmpdir(), 'orrery-cli-'));
});
afterAll(async () => {
  await redis.stop();
  await rm(workDir, { recursive: true, force: true });
});

function up(args: string[]) {
  const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--port', '0', '--work-dir', workDir, '--redis-url', redis.url, '--resources', 'cpus:1;mem:512', ...args], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errOut = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = waitFor(() => /Orrery is up: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], { timeoutMs: 20_000, message: `startup banner (stderr: ${errOut.slice(0, 500)})` });
  return { child, exited, url, output: () => out };
}

async function json(url: string, init?: RequestInit): Promise<any> {
  return (await fetch(url, init)).json();
}

async function runTask(url: string, command: string): Promise<string> {
  const r = await json(`${url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ command, cpus: 0.1, mem: 16 }) });
  return r.id;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('orrery up (the CLI)', () => {
  it('starts, prints where to look, runs a task, and exits 0 on SIGTERM', { timeout: 30_000 }, async () => {
    const orrery = up([]);
    const url = await orrery.url;
    expect(orrery.output()).toContain(`${url}/docs`);
    expect(await (await fetch(`${url}/ping`)).text()).toBe('pong');
    const id = await runTask(url, 'echo from-cli');
    await waitFor(async () => (await json(`${url}/v1/tasks/${id}`)).state === 'FINISHED', { timeoutMs: 10_000 });
    expect((await json(`${url}/v1/tasks/${id}/files/stdout`)).data).toBe('from-cli\n');
    orrery.child.kill('SIGTERM');
    expect(await orrery.exited).toBe(0);
  });

  it('kills its tasks on a clean stop; with --keep-tasks leaves them running and re-attaches at the next start', { timeout: 60_000 }, async () => {
    const first = up(['--prefix', 'fate-a']);
    const url1 = await first.url;
    const doomed = await runTask(url1, 'sleep 600');
    const t1 = await waitFor(async () => ((await json(`${url1}/v1/tasks/${doomed}`)).state === 'RUNNING' ? json(`${url1}/v1/tasks/${doomed}`) : undefined));
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await waitFor(() => !groupAlive(t1.executorPid), { timeoutMs: 5000, message: 'killed task group gone' });

    const work = await mkdtemp(path.join(tmpdir(), 'orrery-keep-'));
    const keep = up(['--prefix', 'fate-b', '--keep-tasks', '--work-dir', work]);
    const url2 = await keep.url;
    const survivor = await runTask(url2, 'sleep 600');
    const t2 = await waitFor(async () => {
      const t = await json(`${url2}/v1/tasks/${survivor}`);
      return t.state === 'RUNNING' ? t : undefined;
    });
    keep.child.kill('SIGTERM');
    expect(await keep.exited).toBe(0);
    expect(groupAlive(t2.executorPid)).toBe(true);

    const again = up(['--prefix', 'fate-b', '--keep-tasks', '--work-dir', work]);
    const url3 = await again.url;
    const back = await waitFor(async () => {
      const t = await json(`${url3}/v1/tasks/${survivor}`);
      return t.state === 'RUNNING' && t.agentId === t2.agentId ? t : undefined;
    }, { timeoutMs: 10_000, message: 're-attached task' });
    expect(back.executorPid).toBe(t2.executorPid);
    expect((await fetch(`${url3}/v1/tasks/${survivor}`, { method: 'DELETE' })).status).toBe(202);
    await waitFor(async () => (await json(`${url3}/v1/tasks/${survivor}`)).state === 'KILLED', { timeoutMs: 10_000 });
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a non-loopback address without authentication, with exit code 2, the reason and how to configure tokens', async () => {
    const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--host', '0.0.0.0', '--work-dir', workDir, '--redis-url', redis.url], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errOut = '';
    child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errOut).toContain('authentication is not configured');
    expect(errOut).toContain('ORRERY_TOKENS=name:role:token');
  });

  it('refuses a sandbox age it cannot read, with exit code 2 naming the flag', async () => {
    const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--sandbox-max-age', 'a week', '--work-dir', workDir, '--redis-url', redis.url], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errOut = '';
    child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(errOut).toContain("sandboxMaxAge (flag --sandbox-max-age): 'a week' must be a duration such as 3600s, 90m, 12h or 7d");
  });
});

/**
 * `orrery up` secured as an operator would run it, in its own process: tokens from ORRERY_TOKENS and a tokens file,
 * HTTPS with a self-signed certificate made here with openssl, listening on every address. Checks what a user would:
 * the banner's https URL, 401/403/200 by role over TLS, that tasks do not see the tokens in their environment, and
 * that nothing the process printed (debug logs included) contains a token. Also the refusals: a non-loopback bind
 * without tokens, a bad tokens file, half a TLS configuration (exit code 2, saying how to fix it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { request } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKENS = { admin: 'adm-91c2d3e4f5a6b7c8d9', operator: 'ops-0f1e2d3c4b5a69788', viewer: 'view-a0b1c2d3e4f50617' };
const STRANGER = 'not-ours-11223344556677';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();

let redis: TestRedis;
let dir: string;
beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-auth-cli-'));
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

function up(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['bin/orrery.js', 'up', '--port', '0', '--redis-url', redis.url, '--resources', 'cpus:1;mem:512', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errOut = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (errOut += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out + errOut, stderr: () => errOut, stdout: () => out };
}

interface Reply {
  status: number;
  body: Record<string, any>;
}

function httpsCall(url: string, ca: Buffer, method: string, token?: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const req = request(url, { method, ca, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('orrery up with tokens and TLS (the CLI)', () => {
  it('refuses a non-loopback address without tokens, saying how to configure them (exit 2)', async () => {
    const o = up(['--host', '0.0.0.0', '--work-dir', path.join(dir, 'w0')]);
    expect(await o.exited).toBe(2);
    expect(o.stderr()).toContain('refusing to listen on 0.0.0.0: authentication is not configured');
    expect(o.stderr()).toContain('ORRERY_TOKENS=name:role:token');
    expect(o.stderr()).toContain('--tokens-file FILE');

    // Tokens protect the API; the framework API needs framework credentials as well.
    const noCredentials = up(['--host', '0.0.0.0', '--work-dir', path.join(dir, 'w0b')], { ORRERY_TOKENS: `root:admin:${TOKENS.admin}` });
    expect(await noCredentials.exited).toBe(2);
    expect(noCredentials.stderr()).toContain('refusing to listen on 0.0.0.0: framework credentials are not configured');
    expect(noCredentials.stderr()).toContain('--framework-credentials-file FILE');
  });

  it('refuses a bad tokens file or half a TLS setup (exit 2), naming the option and never echoing a token', async () => {
    const bad = path.join(dir, 'bad-tokens');
    await writeFile(bad, `ci:operator:${TOKENS.operator}\nweak:viewer:hunter2\n`, { mode: 0o600 });
    const o = up(['--tokens-file', bad, '--work-dir', path.join(dir, 'w1')]);
    expect(await o.exited).toBe(2);
    expect(o.stderr()).toContain(`--tokens-file ${bad} line 2 (weak): the token is shorter than 16 characters`);
    expect(o.output()).not.toContain('hunter2');
    expect(o.output()).not.toContain(TOKENS.operator);

    const half = up(['--tls-cert', path.join(dir, 'cert.pem'), '--work-dir', path.join(dir, 'w2')]);
    expect(await half.exited).toBe(2);
    expect(half.stderr()).toContain('--tls-cert and --tls-key go together: --tls-key is missing');
  });

  it("the root logger censors Authorization headers wherever a request's headers are logged", async () => {
    const script = path.join(dir, 'log-headers.mts');
    await writeFile(script, [
      `import { createRootLogger } from ${JSON.stringify(path.join(ROOT, 'core/logging/logger.ts'))};`,
      'const log = createRootLogger({ level: "info", pretty: false });',
      `const headers = { authorization: 'Bearer ${TOKENS.admin}', host: 'x' };`,
      'log.info({ req: { method: "GET", headers } }, "a request");',
      'log.child({ component: "http" }).warn({ headers }, "headers");',
    ].join('\n'));
    const out = execFileSync(process.execPath, ['bin/run-ts.js', script], { cwd: ROOT, encoding: 'utf8' });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].req.headers).toEqual({ authorization: '[redacted]', host: 'x' });
    expect(lines[1].headers.authorization).toBe('[redacted]');
    expect(out).not.toContain(TOKENS.admin);
  });

  it.skipIf(!OPENSSL)('serves HTTPS on every address with tokens from env and file; roles hold; tasks and logs never see a token (skipped without openssl: it makes the certificate)', { timeout: 60_000 }, async () => {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const ca = await readFile(cert);
    const file = path.join(dir, 'tokens');
    await writeFile(file, `# deploys\ndeploy-bot:operator:${TOKENS.operator}\n`, { mode: 0o600 });

    const o = up(['--host', '0.0.0.0', '--tokens-file', file, '--tls-cert', cert, '--tls-key', key, '--work-dir', path.join(dir, 'w3')], {
      ORRERY_TOKENS: `root:admin:${TOKENS.admin},grafana:viewer:${TOKENS.viewer}`,
      ORRERY_FRAMEWORK_CREDENTIALS: JSON.stringify({ credentials: [{ principal: 'ext', secret: 'framework-secret-0123' }] }),
      LOG_LEVEL: 'debug',
    });
    const port = await waitFor(() => /Orrery is up: https:\/\/0\.0\.0\.0:(\d+)/.exec(o.stdout())?.[1], { timeoutMs: 20_000, message: `https banner (output: ${o.output().slice(-800)})` });
    const url = `https://127.0.0.1:${port}`;

    expect((await httpsCall(`${url}/v1/whoami`, ca, 'GET')).status).toBe(401);
    expect((await httpsCall(`${url}/v1/whoami`, ca, 'GET', STRANGER)).status).toBe(401);
    expect((await httpsCall(`${url}/v1/whoami`, ca, 'GET', TOKENS.viewer)).body).toEqual({ name: 'grafana', role: 'viewer', authentication: true });
    const refused = await httpsCall(`${url}/v1/tasks`, ca, 'POST', TOKENS.viewer, { command: 'env', cpus: 0.1, mem: 16 });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('needs the operator role');
    await expect(fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.status)).rejects.toThrow();

    const task = await httpsCall(`${url}/v1/tasks`, ca, 'POST', TOKENS.operator, { command: 'env', cpus: 0.1, mem: 16 });
    expect(task.status).toBe(202);
    await waitFor(async () => (await httpsCall(`${url}/v1/tasks/${task.body.id}`, ca, 'GET', TOKENS.viewer)).body.state === 'FINISHED', { timeoutMs: 10_000, message: 'env task finished' });
    const env = (await httpsCall(`${url}/v1/tasks/${task.body.id}/files/stdout`, ca, 'GET', TOKENS.viewer)).body.data as string;
    expect(env).toContain('PATH=');
    expect(env).not.toContain('ORRERY_TOKENS');
    for (const t of Object.values(TOKENS)) expect(env).not.toContain(t);

    o.child.kill('SIGTERM');
    expect(await o.exited).toBe(0);
    const printed = o.output();
    expect(printed).toContain('api tokens required');
    expect(printed).toContain('request with an unknown bearer token refused');
    expect(printed).toContain('"principal":"deploy-bot"');
    for (const t of [...Object.values(TOKENS), STRANGER]) expect(printed).not.toContain(t);
  });
});

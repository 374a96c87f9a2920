/**
 * `rediss://` against a real TLS redis-server: a private CA and a server certificate made with openssl in a temp
 * dir, the CA handed over with `REDIS_TLS_CA_FILE`. `orrery up` runs a task and a job through it; a client
 * without the CA is refused by certificate verification.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../core/coordination/redis-client.ts';
import { findFreePort, spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { waitFor } from '../helpers/wait-for.ts';

const run = promisify(execFile);
let dir: string;
let server: RedisServerProcess;
let tlsPort: number;
let orrery: TestOrrery | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-test-tls-'));
  const f = (name: string): string => path.join(dir, name);
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=orrery-test-ca', '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')]);
  await run('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${f('san.ext')}`]);
  await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('san.ext'), '-out', f('server.pem')]);
  tlsPort = await findFreePort();
  // The plain port only answers the harness' PING; Orrery uses the TLS port.
  server = await spawnRedisServer({ dir, appendonly: false, extraArgs: ['--tls-port', String(tlsPort), '--tls-cert-file', f('server.pem'), '--tls-key-file', f('server.key'), '--tls-ca-cert-file', f('ca.pem'), '--tls-auth-clients', 'no'] });
}, 60_000);

afterAll(async () => {
  await orrery?.stop();
  delete process.env.REDIS_TLS_CA_FILE;
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('rediss://', () => {
  it('refuses a server certificate from an unknown CA, and runs Orrery with REDIS_TLS_CA_FILE', async () => {
    const url = `rediss://127.0.0.1:${tlsPort}`;
    const untrusting = createRedis(url, { logger: silentLogger(), lazyConnect: true }, {});
    untrusting.options.retryStrategy = () => null;
    const refused = new Promise<Error>((resolve) => untrusting.once('error', resolve));
    await expect(untrusting.connect()).rejects.toThrow();
    expect((await refused).message).toMatch(/self.signed|unable to verify|certificate/i);
    untrusting.disconnect();

    process.env.REDIS_TLS_CA_FILE = path.join(dir, 'ca.pem');
    orrery = await startTestOrrery(url, { keyPrefix: 'tls-test' });
    const res = await orrery.http.inject({ method: 'POST', url: '/v1/tasks', payload: { command: 'echo over-tls', cpus: 0.1, mem: 16 } });
    expect(res.statusCode).toBe(202);
    const id = res.json().id as string;
    await waitFor(async () => (await orrery!.http.inject({ method: 'GET', url: `/v1/tasks/${id}` })).json().state === 'FINISHED', { timeoutMs: 15_000, intervalMs: 100, message: 'task FINISHED' });
    const job = await orrery.http.inject({ method: 'POST', url: '/v1/jobs', payload: { name: 'tls-job', command: 'true', cpus: 0.05, mem: 8 } });
    expect(job.statusCode).toBe(201);
    const started = await orrery.http.inject({ method: 'POST', url: '/v1/jobs/tls-job/runs', payload: {} });
    expect(started.statusCode).toBeLessThan(300);
    await waitFor(async () => ((await orrery!.http.inject({ method: 'GET', url: '/v1/jobs/tls-job/runs' })).json().runs as Array<{ state: string }>).some((r) => r.state === 'SUCCEEDED'), {
      timeoutMs: 15_000,
      intervalMs: 100,
      message: 'job run SUCCEEDED',
    });
  }, 60_000);
});

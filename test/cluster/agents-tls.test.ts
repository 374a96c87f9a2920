/**
 * TLS on the agent links: a master serving HTTPS and an agent serving its protocol over HTTPS, each trusting the
 * other's certificate (a self-signed one made with openssl for 127.0.0.1, given to both as NODE_EXTRA_CA_CERTS).
 * What a user checks: the agent registers over https, a task runs on it and its stdout reads through the master
 * (master → agent over https), and the agent's port answers plain http with nothing usable.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startAgentProcess, startMasterProcess, type AgentProcess, type MasterProcess } from '../helpers/processes.ts';
import { portRange } from '../helpers/ports.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SECRET = 'cluster-secret-for-tls-tests-0123456789';

let redis: TestRedis;
let root: string;
let master: MasterProcess | undefined;
let agent: AgentProcess | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
  root = await mkdtemp(path.join(tmpdir(), 'orrery-agents-tls-'));
  const cert = path.join(root, 'cert.pem');
  const key = path.join(root, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = ['--tls-cert', cert, '--tls-key', key];
  const env = { NODE_EXTRA_CA_CERTS: cert };
  master = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'master'), prefix: `tls-${process.pid}`, secret: SECRET, args: tls, env });
  agent = await startAgentProcess({ masterUrl: master.url, secret: SECRET, workDir: path.join(root, 'agent'), resources: `cpus:1;mem:512;ports:${portRange(50)}`, hostname: 'tls-agent', args: [...tls, '--kill-tasks-on-stop'], env });
}, 90_000);

afterAll(async () => {
  await agent?.stop();
  await master?.stop();
  await redis?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('agent links over TLS', () => {
  it('registers over https, runs a task and reads its stdout through the master', { timeout: 60_000 }, async () => {
    expect(master!.url).toMatch(/^https:\/\//);
    expect(agent!.url).toMatch(/^https:\/\//);
    // The test process trusts the certificate explicitly (it was started before the certificate existed).
    const ca = await readFile(path.join(root, 'cert.pem'));
    const call = (method: string, p: string, body?: unknown): Promise<any> =>
      new Promise((resolve, reject) => {
        const req = https.request(`${master!.url}${p}`, { method, ca, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    const agents = (await call('GET', '/v1/agents')).agents as Array<{ id: string; hostname: string; state: string }>;
    expect(agents.find((a) => a.id === agent!.agentId)).toMatchObject({ hostname: 'tls-agent', state: 'ACTIVE' });
    const submitted = await call('POST', '/v1/tasks', { command: 'echo over tls', cpus: 0.1, mem: 16 });
    const task = await waitFor(async () => {
      const t = await call('GET', `/v1/tasks/${submitted.id}`);
      return t.state === 'FINISHED' || t.state === 'FAILED' ? t : undefined;
    }, { timeoutMs: 20_000, message: 'the task to end' });
    expect(task).toMatchObject({ state: 'FINISHED', agentId: agent!.agentId });
    expect((await call('GET', `/v1/tasks/${submitted.id}/files/stdout`)).data).toBe('over tls\n');
    // The agent process's own counters, on its server's /metrics.
    const metrics = await new Promise<string>((resolve, reject) => {
      https.get(`${agent!.url}/metrics`, { ca }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(metrics).toMatch(new RegExp(`orrery_agent_tasks_ended_total\\{agent="${agent!.agentId}",state="FINISHED"\\} 1\\b`));
    // Plain http to the agent's port gets no answer an HTTP client can use.
    const plain = await fetch(agent!.url.replace('https://', 'http://') + '/api/v1/agent/ping', { method: 'POST', signal: AbortSignal.timeout(3000) }).then((r) => r.status, () => 'refused');
    expect(plain === 'refused' || plain === 400).toBe(true);
  });
});

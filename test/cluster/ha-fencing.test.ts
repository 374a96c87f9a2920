/**
 * Fencing of a deposed leader's own writes, in real processes: leader A reaches Redis through a proxy, follower B
 * directly. The proxy pauses (a partition: requests sent, no answers) right after A accepted a job and an app
 * definition through its API; A's lease runs out, A steps down, B leads with a newer epoch; then the partition heals
 * and A's held transactions reach Redis — where the epoch check refuses them. Nothing A wrote after losing its term
 * exists on B; A answers the clients that nothing was written, and from then on forwards to B.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, getJson, HA_SECRET, type LeaderView } from '../helpers/ha-cluster.ts';
import { startMasterProcess, type MasterProcess } from '../helpers/processes.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TTL_MS = 2000;
let redis: TestRedis;
let proxy: TcpProxy;
let root: string;
let a: MasterProcess;
let b: MasterProcess;

beforeAll(async () => {
  redis = await startTestRedis();
  proxy = await startTcpProxy({ host: redis.host, port: redis.port });
  root = await mkdtemp(path.join(tmpdir(), 'orrery-fencing-'));
  const prefix = `fence${Date.now().toString(36)}`;
  const args = ['--lease-ttl-ms', String(TTL_MS)];
  a = await startMasterProcess({ redisUrl: proxy.urlFor('redis'), workDir: path.join(root, 'a'), prefix, secret: HA_SECRET, args });
  await waitFor(async () => (await getJson<LeaderView>(`${a.url}/v1/leader`))?.address === a.url, { timeoutMs: 15_000, message: 'A leads' });
  b = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'b'), prefix, secret: HA_SECRET, args });
}, 60_000);

afterAll(async () => {
  proxy?.resume();
  await Promise.allSettled([a?.kill9(), b?.kill9()]);
  await proxy?.close();
  await redis?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 30_000);

describe('a partitioned leader', () => {
  it('steps down, and the writes it accepted before noticing are refused by Redis once the partition heals', { timeout: 60_000 }, async () => {
    const before = (await getJson<LeaderView>(`${b.url}/v1/leader`))!;
    expect(before.address).toBe(a.url);

    proxy.pause();
    // A still leads for up to a lease: it takes both requests itself and starts writing — into the partition.
    const job = api('POST', `${a.url}/v1/jobs`, { name: 'written-by-deposed', command: 'true', schedule: '0 6 * * *' }, 60_000);
    const app = api('POST', `${a.url}/v1/apps`, { id: '/written-by-deposed', cmd: 'sleep 100', instances: 0, cpus: 0.1, mem: 16 }, 60_000);

    const next = await waitFor(
      async () => {
        const l = await getJson<LeaderView>(`${b.url}/v1/leader`);
        return l && l.address === b.url ? l : undefined;
      },
      { timeoutMs: 20_000, message: 'B leads' },
    );
    expect(next.epoch).toBeGreaterThan(before.epoch);
    await waitFor(() => a.logs().some((l) => l.msg === 'leadership lost' && l.epoch === before.epoch), { timeoutMs: 10_000, message: 'A steps down' });

    proxy.resume();
    const [jobAnswer, appAnswer] = await Promise.all([job, app]);
    // 503 (retryable), saying the term is over and nothing was written: the API's "not the leader", and the apps
    // service's own "could not be stored", which quotes the fencing error.
    expect(jobAnswer.status).toBe(503);
    expect(jobAnswer.body.code).toBe('ORR_ERR_NOT_LEADER');
    expect(jobAnswer.body.detail).toContain('nothing was written');
    expect(appAnswer.status).toBe(503);
    expect(appAnswer.body.code).toBe('ORR_ERR_APP_UNAVAILABLE');
    expect(appAnswer.body.detail).toMatch(/could not be stored: write fenced: .*epoch \d+\) is over.*nothing was written/);
    // Redis refused them: the new leader has neither, and never had.
    expect((await api('GET', `${b.url}/v1/jobs/written-by-deposed`)).status).toBe(404);
    expect((await api('GET', `${b.url}/v1/apps/written-by-deposed`)).status).toBe(404);
    expect(a.child.exitCode).toBeNull();

    // A follows now: the same request through A reaches B and is written there.
    await waitFor(async () => (await getJson<LeaderView>(`${a.url}/v1/leader`))?.address === b.url, { timeoutMs: 15_000, message: 'A names B' });
    const again = await api('POST', `${a.url}/v1/jobs`, { name: 'written-by-deposed', command: 'true', schedule: '0 6 * * *' });
    expect(again.status).toBe(201);
    expect((await api('GET', `${b.url}/v1/jobs/written-by-deposed`)).status).toBe(200);
  });
});

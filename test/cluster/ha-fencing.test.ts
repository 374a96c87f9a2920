/**
 * Fencing of a deposed leader's own writes, in real processes: leader A reaches Redis through a proxy, follower B
 * directly. The proxy pauses (a partition: requests sent, no answers) right after A accepted a job and an app
 * definition through its API; A's lease runs out, A steps down, B leads with a newer epoch; then the partition heals
 * and A's held transactions reach Redis — where the epoch check refuses them. Nothing A wrote after losing its term
 * exists on B; A answers the clients that nothing was written, and from then on forwards to B. The second case is
 * the SIGSTOP of the issue: A, leading again, is stopped past its lease with such a write under way; after SIGCONT
 * it steps down, and its transaction, reaching Redis only then, is refused the same way.
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
let prefix: string;
const args = ['--lease-ttl-ms', String(TTL_MS)];

async function leaderSeenBy(m: MasterProcess): Promise<LeaderView | undefined> {
  return getJson<LeaderView>(`${m.url}/v1/leader`);
}

/** The status of `GET path` on `m` once its services answer (a leader just elected answers 503 while its term starts). */
async function statusOnceServing(m: MasterProcess, path: string): Promise<number> {
  return waitFor(
    async () => {
      const { status } = await api('GET', `${m.url}${path}`);
      return status === 503 ? undefined : status;
    },
    { timeoutMs: 20_000, message: `${path} answered by ${m.url}` },
  );
}

/** Waits until `m` itself leads (by its own account), with an epoch above `after`. */
async function leads(m: MasterProcess, after: number, message: string): Promise<LeaderView> {
  return waitFor(
    async () => {
      const l = await leaderSeenBy(m);
      return l && l.address === m.url && l.epoch > after ? l : undefined;
    },
    { timeoutMs: 20_000, message },
  );
}

beforeAll(async () => {
  redis = await startTestRedis();
  proxy = await startTcpProxy({ host: redis.host, port: redis.port });
  root = await mkdtemp(path.join(tmpdir(), 'orrery-fencing-'));
  prefix = `fence${Date.now().toString(36)}`;
  a = await startMasterProcess({ redisUrl: proxy.urlFor('redis'), workDir: path.join(root, 'a'), prefix, secret: HA_SECRET, args });
  await waitFor(async () => (await getJson<LeaderView>(`${a.url}/v1/leader`))?.address === a.url, { timeoutMs: 15_000, message: 'A leads' });
  b = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'b'), prefix, secret: HA_SECRET, args });
  await waitFor(async () => (await leaderSeenBy(b))?.address === a.url, { timeoutMs: 15_000, message: 'B follows A' });
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

    await leads(b, before.epoch, 'B leads');
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
    expect(await statusOnceServing(b, '/v1/jobs/written-by-deposed')).toBe(404);
    expect(await statusOnceServing(b, '/v1/apps/written-by-deposed')).toBe(404);
    expect(a.child.exitCode).toBeNull();

    // A follows now: the same request through A reaches B and is written there.
    await waitFor(async () => (await getJson<LeaderView>(`${a.url}/v1/leader`))?.address === b.url, { timeoutMs: 15_000, message: 'A names B' });
    const again = await api('POST', `${a.url}/v1/jobs`, { name: 'written-by-deposed', command: 'true', schedule: '0 6 * * *' });
    expect(again.status).toBe(201);
    expect((await api('GET', `${b.url}/v1/jobs/written-by-deposed`)).status).toBe(200);
  });

  it('SIGSTOP past its lease with a write under way: after SIGCONT it steps down and that write is refused', { timeout: 90_000 }, async () => {
    // A leads again: B dies, A (its partition healed) takes the lease; a new B follows.
    const bLed = (await leaderSeenBy(b))!;
    await b.kill9();
    await leads(a, bLed.epoch, 'A leads again');
    b = await startMasterProcess({ redisUrl: redis.url, workDir: path.join(root, 'b2'), prefix, secret: HA_SECRET, args });
    const before = (await leaderSeenBy(a))!;
    await waitFor(async () => (await leaderSeenBy(b))?.address === a.url, { timeoutMs: 15_000, message: 'the new B follows A' });

    // A takes a write whose Redis round trips are held, and is stopped past its lease with it under way.
    proxy.pause();
    const job = api('POST', `${a.url}/v1/jobs`, { name: 'written-after-sigcont', command: 'true', schedule: '0 7 * * *' }, 60_000);
    await waitFor(() => proxy.heldFromClients().includes('written-after-sigcont'), { timeoutMs: 10_000, message: "A's jobs service is writing the job (held by the partition)" });
    a.child.kill('SIGSTOP');
    let resumed = false;
    try {
      await leads(b, before.epoch, 'B leads while A is stopped');
      a.child.kill('SIGCONT');
      resumed = true;
      await waitFor(() => a.logs().some((l) => l.msg === 'leadership lost' && l.epoch === before.epoch), { timeoutMs: 10_000, message: 'A steps down after SIGCONT' });
      // Only now does A's transaction reach Redis: after it resumed, under a newer epoch.
      proxy.resume();
      const answer = await job;
      expect(answer.status).toBe(503);
      expect(answer.body.detail).toContain('nothing was written');
      expect(await statusOnceServing(b, '/v1/jobs/written-after-sigcont')).toBe(404);
      expect(a.child.exitCode).toBeNull();
      await waitFor(async () => (await leaderSeenBy(a))?.address === b.url, { timeoutMs: 15_000, message: 'A names B' });
    } finally {
      if (!resumed) a.child.kill('SIGCONT');
      proxy.resume();
    }
  });
});

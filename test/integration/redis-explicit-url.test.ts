/**
 * A master told which Redis to use (`--redis-url`) that does not answer yet waits for it — it never starts a private
 * redis-server of its own, which would make it the leader of a second, empty cluster — and leads once it answers.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort, spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';
import { getJson, type LeaderView } from '../helpers/ha-cluster.ts';
import { startMasterProcess, type MasterProcess } from '../helpers/processes.ts';
import { waitFor } from '../helpers/wait-for.ts';

let root: string | undefined;
let master: MasterProcess | undefined;
let redis: RedisServerProcess | undefined;

afterAll(async () => {
  await master?.kill9();
  await redis?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}, 30_000);

describe('an explicit --redis-url that does not answer', () => {
  it('is waited for, not replaced by a private redis-server; the master leads once it answers', { timeout: 60_000 }, async () => {
    root = await mkdtemp(path.join(tmpdir(), 'orrery-explicit-redis-'));
    const port = await findFreePort();
    const workDir = path.join(root, 'master');
    master = await startMasterProcess({ redisUrl: `redis://127.0.0.1:${port}`, workDir, prefix: 'explicit', secret: 'explicit-secret-0123456789', args: ['--lease-ttl-ms', '2000'] });
    await waitFor(() => master!.logs().some((l) => String(l.msg).startsWith('redis does not answer yet: waiting for it')), { timeoutMs: 10_000, message: 'the master says it waits' });
    expect(master.logs().some((l) => String(l.msg).includes('started a private redis-server'))).toBe(false);
    expect(existsSync(path.join(workDir, 'redis'))).toBe(false);
    // The API answers meanwhile, without a leader.
    const res = await fetch(`${master.url}/v1/state`);
    expect(res.status).toBe(503);

    redis = await spawnRedisServer({ dir: await mkdtemp(path.join(root, 'redis-')), port, appendonly: true });
    const leader = await waitFor(async () => getJson<LeaderView>(`${master!.url}/v1/leader`), { timeoutMs: 20_000, message: 'the master leads once Redis answers' });
    expect(leader.address).toBe(master.url);
    expect(master.child.exitCode).toBeNull();
  });
});

/**
 * The leader through a Redis outage: renewals that fail (connection refused, commands waiting for the
 * reconnection) are retried until the lease may have expired. An outage shorter than the lease TTL leaves the
 * leader in its term; a longer one makes it step down (`renew-failing`) no later than the TTL after its last
 * successful renewal was sent, so it never acts as leader on a lease that may have expired.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock/clock.ts';
import { RedisLeaderContender, type LeaderContenderEvents } from '../../core/coordination/leader-contender.ts';
import { createRedis } from '../../core/coordination/redis-client.ts';
import { spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TTL_MS = 3000;
let dir: string;
let server: RedisServerProcess;

// AOF: the lease key survives the restart with its expiry, as it survives a failover on the replica.
const start = (port?: number) => spawnRedisServer({ dir, appendonly: true, ...(port !== undefined && { port }) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'orrery-test-outage-'));
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('leader lease through a Redis outage', () => {
  it('keeps leading through an outage shorter than the TTL; steps down after one longer than the TTL', async () => {
    const redis = createRedis(server.url, { name: 'outage-test', logger: silentLogger() });
    const contender = new RedisLeaderContender(redis, `outage-${Date.now()}`, { id: 'a', ttlMs: TTL_MS }, systemClock, silentLogger());
    const lost: Array<LeaderContenderEvents['lost'][0]> = [];
    contender.on('lost', (e) => lost.push(e));
    try {
      const { epoch } = await contender.campaign();

      // Short outage: 1.5 s down (the outage's length, not a synchronisation), longer than a renew period
      // (TTL/3 = 1 s), so renewals fail meanwhile, and well under the TTL.
      await server.stop();
      await new Promise((r) => setTimeout(r, 1500));
      server = await start(server.port);
      await waitFor(() => redis.status === 'ready', { timeoutMs: 5000, message: 'reconnected' });
      // A renew period after the reconnection a renewal has gone through: still the leader, in the same term.
      await new Promise((r) => setTimeout(r, TTL_MS / 3 + 200));
      expect(lost).toEqual([]);
      expect(contender.isLeader).toBe(true);
      expect(contender.epoch).toBe(epoch);

      // Long outage: the leader steps down by itself, within the TTL of its last renewal.
      const downAt = Date.now();
      await server.stop();
      await waitFor(() => lost.length > 0, { timeoutMs: TTL_MS + 2000, message: 'leader steps down' });
      expect(Date.now() - downAt).toBeLessThanOrEqual(TTL_MS + 100);
      expect(lost).toEqual([{ epoch, reason: 'renew-failing' }]);
      expect(contender.isLeader).toBe(false);
      server = await start(server.port);
    } finally {
      await contender.resign();
      redis.disconnect();
    }
  }, 30_000);
});

/** A private redis-server on a free port for a benchmark run (never the shared 6379), stopped afterwards. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { spawnRedisServer } from '../../core/coordination/redis-process.ts';

export async function benchRedis(): Promise<{ url: string; redis: Redis; stop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orrery-bench-redis-'));
  const server = await spawnRedisServer({ dir, appendonly: false });
  const url = server.url;
  const redis = new Redis(url);
  return {
    url,
    redis,
    stop: async () => {
      await redis.quit();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

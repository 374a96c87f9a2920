/** A registry store on a fresh key prefix, holding a real fencing epoch taken the way a leader takes it. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { registryKeys } from '../../core/coordination/keys.ts';
import { RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import { silentLogger } from '../../core/logging/logger.ts';

export async function freshStore(redis: Redis, prefix = `t-${randomUUID().slice(0, 8)}`): Promise<RedisRegistryStore> {
  const store = new RedisRegistryStore(redis, prefix, silentLogger());
  store.setEpoch(await redis.incr(registryKeys(prefix).epoch));
  return store;
}

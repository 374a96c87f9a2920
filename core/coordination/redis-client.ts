import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.ts';

export interface CreateRedisOptions {
  /** Shown in `CLIENT LIST` and in logs; letters, digits, `-`, `_`, `.` and `:` only. */
  name?: string;
  logger?: Logger;
  /** BullMQ Workers require `maxRetriesPerRequest: null` (commands wait for reconnection forever). */
  forBullmq?: boolean;
}

const RETRY_BASE_MS = 50;
const RETRY_CAP_MS = 2000;

/** Reconnect delay after `times` consecutive failures: doubling from 50 ms, capped at 2 s, never giving up. */
export function reconnectDelay(times: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(16, Math.max(0, times - 1)));
}

/**
 * An ioredis client for a `redis://` or `rediss://` (TLS) URL.
 *
 * Connection errors are logged at warn instead of being thrown: an 'error' event without a listener
 * would crash the process, while ioredis reconnects on its own. The caller owns the client and must
 * `quit()` it. Not for Sentinel/Cluster topologies (build those with ioredis directly).
 */
export function createRedis(url: string, opts: CreateRedisOptions = {}): Redis {
  if (!/^rediss?:\/\//.test(url)) {
    throw new Error(`redis url must start with redis:// or rediss://, got ${JSON.stringify(redactUrl(url))}`);
  }
  if (opts.name !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(opts.name)) {
    throw new Error(`invalid redis connection name ${JSON.stringify(opts.name)}`);
  }
  const options: RedisOptions = {
    connectionName: opts.name,
    retryStrategy: reconnectDelay,
    ...(opts.forBullmq ? { maxRetriesPerRequest: null } : {}),
  };
  const redis = new Redis(url, options);
  const log = opts.logger?.child({ component: 'redis', connection: opts.name ?? 'default', url: redactUrl(url) });
  let lastLogged = '';
  redis.on('error', (error: Error) => {
    // ioredis emits the same error on every reconnect attempt; log changes, not repeats.
    if (error.message === lastLogged) return;
    lastLogged = error.message;
    if (log) log.warn({ err: error }, 'redis connection error');
    else process.emitWarning(`redis connection error (${opts.name ?? 'default'}): ${error.message}`);
  });
  redis.on('ready', () => {
    if (lastLogged) log?.info('redis connection restored');
    lastLogged = '';
  });
  return redis;
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

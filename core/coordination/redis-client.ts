import { readFileSync } from 'node:fs';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { describeTarget, parseRedisUrl, type RedisTarget } from './redis-url.ts';

export { redactUrl } from './redis-url.ts';

export interface CreateRedisOptions {
  /** Shown in `CLIENT LIST` and in logs; letters, digits, `-`, `_`, `.` and `:` only. */
  name?: string;
  logger?: Logger;
  /** BullMQ Workers require `maxRetriesPerRequest: null` (commands wait for reconnection forever). */
  forBullmq?: boolean;
  /** Connect on the first command (or `connect()`) instead of at once. */
  lazyConnect?: boolean;
  /** ioredis `enableAutoPipelining`: commands of one tick go out as one pipeline. */
  autoPipelining?: boolean;
}

/** TLS settings read from the environment: `REDIS_TLS_CA_FILE` (PEM, for a private CA), `REDIS_TLS_SERVERNAME`. */
export interface RedisTlsEnv {
  REDIS_TLS_CA_FILE?: string;
  REDIS_TLS_SERVERNAME?: string;
}

/** A Redis URL that cannot be used; `key` is the config key to name in the message. */
export class RedisUrlError extends Error {
  readonly key = 'redisUrl';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisUrlError';
  }
}

const RETRY_BASE_MS = 50;
const RETRY_CAP_MS = 2000;

/** Reconnect delay after `times` consecutive failures: doubling from 50 ms, capped at 2 s, never giving up. */
export function reconnectDelay(times: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.min(16, Math.max(0, times - 1)));
}

/**
 * Sentinel only: after a failover a connection can still reach the old primary, now a replica, and writes
 * answer `READONLY`: reconnect (the sentinels name the new primary) and resend the command (2), so the write
 * is retried instead of failing. Not for one server (reconnecting to the same replica would loop) nor for
 * Cluster (ioredis follows MOVED itself).
 */
export function reconnectOnError(error: Error): 2 | false {
  return /^READONLY\b/.test(error.message) ? 2 : false;
}

/** Parses `url` (see redis-url.ts) or throws a RedisUrlError naming `redisUrl`/`REDIS_URL`. */
export function redisTarget(url: string): RedisTarget {
  const parsed = parseRedisUrl(url);
  if (!parsed.ok) throw new RedisUrlError(`redisUrl (REDIS_URL, --redis-url): ${parsed.error}`);
  return parsed.value;
}

/** ioredis options for one data-node connection of `target` (no per-connection name, no retry policy). */
export function redisOptions(target: RedisTarget, env: RedisTlsEnv = process.env): RedisOptions {
  const tls = target.tls ? tlsOptions(env) : undefined;
  const auth: RedisOptions = {
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
  };
  if (target.kind === 'standalone') {
    return { host: target.node.host, port: target.node.port, db: target.db, ...auth, ...(tls && { tls }) };
  }
  if (target.kind === 'sentinel') {
    return {
      sentinels: target.sentinels.map((n) => ({ host: n.host, port: n.port })),
      name: target.masterName,
      db: target.db,
      ...auth,
      ...(target.sentinelUsername !== undefined && { sentinelUsername: target.sentinelUsername }),
      ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
      ...(tls && { tls, enableTLSForSentinelMode: true, sentinelTLS: tls }),
      sentinelRetryStrategy: reconnectDelay,
      // Listen for +switch-master on the sentinels: reconnect to the new primary at once, not at the next error.
      failoverDetector: true,
    };
  }
  return { ...auth, ...(tls && { tls }) };
}

/**
 * An ioredis client for any URL form of redis-url.ts: one server, TLS, Sentinel or Cluster. Every Redis
 * connection Orrery makes comes from here (or from a `RedisConnect` built on it).
 *
 * Connection errors are logged at warn (changes only, not every reconnect attempt) instead of being
 * thrown: an 'error' event without a listener would crash the process, while ioredis reconnects on its
 * own. Commands issued while disconnected wait in the offline queue and go out after the reconnection
 * (to the new primary after a failover); commands sent but unanswered when the connection dropped are
 * resent. The caller owns the client and must `quit()` it.
 *
 * A Cluster URL yields an ioredis `Cluster`, typed as `Redis`: both implement the same command interface
 * (`RedisCommander`), `defineCommand`, `duplicate`, `multi`, `quit`, and every key Orrery uses shares one
 * hash tag, so each script and transaction touches one slot. Cluster-only or Redis-only members
 * (`nodes()`, `options`) are not used by Orrery.
 */
export function createRedis(url: string | RedisTarget, opts: CreateRedisOptions = {}, env: RedisTlsEnv = process.env): Redis {
  const target = typeof url === 'string' ? redisTarget(url) : url;
  if (opts.name !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(opts.name)) {
    throw new Error(`invalid redis connection name ${JSON.stringify(opts.name)}`);
  }
  const connection: RedisOptions = {
    ...redisOptions(target, env),
    connectionName: opts.name,
    retryStrategy: reconnectDelay,
    ...(target.kind === 'sentinel' && { reconnectOnError }),
    ...(opts.lazyConnect && { lazyConnect: true }),
    ...(opts.autoPipelining && { enableAutoPipelining: true }),
    ...(opts.forBullmq ? { maxRetriesPerRequest: null } : {}),
  };
  let redis: Redis;
  if (target.kind === 'cluster') {
    const clusterOptions: ClusterOptions = {
      redisOptions: connection,
      clusterRetryStrategy: reconnectDelay,
      ...(opts.lazyConnect && { lazyConnect: true }),
      ...(opts.autoPipelining && { enableAutoPipelining: true }),
      ...(opts.forBullmq ? { maxRetriesPerRequest: null } : {}),
    };
    redis = new Cluster(target.nodes, clusterOptions) as unknown as Redis;
  } else {
    redis = new Redis(connection);
  }
  logConnectionEvents(redis, describeTarget(target), opts);
  return redis;
}

function logConnectionEvents(redis: Redis, where: string, opts: CreateRedisOptions): void {
  const log = opts.logger?.child({ component: 'redis', connection: opts.name ?? 'default', redis: where });
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
}

/**
 * Connections by name, all to one target: what the services receive instead of a URL (they may not import
 * core/coordination). `forBullmq` gives `maxRetriesPerRequest: null`, which BullMQ Workers require.
 */
export type RedisConnect = (name: string, opts?: { forBullmq?: boolean; lazyConnect?: boolean; autoPipelining?: boolean }) => Redis;

export function redisConnector(url: string, logger: Logger, env: RedisTlsEnv = process.env): RedisConnect {
  const target = redisTarget(url);
  // Read a CA file once, now, so a missing file is a start-up error and not a failure at every reconnect.
  redisOptions(target, env);
  return (name, opts = {}) => createRedis(target, { name: name.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 64), logger, ...opts }, env);
}

function tlsOptions(env: RedisTlsEnv): { ca?: Buffer; servername?: string } {
  const out: { ca?: Buffer; servername?: string } = {};
  if (env.REDIS_TLS_CA_FILE) {
    try {
      out.ca = readFileSync(env.REDIS_TLS_CA_FILE);
    } catch (error) {
      throw new RedisUrlError(`REDIS_TLS_CA_FILE: cannot read ${env.REDIS_TLS_CA_FILE}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (env.REDIS_TLS_SERVERNAME) out.servername = env.REDIS_TLS_SERVERNAME;
  return out;
}


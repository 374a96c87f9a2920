import { access, constants, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis, ReplyError } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { redisOptions, redisTarget } from './redis-client.ts';
import { describeTarget, redactUrl } from './redis-url.ts';
import { pingRedis, spawnRedisServer, type RedisServerProcess } from './redis-process.ts';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ConnectOrStartOptions {
  /** Where to look first; default `redis://127.0.0.1:6379`. */
  url?: string;
  /** The private server keeps its AOF and state file under `<workDir>/redis`. */
  workDir: string;
  logger: Logger;
  /** How long `url` gets to answer PING. Default 1000 ms. */
  probeTimeoutMs?: number;
  /**
   * Start a private server when nothing answers at `url` (default true). Off when the operator named the Redis:
   * a master that cannot reach the cluster's Redis must wait for it, not lead a cluster of its own.
   */
  privateFallback?: boolean;
}

export interface RedisEndpoint {
  url: string;
  /** True when this call started (or adopted) a private redis-server that `stop()` will shut down. */
  started: boolean;
  /** Shuts the private server down (SIGTERM: the AOF is fsynced); a no-op for an external Redis. */
  stop(): Promise<void>;
}

interface StateFile {
  pid: number;
  port: number;
}

const STATE_FILE = 'orrery-redis.json';
const HOST = '127.0.0.1';

/**
 * The Redis `orrery up` should use: the one answering at `url`, else (unless `privateFallback` is off) a private
 * `redis-server` (AOF on, bound to 127.0.0.1, data in `<workDir>/redis`) so a laptop needs no setup.
 *
 * The private server's data dir is the same on every start, so state survives restarts. If a
 * previous private server of this workDir is still alive (its parent was killed hard), it is
 * adopted when it answers PING and stopped first when it does not; two servers never share one AOF.
 * Throws, with install instructions, when nothing answers and `redis-server` is not on PATH.
 */
export async function connectOrStartRedis(opts: ConnectOrStartOptions): Promise<RedisEndpoint> {
  const url = opts.url ?? DEFAULT_REDIS_URL;
  const log = opts.logger.child({ component: 'embedded-redis' });
  const target = redisTarget(url);
  if (target.kind !== 'standalone') {
    // Sentinel and Cluster are production topologies: never replace them by a private server; the
    // connections wait for them (and log) if they are not reachable yet.
    log.info({ redis: describeTarget(target) }, 'using redis');
    return { url, started: false, stop: async () => undefined };
  }
  if (await probe(url, opts.probeTimeoutMs ?? 1000)) {
    log.info({ url: redactUrl(url) }, 'using redis');
    return { url, started: false, stop: async () => undefined };
  }
  if (opts.privateFallback === false) {
    log.warn({ url: redactUrl(url) }, 'redis does not answer yet: waiting for it (a Redis given by REDIS_URL or --redis-url is never replaced by a private one)');
    return { url, started: false, stop: async () => undefined };
  }
  const dir = path.join(opts.workDir, 'redis');
  await mkdir(dir, { recursive: true });
  const adopted = await adoptOrClearPrevious(dir, log);
  if (adopted) return adopted;
  if (!(await onPath('redis-server'))) {
    throw new Error(
      `no redis answers at ${redactUrl(url)} and redis-server is not installed. ` +
        'Install Redis (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) ' +
        'or point REDIS_URL at a running one, e.g. REDIS_URL=redis://host:6379',
    );
  }
  const logfile = path.join(dir, 'redis-server.log');
  let server: RedisServerProcess;
  try {
    server = await spawnRedisServer({ dir, appendonly: true, host: HOST, logfile });
  } catch (error) {
    throw new Error(`could not start a private redis-server in ${dir} (see ${logfile}): ${await tail(logfile)}`, { cause: error });
  }
  await writeState(dir, { pid: server.pid, port: server.port });
  log.info({ url: server.url, port: server.port, dir, pid: server.pid }, 'no redis answered: started a private redis-server (aof on)');
  return {
    url: server.url,
    started: true,
    stop: async () => {
      await server.stop();
      await rm(path.join(dir, STATE_FILE), { force: true });
      log.info({ port: server.port, dir }, 'private redis-server stopped');
    },
  };
}

/** True when `url` answers PING. Throws when something answers but refuses us (auth): starting our own would hide that. */
async function probe(url: string, timeoutMs: number): Promise<boolean> {
  const client = new Redis({
    ...redisOptions(redisTarget(url)),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // Connection failures are the expected "nothing here" outcome and are reported by the return value.
  client.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), timeoutMs)));
  const attempt = client
    .connect()
    .then(() => client.ping())
    .then(
      () => 'up' as const,
      (error: unknown) => (error instanceof ReplyError ? (error as Error) : ('down' as const)),
    );
  try {
    const outcome = await Promise.race([attempt, timeout]);
    if (outcome instanceof Error) throw new Error(`redis at ${redactUrl(url)} refused PING: ${outcome.message}`, { cause: outcome });
    return outcome === 'up';
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

async function adoptOrClearPrevious(dir: string, log: Logger): Promise<RedisEndpoint | null> {
  const state = await readState(dir);
  if (!state) return null;
  const file = path.join(dir, STATE_FILE);
  const redisPid = isAlive(state.pid) && (await isRedisServer(state.pid));
  if (redisPid && (await pingRedis(HOST, state.port, 1000))) {
    const url = `redis://${HOST}:${state.port}`;
    log.info({ url, pid: state.pid, dir }, 'adopted the private redis-server left by a previous run');
    return {
      url,
      started: true,
      stop: async () => {
        await stopPid(state.pid, 10_000);
        await rm(file, { force: true });
      },
    };
  }
  if (redisPid) {
    log.warn({ pid: state.pid, port: state.port, dir }, 'previous private redis-server does not answer: stopping it');
    await stopPid(state.pid, 10_000);
  }
  await rm(file, { force: true });
  return null;
}

async function readState(dir: string): Promise<StateFile | null> {
  let text: string;
  try {
    text = await readFile(path.join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StateFile>;
  if (!Number.isInteger(parsed.pid) || !Number.isInteger(parsed.port)) return null;
  return { pid: parsed.pid as number, port: parsed.port as number };
}

async function writeState(dir: string, state: StateFile): Promise<void> {
  await writeFile(path.join(dir, STATE_FILE), JSON.stringify(state) + '\n');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // ESRCH: gone. EPERM: another user's process, so not a server we started.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH' || (error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
}

/** Guards against PID reuse: on Linux the command line must name redis-server; elsewhere PING decides. */
async function isRedisServer(pid: number): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('redis-server');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform !== 'linux';
  }
}

async function stopPid(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function onPath(binary: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, binary), constants.X_OK);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && (error as NodeJS.ErrnoException).code !== 'EACCES') throw error;
    }
  }
  return false;
}

async function tail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).slice(-2000).trim();
  } catch (error) {
    return `(no log: ${(error as Error).message})`;
  }
}

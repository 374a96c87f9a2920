import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';

export interface TestRedis {
  url: string;
  port: number;
  host: string;
  /** The server's data dir (a fresh temp dir, removed by `stop`). */
  dir: string;
  /** Stops the server and removes its dir. */
  stop(): Promise<void>;
  /** Stops the server (SIGTERM: AOF is fsynced) and starts it again on the same port and dir. */
  restart(): Promise<void>;
}

/**
 * A real `redis-server` on a free port of 127.0.0.1 (never 6379), `--save ""`, AOF per option.
 * One per test file (beforeAll/afterAll); give each test its own key prefix.
 */
export async function startTestRedis(opts: { appendonly?: boolean } = {}): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orrery-test-redis-'));
  const appendonly = opts.appendonly ?? false;
  let server: RedisServerProcess;
  try {
    server = await spawnRedisServer({ dir, appendonly });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const port = server.port;
  return {
    url: server.url,
    port,
    host: server.host,
    dir,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await server.stop();
      server = await spawnRedisServer({ dir, appendonly, port });
    },
  };
}

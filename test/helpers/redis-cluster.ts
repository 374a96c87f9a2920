/**
 * A Redis Cluster for tests: three masters (`--cluster-enabled yes`, no replicas) on free ports of 127.0.0.1
 * (never 6379), joined with `redis-cli --cluster create`, all files in one temp dir removed by `stop()`.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';
import { waitFor } from './wait-for.ts';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** `redis+cluster://127.0.0.1:<p1>,127.0.0.1:<p2>,127.0.0.1:<p3>` */
  url: string;
  nodes: RedisServerProcess[];
  stop(): Promise<void>;
}

export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orrery-test-cluster-'));
  const nodes: RedisServerProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(nodes.map((n) => n.stop(2000)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 1; i <= 3; i++) {
      const d = path.join(dir, `node-${i}`);
      await mkdir(d);
      nodes.push(await spawnRedisServer({ dir: d, appendonly: false, extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(d, 'nodes.conf'), '--cluster-node-timeout', '2000'] }));
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    for (const n of nodes) {
      const c = new Redis({ host: n.host, port: n.port, lazyConnect: true, maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      try {
        await waitFor(async () => /cluster_state:ok/.test((await c.call('CLUSTER', 'INFO')) as string), { timeoutMs: 20_000, intervalMs: 100, message: `cluster state ok on ${n.port}` });
      } finally {
        c.disconnect();
      }
    }
    return { url: `redis+cluster://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}`, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A Redis Sentinel topology for tests: a primary, a replica (`--replicaof` the primary) and three sentinels
 * (`redis-server <conf> --sentinel`, quorum 2), all on free ports of 127.0.0.1 (never 6379), all files in one
 * temp dir removed by `stop()`. Failure detection is fast: `down-after-milliseconds` 1000, `failover-timeout`
 * 5000, so a killed primary is replaced within a few seconds.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort, spawnRedisServer, type RedisServerProcess } from '../../core/coordination/redis-process.ts';
import { waitFor } from './wait-for.ts';

export const MASTER_NAME = 'orrery-test';
export const DOWN_AFTER_MS = 1000;
export const FAILOVER_TIMEOUT_MS = 5000;

export interface Address {
  host: string;
  port: number;
}

export interface TestSentinel {
  /** `redis+sentinel://127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/orrery-test` */
  url: string;
  masterName: string;
  /** The data servers, started as primary and replica (the roles swap after a failover). */
  servers: RedisServerProcess[];
  sentinels: RedisServerProcess[];
  /** The primary the sentinels report now. */
  primary(): Promise<Address>;
  /** SIGKILL the current primary (no shutdown, nothing flushed); returns its address. */
  killPrimary(): Promise<Address>;
  /** Resolves with the new primary once the sentinels report one other than `old` and it accepts writes. */
  waitForFailover(old: Address, timeoutMs?: number): Promise<Address>;
  /** A graceful failover (`SENTINEL FAILOVER`): the replica is promoted, the primary demoted to its replica. */
  failover(): Promise<{ old: Address; promoted: Address }>;
  /** Resolves once the primary has its replica online again and every sentinel sees it (ready for the next failover). */
  waitForReplica(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSentinel(): Promise<TestSentinel> {
  const dir = await mkdtemp(path.join(tmpdir(), 'orrery-test-sentinel-'));
  const started: RedisServerProcess[] = [];
  const clients: Redis[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(clients.map((c) => c.quit()));
    await Promise.allSettled(started.map((s) => s.stop(2000)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const server = async (name: string, extraArgs: string[] = []): Promise<RedisServerProcess> => {
      const d = path.join(dir, name);
      await mkdir(d);
      const s = await spawnRedisServer({ dir: d, appendonly: false, extraArgs });
      started.push(s);
      return s;
    };
    const primary = await server('primary');
    const replica = await server('replica', ['--replicaof', primary.host, String(primary.port)]);
    const byPort = new Map<number, Redis>();
    const client = (a: Address): Redis => {
      const known = byPort.get(a.port);
      if (known) return known;
      // Reconnecting: a sentinel kills the client connections of a replica it promotes.
      const c = new Redis({ host: a.host, port: a.port, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
      c.on('error', () => undefined);
      clients.push(c);
      byPort.set(a.port, c);
      return c;
    };
    const replicaClient = client(replica);
    await waitFor(async () => /master_link_status:up/.test(await replicaClient.info('replication')), { timeoutMs: 10_000, message: 'replica in sync with the primary' });

    const sentinels: RedisServerProcess[] = [];
    for (let i = 1; i <= 3; i++) {
      const d = path.join(dir, `sentinel-${i}`);
      await mkdir(d);
      const port = await findFreePort();
      const conf = path.join(d, 'sentinel.conf');
      await writeFile(
        conf,
        [
          `sentinel monitor ${MASTER_NAME} ${primary.host} ${primary.port} 2`,
          `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
          `sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
          `sentinel parallel-syncs ${MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      const s = await spawnRedisServer({ dir: d, appendonly: false, mode: 'sentinel', configFile: conf, port });
      started.push(s);
      sentinels.push(s);
    }
    const sentinelClients = sentinels.map((s) => client(s));
    // Failover needs every sentinel to know the replica and a majority of the others (hello messages, ~2 s).
    await waitFor(
      async () => {
        for (const c of sentinelClients) {
          const replicas = (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
          const peers = (await c.call('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
          if (replicas.length < 1 || peers.length < 2) return false;
        }
        return true;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: 'sentinels know the replica and each other' },
    );

    const primaryNow = async (): Promise<Address> => {
      for (const c of sentinelClients) {
        try {
          const [host, port] = (await c.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
          return { host, port: Number(port) };
        } catch {
          // That sentinel is unreachable: ask the next.
        }
      }
      throw new Error('no sentinel answers');
    };
    const serverAt = (a: Address): RedisServerProcess => {
      const s = started.find((x) => x.port === a.port && !sentinels.includes(x));
      if (!s) throw new Error(`no test server on port ${a.port}`);
      return s;
    };
    return {
      url: `redis+sentinel://${sentinels.map((s) => `${s.host}:${s.port}`).join(',')}/${MASTER_NAME}`,
      masterName: MASTER_NAME,
      servers: [primary, replica],
      sentinels,
      primary: primaryNow,
      async killPrimary() {
        const a = await primaryNow();
        await serverAt(a).kill();
        return a;
      },
      async waitForFailover(old, timeoutMs = 30_000) {
        return waitFor(
          async () => {
            const a = await primaryNow();
            if (a.port === old.port) return undefined;
            const role = await client(a).role();
            return role[0] === 'master' ? a : undefined;
          },
          { timeoutMs, intervalMs: 100, message: `sentinels promote a replica of ${old.host}:${old.port}` },
        );
      },
      async failover() {
        const old = await primaryNow();
        await sentinelClients[0].call('SENTINEL', 'FAILOVER', MASTER_NAME);
        const promoted = await waitFor(
          async () => {
            const a = await primaryNow();
            return a.port !== old.port && (await client(a).role())[0] === 'master' ? a : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 100, message: 'sentinels promote the replica' },
        );
        return { old, promoted };
      },
      async waitForReplica(timeoutMs = 30_000) {
        await waitFor(
          async () => {
            const p = await primaryNow();
            if (!/slave0:.*state=online/.test(await client(p).info('replication'))) return false;
            for (const c of sentinelClients) {
              const replicas = (await c.call('SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
              const ok = replicas.some((r) => {
                const f = Object.fromEntries(r.flatMap((v, i) => (i % 2 === 0 ? [[v, r[i + 1]]] : [])));
                return f['master-link-status'] === 'ok' && !/s_down|o_down|disconnected/.test(f.flags ?? '');
              });
              if (!ok) return false;
            }
            return true;
          },
          { timeoutMs, intervalMs: 200, message: 'the replica online and seen by every sentinel' },
        );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Failover time: three `orrery master` replicas (real processes, one Redis with AOF) and one agent; the leader is
 * killed with SIGKILL and a client keeps POSTing /v1/tasks to the surviving replicas (which forward to the leader)
 * every 25 ms. Measured per kill, from the kill:
 *   - leader named: a survivor's GET /v1/leader names a new leader;
 *   - first write: the first POST /v1/tasks answered 202 (the new leader's registry write was accepted).
 * The killed replica restarts on its port before the next kill. Goal: median first write ≤ 3 s (Mesos and
 * Marathon need a ZooKeeper session timeout, about 10 s). The figure is bounded below by the lease: a dead leader's
 * lease runs out 2/3·ttl to ttl after the kill, and followers try for it every ttl/3.
 *
 *   npm run bench -- failover            (10 kills, lease ttl 2000 ms)
 *   BENCH_KILLS=20 BENCH_LEASE_TTL_MS=3000 npm run bench -- failover
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis } from '../test/helpers/redis.ts';
import { api, HaCluster } from '../test/helpers/ha-cluster.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

const KILLS = Number(process.env.BENCH_KILLS ?? 10);
const LEASE_TTL_MS = Number(process.env.BENCH_LEASE_TTL_MS ?? 2000);
const GOAL_MEDIAN_MS = 3000;

async function firstAcceptedWrite(cluster: HaCluster, killed: number, since: number): Promise<number> {
  for (let n = 0; ; n++) {
    const url = cluster.masterUrls.filter((_, i) => i !== killed)[n % (cluster.masterUrls.length - 1)] as string;
    const r = await api('POST', `${url}/v1/tasks`, { command: 'true', cpus: 0.01, mem: 1, name: `failover-probe-${n}` }, 2000).catch(() => undefined);
    if (r?.status === 202) return performance.now() - since;
    await new Promise((res) => setTimeout(res, 25));
  }
}

async function main(): Promise<void> {
  const redis = await startTestRedis({ appendonly: true });
  const root = await mkdtemp(path.join(tmpdir(), 'orrery-bench-failover-'));
  const cluster = new HaCluster({ redisUrl: redis.url, root, prefix: 'bench-failover', leaseTtlMs: LEASE_TTL_MS, agents: 1 });
  const rows: Array<Record<string, string | number>> = [];
  const named: number[] = [];
  const writes: number[] = [];
  try {
    await cluster.start();
    for (let k = 1; k <= KILLS; k++) {
      const { leader, index } = await cluster.leader();
      const t0 = performance.now();
      await cluster.masters[index]!.kill9();
      const [leaderNamed, write] = await Promise.all([
        cluster.leader({ notId: leader.id, timeoutMs: 60_000 }).then(() => performance.now() - t0),
        firstAcceptedWrite(cluster, index, t0),
      ]);
      named.push(leaderNamed);
      writes.push(write);
      rows.push({ kill: k, 'leader named ms': Math.round(leaderNamed), 'first write ms': Math.round(write) });
      await cluster.restartMaster(index);
    }
  } finally {
    await cluster.stop();
    await redis.stop();
    await rm(root, { recursive: true, force: true });
  }
  printTable(`Failover, leader kill -9 → new leader (3 replicas, lease ttl ${LEASE_TTL_MS} ms), ${KILLS} kills`, rows);
  printTable('Summary', [
    { measure: 'leader named', 'median ms': Math.round(percentile(named, 50)), 'max ms': Math.round(Math.max(...named)) },
    { measure: 'first accepted write', 'median ms': Math.round(percentile(writes, 50)), 'max ms': Math.round(Math.max(...writes)), goal: `median ≤ ${GOAL_MEDIAN_MS}` },
  ]);
  process.stdout.write(`machine: ${machineInfo()}\n`);
}

await main();

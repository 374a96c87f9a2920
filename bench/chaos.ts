/**
 * Chaos: three master replicas, two agents, long-running tasks and a stream of short tasks; for N minutes, one fault
 * after another, in turn:
 *   - kill -9 of the leader (restarted on its port afterwards);
 *   - SIGSTOP of the leader for lease ttl + 1 s, then SIGCONT (it must step down);
 *   - kill -9 of an agent, restarted on its work dir (it recovers its tasks from the checkpoint);
 *   - a Redis restart (AOF).
 * After each fault the cluster must come back: a leader, both agents ACTIVE, every long task RUNNING with its PID.
 * At the end it prints the faults injected, failover times (leader kills and stops), long tasks lost, and updates
 * lost (short tasks that did not end FINISHED exactly as run) and tasks lost (accepted by the API, unknown to the
 * leader at the end) — all must be 0.
 *
 *   npm run bench -- chaos                      (2 minutes)
 *   CHAOS_MINUTES=10 npm run bench -- chaos
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestRedis } from '../test/helpers/redis.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { api, getJson, HaCluster, ShortTaskStream, terminalStates } from '../test/helpers/ha-cluster.ts';
import { machineInfo, percentile, printTable } from './lib/report.ts';

const MINUTES = Number(process.env.CHAOS_MINUTES ?? 2);
const LEASE_TTL_MS = Number(process.env.CHAOS_LEASE_TTL_MS ?? 2000);
const LONG_TASKS = 10;
const FAULTS = ['kill-leader', 'stop-leader', 'kill-agent', 'restart-redis'] as const;

async function main(): Promise<void> {
  const redis = await startTestRedis({ appendonly: true });
  const root = await mkdtemp(path.join(tmpdir(), 'orrery-chaos-'));
  const cluster = new HaCluster({ redisUrl: redis.url, root, prefix: 'chaos', leaseTtlMs: LEASE_TTL_MS });
  const injected = new Map<string, number>();
  const failovers: number[] = [];
  const longTasks = new Map<string, number>();
  let longLost = 0;
  let stream: ShortTaskStream | undefined;
  let updatesLost = 0;
  let neverLaunched = 0;
  let shortTotal = 0;
  try {
    await cluster.start();
    for (let i = 0; i < LONG_TASKS; i++) {
      const r = await api('POST', `${cluster.replica(i)}/v1/tasks`, { command: 'sleep 3600', cpus: 0.1, mem: 8, name: `chaos-long-${i}` });
      if (r.status !== 202) throw new Error(`long task refused: ${JSON.stringify(r.body)}`);
      longTasks.set(r.body.id, 0);
    }
    for (const id of longTasks.keys()) {
      const t = await waitFor(async () => {
        const v = await getJson<any>(`${cluster.replica(0)}/v1/tasks/${id}`);
        return v?.state === 'RUNNING' && v.executorPid ? v : undefined;
      }, { timeoutMs: 60_000 });
      longTasks.set(id, t.executorPid);
    }
    stream = new ShortTaskStream(cluster);
    stream.start(250);
    const until = Date.now() + MINUTES * 60_000;
    for (let n = 0; Date.now() < until; n++) {
      const fault = FAULTS[n % FAULTS.length]!;
      injected.set(fault, (injected.get(fault) ?? 0) + 1);
      if (fault === 'kill-leader' || fault === 'stop-leader') {
        const { leader, index } = await cluster.leader();
        const t0 = Date.now();
        const m = cluster.masters[index]!;
        if (fault === 'kill-leader') await m.kill9();
        else m.child.kill('SIGSTOP');
        await cluster.leader({ notId: leader.id, timeoutMs: 60_000 });
        failovers.push(Date.now() - t0);
        if (fault === 'kill-leader') await cluster.restartMaster(index);
        else {
          await new Promise((res) => setTimeout(res, Math.max(0, t0 + LEASE_TTL_MS + 1000 - Date.now())));
          m.child.kill('SIGCONT');
        }
      } else if (fault === 'kill-agent') {
        const i = n % cluster.agents.length;
        await cluster.agents[i]!.kill9();
        await cluster.restartAgent(i);
      } else {
        await redis.restart();
      }
      // Back to a healthy cluster before the next fault.
      await cluster.leader();
      await waitFor(async () => {
        const r = await getJson<{ agents: Array<{ id: string; state: string }> }>(`${cluster.replica(0)}/v1/agents`);
        return r !== undefined && cluster.agents.every((a) => r.agents.find((x) => x.id === a.agentId)?.state === 'ACTIVE');
      }, { timeoutMs: 60_000, intervalMs: 100, message: `agents back after ${fault}` });
      await new Promise((res) => setTimeout(res, 1000));
    }
    await stream.stop();
    for (const [id, pid] of longTasks) {
      const t = await getJson<any>(`${cluster.replica(0)}/v1/tasks/${id}`);
      if (t?.state !== 'RUNNING' || t.executorPid !== pid) longLost++;
    }
    shortTotal = stream.accepted.length;
    for (const [, t] of await terminalStates(cluster, stream.accepted, 60_000)) {
      if (t.state === 'UNKNOWN') neverLaunched++;
      else if (t.state !== 'FINISHED' || t.exitCode !== 0) updatesLost++;
    }
  } finally {
    await stream?.stop();
    for (const pid of longTasks.values()) {
      try {
        if (pid) process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await cluster.stop();
    await redis.stop();
    await rm(root, { recursive: true, force: true });
  }
  printTable(`Chaos, ${MINUTES} min (3 replicas, 2 agents, lease ttl ${LEASE_TTL_MS} ms)`, [
    ...FAULTS.map((f) => ({ measure: `faults: ${f}`, value: injected.get(f) ?? 0 })),
    { measure: 'failover ms min', value: failovers.length ? Math.min(...failovers) : '-' },
    { measure: 'failover ms median', value: failovers.length ? Math.round(percentile(failovers, 50)) : '-' },
    { measure: 'failover ms max', value: failovers.length ? Math.max(...failovers) : '-' },
    { measure: `long tasks lost (of ${LONG_TASKS})`, value: longLost },
    { measure: `updates lost (short tasks, of ${shortTotal})`, value: updatesLost },
    { measure: 'tasks lost (accepted, unknown to the leader)', value: neverLaunched },
  ]);
  process.stdout.write(`machine: ${machineInfo()}\n`);
  if (longLost > 0 || updatesLost > 0 || neverLaunched > 0) process.exitCode = 1;
}

await main();

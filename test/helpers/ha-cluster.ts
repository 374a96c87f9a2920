/**
 * A highly available cluster of real processes on loopback: N `orrery master` replicas on fixed free ports against
 * one Redis and key prefix, and `orrery agent`s given every replica's URL. Used by test/cluster/ha-*.test.ts,
 * bench/failover.ts and bench/chaos.ts. A killed replica restarts on its own port, so the agents' lists stay valid.
 */
import path from 'node:path';
import { findFreePort } from '../../core/coordination/redis-process.ts';
import { startAgentProcess, startMasterProcess, type AgentProcess, type MasterProcess } from './processes.ts';
import { waitFor } from './wait-for.ts';

export const HA_SECRET = 'ha-cluster-secret-0123456789abcdef';

export interface LeaderView {
  id: string;
  address: string;
  epoch: number;
  electedAt: string;
}

export interface HaClusterOptions {
  redisUrl: string;
  root: string;
  prefix: string;
  masters?: number;
  agents?: number;
  leaseTtlMs?: number;
  /** Extra `orrery master` arguments. */
  masterArgs?: string[];
  agentResources?: string;
}

export class HaCluster {
  readonly masters: MasterProcess[] = [];
  readonly agents: AgentProcess[] = [];
  private ports: number[] = [];

  constructor(readonly opts: HaClusterOptions) {}

  get masterUrls(): string[] {
    return this.ports.map((p) => `http://127.0.0.1:${p}`);
  }

  masterArgs(): string[] {
    const ttl = String(this.opts.leaseTtlMs ?? 3000);
    return ['--lease-ttl-ms', ttl, '--agent-heartbeat-ms', '250', '--agent-timeout-ms', '3000', '--agent-lost-ms', '120000', '--agent-reregister-ms', '30000', ...(this.opts.masterArgs ?? [])];
  }

  async start(): Promise<void> {
    const n = this.opts.masters ?? 3;
    for (let i = 0; i < n; i++) this.ports.push(await findFreePort());
    for (let i = 0; i < n; i++) this.masters.push(await this.startMaster(i));
    await this.leader();
    const agents = this.opts.agents ?? 2;
    for (let i = 0; i < agents; i++) {
      this.agents.push(await startAgentProcess(this.agentOptions(i)));
    }
  }

  startMaster(i: number): Promise<MasterProcess> {
    return startMasterProcess({ redisUrl: this.opts.redisUrl, workDir: path.join(this.opts.root, `master-${i}`), prefix: this.opts.prefix, secret: HA_SECRET, port: this.ports[i], args: this.masterArgs() });
  }

  /** Replaces replica i (killed) by a fresh process on its port. */
  async restartMaster(i: number): Promise<void> {
    this.masters[i] = await this.startMaster(i);
  }

  /** GET /v1/leader on the live replicas until one names a leader (that is not `notId`) which answers itself as leader. */
  async leader(opts: { notId?: string; minEpoch?: number; timeoutMs?: number } = {}): Promise<{ leader: LeaderView; index: number }> {
    return waitFor(async () => {
      for (const m of this.masters) {
        if (m.child.exitCode !== null || m.child.signalCode !== null) continue;
        const l = await getJson<LeaderView>(`${m.url}/v1/leader`);
        if (!l || l.id === opts.notId || l.epoch < (opts.minEpoch ?? 0)) continue;
        const index = this.masterUrls.indexOf(l.address);
        if (index < 0) continue;
        return { leader: l, index };
      }
      return undefined;
    }, { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: 50, message: 'a leader named by a replica' });
  }

  /** A live replica, the n-th in turn (they forward to the leader). */
  replica(n: number): string {
    const live = this.masters.map((m, i) => ({ m, i })).filter(({ m }) => m.child.exitCode === null && m.child.signalCode === null);
    return this.masterUrls[live[n % live.length]!.i] as string;
  }

  /** Replaces agent i (killed) by a fresh process on its work dir: it recovers its tasks from the checkpoint. */
  async restartAgent(i: number): Promise<void> {
    this.agents[i] = await startAgentProcess(this.agentOptions(i));
  }

  private agentOptions(i: number) {
    return {
      masterUrl: this.masterUrls.join(','),
      secret: HA_SECRET,
      workDir: path.join(this.opts.root, `agent-${i}`),
      resources: this.opts.agentResources ?? 'cpus:4;mem:4096',
      hostname: `ha-agent-${i}`,
      attributes: `node:${i}`,
    };
  }

  /** The URL of a live replica other than `index` (a follower, once `index` leads). */
  otherThan(index: number): string {
    const i = this.masters.findIndex((m, j) => j !== index && m.child.exitCode === null && m.child.signalCode === null);
    return this.masterUrls[i] as string;
  }

  async stop(): Promise<void> {
    for (const p of [...this.agents, ...this.masters]) await p.stop().catch(() => undefined);
  }
}

export async function getJson<T>(url: string, timeoutMs = 2000): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return undefined;
    return (await res.json()) as T;
  } catch {
    return undefined;
  }
}

export async function api(method: string, url: string, body?: unknown, timeoutMs = 10_000): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/**
 * A stream of short tasks (`true`) through POST /v1/tasks on the replicas in turn; a refused or failed submission
 * (503 during an election, a reset connection to a killed replica) is simply not counted, and the next one goes to
 * another replica.
 */
export class ShortTaskStream {
  readonly accepted: string[] = [];
  private running = true;
  private loop?: Promise<void>;

  constructor(private readonly cluster: HaCluster) {}

  start(periodMs = 300): void {
    this.loop = (async () => {
      for (let n = 0; this.running; n++) {
        try {
          const r = await api('POST', `${this.cluster.replica(n)}/v1/tasks`, { command: 'true', cpus: 0.05, mem: 8, name: `short-${n}` }, 5000);
          if (r.status === 202) this.accepted.push(r.body.id as string);
        } catch {
          // a replica that was just killed; the next submission goes to another
        }
        await new Promise((res) => setTimeout(res, periodMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

const TERMINAL = ['FINISHED', 'FAILED', 'LOST', 'KILLED', 'ERROR', 'DROPPED', 'GONE', 'GONE_BY_OPERATOR', 'UNREACHABLE'];

/**
 * The end of each task: its terminal view, or `UNKNOWN` when the leader does not know it (a submission accepted by
 * a leader that was killed before its execute framework launched it).
 */
export async function terminalStates(cluster: HaCluster, ids: string[], timeoutMs = 30_000): Promise<Map<string, any>> {
  const out = new Map<string, any>();
  for (const id of ids) {
    out.set(id, await waitFor(async () => {
      const r = await api('GET', `${cluster.replica(0)}/v1/tasks/${id}`, undefined, 5000).catch(() => undefined);
      if (r?.status === 404 && r.body?.code === 'ORR_ERR_TASK_NOT_FOUND') return { state: 'UNKNOWN' };
      return r?.status === 200 && TERMINAL.includes(r.body.state) ? r.body : undefined;
    }, { timeoutMs, intervalMs: 100, message: `task ${id} terminal` }));
  }
  return out;
}

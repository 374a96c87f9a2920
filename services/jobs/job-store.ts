/**
 * Everything the jobs service keeps in Redis: definitions, runs and their history, outcome counters,
 * occurrence cursors, dependency trigger states, framework ids, and the pub/sub channels between replicas.
 *
 * Every Redis WRITE of the jobs service is in this file (and run-store.ts, which shares its connections),
 * on purpose: each one is a transaction of `FencedTransactions`, so when the service runs in a leadership term
 * (`fence`), it writes only while that term's epoch is current (`{prefix}:epoch`, same hash tag) and a deposed
 * leader gets `FencedError` instead. The one exception: run ids are reserved with INCRBY while a transaction
 * reads (a fenced-out reservation only leaves a gap in the ids). Reads may move; writes stay here.
 *
 * Atomicity: writes that depend on what they read (occurrence claims, trigger transitions, definition
 * writes validated against the whole graph) run as optimistic transactions — WATCH, read, decide in
 * TypeScript with the pure modules, MULTI/EXEC, retry when a watched key moved. WATCH is per connection,
 * so each transaction takes a connection of a small pool for its duration (`optimistic`); concurrent
 * ones, here or in other processes, are kept apart by WATCH itself. Keys are per job so unrelated jobs
 * never conflict.
 */
import { Redis } from 'ioredis';
import { FencedTransactions, type LeaderFence } from '../../core/coordination/fenced-transactions.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { FrameworkIdStore } from '../../core/sdk/index.ts';
import { storedJobFrom, type StoredJob } from './job-model.ts';
import { jobKeys, type JobKeys } from './job-keys.ts';
import { RunStore } from './run-store.ts';
import { onParentsChanged, type ChildTriggerState } from './trigger-state.ts';

/** A child's trigger state as stored: the pure state plus the run its readiness created. */
export interface TriggerRecord extends ChildTriggerState {
  /** The run created when the child became ready; awaitingStart ends when it starts or is dropped. */
  pendingRunId?: string;
}

/**
 * Opens a named Redis connection (services/server passes core/coordination's connector, which knows the
 * URL forms: TLS, Sentinel, Cluster). `forBullmq`: `maxRetriesPerRequest: null`, as BullMQ Workers require.
 */
export type RedisConnect = (name: string, opts?: { forBullmq?: boolean }) => Redis;


/** One change of a definition write. */
export type JobChange =
  | {
      put: StoredJob;
      /** The job's fire times moved (created, schedule/zone changed, re-enabled): occurrences up to `now` are not owed. */
      resetCursorTo?: number;
      /** The job's parents changed: prune its trigger state to these. */
      parents?: string[];
    }
  | { delete: string };

/** Claims of a burst (200 triggers due at one instant) run this many at a time; each holds its connection two round trips. */
const TX_CONNECTIONS = 16;

export function parseJson<T>(raw: string | null | undefined): T | undefined {
  return raw === null || raw === undefined ? undefined : (JSON.parse(raw) as T);
}

export class JobStore {
  readonly keys: JobKeys;
  readonly runs: RunStore;
  private readonly redis: Redis;
  /** Connections for transactions; each runs one transaction at a time (WATCH is per connection). */
  private readonly txPool: Redis[];
  private readonly tx: FencedTransactions;
  private sub?: Redis;
  private readonly log: Logger;
  private readonly redisUrl: string;
  private readonly connectWith?: RedisConnect;
  private readonly connName: string;

  /**
   * `connect` opens the connections; without it, `redisUrl` must be a plain `redis://` URL. `fence`: the
   * leadership term this store writes for (absent: replicas of the jobs service on their own, unfenced).
   */
  constructor(opts: { redisUrl: string; connect?: RedisConnect; prefix: string; logger: Logger; name?: string; fence?: LeaderFence }) {
    this.keys = jobKeys(opts.prefix);
    this.log = opts.logger.child({ component: 'job-store' });
    this.redisUrl = opts.redisUrl;
    this.connectWith = opts.connect;
    this.connName = opts.name ?? 'jobs';
    this.redis = this.connect(opts.redisUrl, `${opts.name ?? 'jobs'}-cmd`);
    this.txPool = Array.from({ length: TX_CONNECTIONS }, (_, i) => this.connect(opts.redisUrl, `${opts.name ?? 'jobs'}-tx${i}`));
    this.tx = new FencedTransactions(this.txPool, opts.fence);
    this.runs = new RunStore(this.redis, this.keys, this.tx);
  }

  private connect(url: string, name: string): Redis {
    if (this.connectWith) return this.connectWith(name);
    const r = new Redis(url, { connectionName: name.replace(/[^A-Za-z0-9_.:-]/g, '-'), retryStrategy: (times) => Math.min(2000, 50 * 2 ** Math.min(6, times)) });
    let last = '';
    r.on('error', (e: Error) => {
      // ioredis repeats the same error on every reconnect attempt: log changes only.
      if (e.message === last) return;
      last = e.message;
      this.log.warn({ err: e, connection: name }, 'redis connection error');
    });
    r.on('ready', () => {
      last = '';
    });
    return r;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), ...this.txPool.map((c) => c.quit()), this.sub?.quit()]);
  }

  // ── definitions ─────────────────────────────────────────────────────────────────────────────────────────

  async loadJobs(): Promise<{ version: number; jobs: StoredJob[] }> {
    const res = await this.redis.multi().get(this.keys.defsVersion).hgetall(this.keys.defs).exec();
    if (!res) throw new Error('loading job definitions was aborted');
    const [[e1, version], [e2, all]] = res as [[Error | null, string | null], [Error | null, Record<string, string>]];
    if (e1 || e2) throw e1 ?? e2;
    const jobs: StoredJob[] = [];
    for (const [name, raw] of Object.entries(all)) {
      const j = storedJobFrom(JSON.parse(raw) as unknown);
      if (j) jobs.push(j);
      else this.log.warn({ job: name }, 'stored job definition unreadable; ignored');
    }
    return { version: Number(version ?? 0), jobs };
  }

  async getJob(name: string): Promise<StoredJob | undefined> {
    const raw = await this.redis.hget(this.keys.defs, name);
    return raw === null ? undefined : storedJobFrom(JSON.parse(raw) as unknown);
  }

  async defsVersion(): Promise<number> {
    return Number((await this.redis.get(this.keys.defsVersion)) ?? 0);
  }

  /**
   * Applies definition changes atomically if the definitions are still at `expectedVersion` (the
   * version the caller validated the whole graph against); 'stale' otherwise, and nothing changed.
   * Deleting a job removes its runs, counters, cursor and trigger state, but not its run-id sequence:
   * run ids never repeat for a name, so a job created again under it cannot meet what outlives the
   * deleted one's runs — retry markers (`once:<job>:retry-<run>`, kept for days), BullMQ retry ids
   * (`r@<run>@<job>`), task ids, owner-set members and kill requests all name a run by its id.
   */
  async writeJobs(expectedVersion: number, changes: JobChange[]): Promise<{ status: 'ok'; version: number } | { status: 'stale' }> {
    const k = this.keys;
    const puts = changes.filter((c): c is Extract<JobChange, { put: StoredJob }> => 'put' in c);
    const cursorKeys = puts.filter((c) => c.resetCursorTo !== undefined).map((c) => k.cursor(c.put.name));
    const triggerKeys = puts.filter((c) => c.parents !== undefined).map((c) => k.trigger(c.put.name));
    return this.tx.optimistic<{ status: 'ok'; version: number } | { status: 'stale' }>([k.defsVersion, ...cursorKeys, ...triggerKeys], async (c) => {
      const version = Number((await c.get(k.defsVersion)) ?? 0);
      if (version !== expectedVersion) return { abort: { status: 'stale' as const } };
      const cursors = cursorKeys.length > 0 ? await c.mget(...cursorKeys) : [];
      const triggers = triggerKeys.length > 0 ? await c.mget(...triggerKeys) : [];
      return {
        result: { status: 'ok' as const, version: version + 1 },
        writes: (m) => {
          let ci = 0;
          let ti = 0;
          for (const change of changes) {
            if ('delete' in change) {
              const j = change.delete;
              m.hdel(k.defs, j);
              m.del(k.cursor(j), k.runs(j), k.runIndex(j), k.active(j), k.counters(j), k.durations(j), k.trigger(j));
              continue;
            }
            const j = change.put.name;
            m.hset(k.defs, j, JSON.stringify(change.put));
            if (change.resetCursorTo !== undefined) {
              const current = Number(cursors[ci++] ?? -Infinity);
              // Never move a cursor back: an occurrence already handled must not be handled again.
              if (!(current >= change.resetCursorTo)) m.set(k.cursor(j), String(change.resetCursorTo));
            }
            if (change.parents !== undefined) {
              const before = parseJson<TriggerRecord>(triggers[ti++]);
              if (before) {
                const next: TriggerRecord = { ...before, ...onParentsChanged(new Map([[j, before]]), j, change.parents) };
                m.set(k.trigger(j), JSON.stringify(next));
              }
            }
          }
          m.incr(k.defsVersion);
        },
      };
    });
  }

  // ── cursors ─────────────────────────────────────────────────────────────────────────────────────────────

  /** The newest handled occurrence of each job (undefined when none yet). */
  async cursors(jobs: string[]): Promise<Map<string, number | undefined>> {
    const out = new Map<string, number | undefined>();
    for (let i = 0; i < jobs.length; i += 1000) {
      const chunk = jobs.slice(i, i + 1000);
      const raw = chunk.length > 0 ? await this.redis.mget(...chunk.map((j) => this.keys.cursor(j))) : [];
      chunk.forEach((j, n) => out.set(j, raw[n] === null ? undefined : Number(raw[n])));
    }
    return out;
  }

  // ── trigger states ──────────────────────────────────────────────────────────────────────────────────────

  async triggerStates(children: string[]): Promise<Map<string, TriggerRecord>> {
    const out = new Map<string, TriggerRecord>();
    for (let i = 0; i < children.length; i += 1000) {
      const chunk = children.slice(i, i + 1000);
      const raw = chunk.length > 0 ? await this.redis.mget(...chunk.map((c) => this.keys.trigger(c))) : [];
      chunk.forEach((c, n) => {
        const r = parseJson<TriggerRecord>(raw[n]);
        if (r) out.set(c, r);
      });
    }
    return out;
  }

  /** A run of `child` started: everything satisfied so far is consumed (Chronos resets its edge counters on TASK_RUNNING). */
  async childStarted(child: string): Promise<void> {
    await this.tx.write((m) => m.del(this.keys.trigger(child)));
  }

  /** The run created by `child`'s readiness will not start: readiness may be reported again; satisfied parents stay. */
  async childRunDropped(child: string, runId: string): Promise<void> {
    const key = this.keys.trigger(child);
    await this.tx.optimistic([key], async (c) => {
      const state = parseJson<TriggerRecord>(await c.get(key));
      if (!state || state.pendingRunId !== runId) return { abort: undefined };
      const next: TriggerRecord = { child, satisfied: state.satisfied, awaitingStart: false };
      return { result: undefined, writes: (m) => m.set(key, JSON.stringify(next)) };
    });
  }

  // ── framework ids, kill requests, change notices ────────────────────────────────────────────────────────

  frameworkIdStore(replica: string): FrameworkIdStore {
    const key = this.keys.frameworkId(replica);
    return {
      load: async () => (await this.redis.get(key)) ?? undefined,
      save: async (id) => {
        await this.tx.write((m) => m.set(key, id));
      },
    };
  }

  /** Asks the replica that owns a run to kill it (durable; the publish only wakes the owner). */
  async requestKill(owner: string, request: { job: string; runId: string; reason: string; detail: string }): Promise<void> {
    await this.tx.write((m) => m.sadd(this.keys.killRequests(owner), JSON.stringify(request)).publish(this.keys.control(owner), 'kill'));
  }

  /** Takes (reads and removes) the kill requests addressed to `replica`. */
  async takeKillRequests(replica: string): Promise<Array<{ job: string; runId: string; reason: string; detail: string }>> {
    const key = this.keys.killRequests(replica);
    const res = await this.tx.write((m) => m.smembers(key).del(key));
    const members = (res[0]?.[1] as string[] | undefined) ?? [];
    return members.map((m) => JSON.parse(m) as { job: string; runId: string; reason: string; detail: string });
  }

  /** Tells the other replicas which jobs' definitions or runs changed (they refresh their caches). */
  async publishChanges(from: string, changes: Array<[job: string, what: 'job' | 'run']>): Promise<void> {
    await this.redis.publish(this.keys.changes, JSON.stringify({ from, changes }));
  }

  /** Subscribes to channels on a dedicated connection (a subscribed connection can do nothing else). */
  async subscribe(channels: string[], onMessage: (channel: string, message: string) => void): Promise<void> {
    this.sub ??= this.connect(this.redisUrl, `${this.connName}-sub`);
    this.sub.on('message', onMessage);
    await this.sub.subscribe(...channels);
  }
}

/**
 * Runs in Redis: creation (with the occurrence claim and the concurrency policy decided atomically),
 * state changes, history paging and trimming, outcome counters, and the dependency transitions that
 * create child runs. Shares JobStore's connections and fenced transactions; see job-store.ts for why every write lives here.
 *
 * Per job: `runs:<job>` (hash id → JSON), `run-index:<job>` (zset of ids, the history), `active:<job>`
 * (hash id → state of runs not yet terminal: the concurrency policy reads it), `counters:<job>`,
 * `durations:<job>` (run times of the last DURATION_WINDOW succeeded runs; their percentiles go to `counters:<job>`),
 * `seq:<job>` (run ids; it outlives the job, so ids never repeat for a name), `cursor:<job>` (newest handled occurrence). Per replica: `owned:<replica>`.
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { ConcurrencyPolicy } from './job-model.ts';
import type { JobKeys } from './job-keys.ts';
import { runKey, type RunDraft, type RunRecord } from './run-model.ts';
import { DURATION_WINDOW, RunState, isTerminalRunState, percentiles, type JobCounters, type Percentiles } from './run-stats.ts';
import { onChildRunDropped, onParentSucceeded, type ChildTriggerState } from './trigger-state.ts';
import type { FencedTransactions } from '../../core/coordination/fenced-transactions.ts';
import type { TriggerRecord } from './job-store.ts';

export type CursorClaim =
  /** Claim one occurrence: only if the cursor is before it. */
  | { after: number }
  /** Claim a range: only if the cursor is still `expected` (null = never set); then set it to `set`. */
  | { expected: number | null; set: number };

export interface CreateRunsPlan {
  job: string;
  owner: string;
  cursor?: CursorClaim;
  /** A one-shot token (e.g. the retry of run 7): the creation happens at most once per token. */
  once?: string;
  policy: ConcurrencyPolicy;
  /** Under `forbid` with a run active: record the QUEUED drafts as SKIPPED, or create nothing ('refuse'). */
  onForbid: 'skip' | 'refuse';
  /** QUEUED drafts are to launch; MISSED/SKIPPED drafts are records. */
  drafts: RunDraft[];
}

export type CreateRunsResult =
  | { status: 'created'; runs: RunRecord[]; displaced: string[] }
  /** The cursor says the occurrence was handled already (another replica, or a redelivered trigger). */
  | { status: 'claimed'; cursor: number | null }
  | { status: 'refused'; active: string[] };

export interface ChildCandidate {
  name: string;
  parents: readonly string[];
  policy: ConcurrencyPolicy;
  disabled: boolean;
}

export interface ChildOutcome {
  child: string;
  run: RunRecord;
  displaced: string[];
}

const ONCE_TTL_SECONDS = 7 * 24 * 3600;
/** Fields of `counters:<job>` holding the duration percentiles (beside successCount, lastError, …). */
export const DURATION_FIELDS = { count: 'durationCount', p50: 'durationP50', p90: 'durationP90', p99: 'durationP99', max: 'durationMax' } as const;

const forbidReason = (active: string[]): string =>
  `skipped: run ${active.slice(0, 3).join(', ')}${active.length > 3 ? '…' : ''} still active (concurrencyPolicy forbid)`;

export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: JobKeys,
    private readonly tx: FencedTransactions,
  ) {}

  /** Writes new runs into a transaction: record, history, active set, owner set. */
  private writeNew(m: ChainableCommander, runs: RunRecord[]): void {
    const k = this.keys;
    for (const r of runs) {
      m.hset(k.runs(r.job), r.id, JSON.stringify(r));
      m.zadd(k.runIndex(r.job), Number(r.id), r.id);
      if (!isTerminalRunState(r.state)) {
        m.hset(k.active(r.job), r.id, r.state);
        m.sadd(k.owned(r.owner), runKey(r.job, r.id));
      }
    }
  }

  /** Reserves `n` run ids for `job` (outside the transaction: a retried transaction leaves a gap, never a duplicate). */
  private async reserveIds(c: Redis, job: string, n: number): Promise<string[]> {
    if (n === 0) return [];
    const last = await c.incrby(this.keys.seq(job), n);
    return Array.from({ length: n }, (_, i) => String(last - n + 1 + i));
  }

  /**
   * Creates runs atomically with their occurrence claim and the concurrency decision. The runs that are
   * returned QUEUED are the caller's to launch; under `replace`, `displaced` lists the runs that were
   * active and must be killed.
   */
  async createRuns(p: CreateRunsPlan): Promise<CreateRunsResult> {
    const k = this.keys;
    const onceKey = p.once === undefined ? undefined : k.once(p.job, p.once);
    return this.tx.optimistic<CreateRunsResult>([k.cursor(p.job), k.active(p.job), ...(onceKey ? [onceKey] : [])], async (c) => {
      // The ids are reserved in the same round trip as the reads; an abort below leaves a gap in the ids.
      const [cursorRaw, active, done, ids] = await Promise.all([c.get(k.cursor(p.job)), c.hgetall(k.active(p.job)), onceKey ? c.exists(onceKey) : 0, this.reserveIds(c, p.job, p.drafts.length)]);
      const cursor = cursorRaw === null ? null : Number(cursorRaw);
      if (done) return { abort: { status: 'claimed', cursor } };
      if (p.cursor && 'after' in p.cursor && cursor !== null && cursor >= p.cursor.after) return { abort: { status: 'claimed', cursor } };
      if (p.cursor && 'expected' in p.cursor && cursor !== p.cursor.expected) return { abort: { status: 'claimed', cursor } };
      const activeIds = Object.keys(active).sort((a, b) => Number(a) - Number(b));
      const queued = p.drafts.filter((d) => d.state === RunState.QUEUED).length;
      if (p.policy === ConcurrencyPolicy.FORBID && p.onForbid === 'refuse' && activeIds.length > 0 && queued > 0) {
        return { abort: { status: 'refused', active: activeIds } };
      }
      let busy = activeIds.length > 0;
      const runs: RunRecord[] = p.drafts.map((d, i) => {
        const run: RunRecord = { ...d, id: ids[i] };
        if (run.state === RunState.QUEUED && p.policy === ConcurrencyPolicy.FORBID && busy) {
          run.state = RunState.SKIPPED;
          run.reason = forbidReason(activeIds.length > 0 ? activeIds : ids.slice(0, i));
          run.finishedAt = run.queuedAt;
        }
        if (run.state === RunState.QUEUED) busy = true;
        return run;
      });
      const displaced = p.policy === ConcurrencyPolicy.REPLACE && queued > 0 ? activeIds : [];
      return {
        result: { status: 'created', runs, displaced },
        writes: (m) => {
          if (p.cursor) m.set(k.cursor(p.job), String('after' in p.cursor ? p.cursor.after : p.cursor.set));
          if (onceKey) m.set(onceKey, '1', 'EX', ONCE_TTL_SECONDS);
          this.writeNew(m, runs);
        },
      };
    });
  }

  /**
   * `parent` succeeded: applies Chronos' dependency rule (trigger-state.ts) to its children atomically and
   * creates the run of every child that became ready, in the same transaction — so a crash never leaves a
   * child marked ready without its run. A ready child that is disabled, or busy under `forbid`, gets a
   * SKIPPED run and keeps what its parents satisfied.
   */
  async applyParentSuccess(parent: string, children: ChildCandidate[], draft: (child: string) => RunDraft): Promise<ChildOutcome[]> {
    if (children.length === 0) return [];
    const k = this.keys;
    const triggerKeys = children.map((c) => k.trigger(c.name));
    return this.tx.optimistic<ChildOutcome[]>(triggerKeys, async (c) => {
      const raw = await c.mget(...triggerKeys);
      const records = new Map<string, TriggerRecord>();
      children.forEach((ch, i) => {
        if (raw[i] !== null) records.set(ch.name, JSON.parse(raw[i]!) as TriggerRecord);
      });
      const { updates, ready } = onParentSucceeded(records, parent, children);
      const byName = new Map(children.map((ch) => [ch.name, ch]));
      const next = new Map<string, TriggerRecord>(updates.map((u) => [u.child, { ...u }]));
      if (ready.length > 0) await c.watch(...ready.map((r) => k.active(r)));
      const actives = await Promise.all(ready.map((r) => c.hkeys(k.active(r))));
      const ids = await Promise.all(ready.map((r) => this.reserveIds(c, r, 1)));
      const outcomes: ChildOutcome[] = [];
      for (let i = 0; i < ready.length; i++) {
        const name = ready[i];
        const ch = byName.get(name)!;
        const [id] = ids[i];
        const run: RunRecord = { ...draft(name), id };
        const active = actives[i].sort((a, b) => Number(a) - Number(b));
        const state = next.get(name)!;
        if (ch.disabled || (ch.policy === ConcurrencyPolicy.FORBID && active.length > 0)) {
          run.state = RunState.SKIPPED;
          run.reason = ch.disabled ? 'skipped: the job is disabled' : forbidReason(active);
          run.finishedAt = run.queuedAt;
          next.set(name, { ...state, ...onChildRunDropped(new Map([[name, state as ChildTriggerState]]), name) });
          outcomes.push({ child: name, run, displaced: [] });
        } else {
          next.set(name, { ...state, pendingRunId: id });
          outcomes.push({ child: name, run, displaced: ch.policy === ConcurrencyPolicy.REPLACE ? active : [] });
        }
      }
      return {
        result: outcomes,
        writes: (m) => {
          for (const [child, rec] of next) m.set(k.trigger(child), JSON.stringify(rec));
          this.writeNew(m, outcomes.map((o) => o.run));
        },
      };
    });
  }

  /**
   * Saves a run's new state. Terminal runs leave the active set and the owner's set; `outcome` updates the
   * job's counters in the same transaction. A success's run time joins the job's duration window, and the
   * window's percentiles are written beside the counters right after (not atomically: should two replicas
   * finish runs of one job at the same moment, the percentiles may miss one of them until the job's next
   * success; `GET /v1/jobs/{name}` computes them from the window itself). Returns the size of the history
   * after the write, and the new percentiles when they changed.
   */
  async saveRun(run: RunRecord, outcome?: 'success' | 'error'): Promise<{ size: number; duration?: Percentiles }> {
    const k = this.keys;
    const at = String(run.finishedAt ?? 0);
    const timed = outcome === 'success' && run.startedAt !== undefined && run.finishedAt !== undefined;
    const res = await this.tx.write((m) => {
      m.hset(k.runs(run.job), run.id, JSON.stringify(run));
      if (isTerminalRunState(run.state)) m.hdel(k.active(run.job), run.id).srem(k.owned(run.owner), runKey(run.job, run.id));
      else m.hset(k.active(run.job), run.id, run.state).sadd(k.owned(run.owner), runKey(run.job, run.id));
      if (outcome === 'success') m.hincrby(k.counters(run.job), 'successCount', 1).hset(k.counters(run.job), 'errorsSinceLastSuccess', 0, 'lastSuccess', at);
      if (outcome === 'error') m.hincrby(k.counters(run.job), 'errorCount', 1).hincrby(k.counters(run.job), 'errorsSinceLastSuccess', 1).hset(k.counters(run.job), 'lastError', at);
      if (timed) m.lpush(k.durations(run.job), String(run.finishedAt! - run.startedAt!)).ltrim(k.durations(run.job), 0, DURATION_WINDOW - 1).lrange(k.durations(run.job), 0, DURATION_WINDOW - 1);
      m.zcard(k.runIndex(run.job));
    });
    const size = Number(res[res.length - 1][1]);
    if (!timed) return { size };
    const duration = percentiles((res[res.length - 2][1] as string[]).map(Number))!;
    await this.tx.write((m) => m.hset(k.counters(run.job), DURATION_FIELDS.count, duration.count, DURATION_FIELDS.p50, duration.p50, DURATION_FIELDS.p90, duration.p90, DURATION_FIELDS.p99, duration.p99, DURATION_FIELDS.max, duration.max));
    return { size, duration };
  }

  async getRun(job: string, id: string): Promise<RunRecord | undefined> {
    const raw = await this.redis.hget(this.keys.runs(job), id);
    return raw === null ? undefined : (JSON.parse(raw) as RunRecord);
  }

  async getRuns(job: string, ids: string[]): Promise<RunRecord[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.keys.runs(job), ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as RunRecord);
  }

  /** History newest first, optionally only runs in `states`. */
  async listRuns(job: string, offset: number, limit: number, states?: readonly RunState[]): Promise<{ total: number; runs: RunRecord[] }> {
    const k = this.keys;
    if (!states) {
      const [total, ids] = await Promise.all([this.redis.zcard(k.runIndex(job)), this.redis.zrevrange(k.runIndex(job), offset, offset + limit - 1)]);
      return { total, runs: await this.getRuns(job, ids) };
    }
    const all = (await this.allRuns(job)).filter((r) => states.includes(r.state)).sort((a, b) => Number(b.id) - Number(a.id));
    return { total: all.length, runs: all.slice(offset, offset + limit) };
  }

  async allRuns(job: string): Promise<RunRecord[]> {
    const raw = await this.redis.hvals(this.keys.runs(job));
    return raw.map((r) => JSON.parse(r) as RunRecord);
  }

  /** Runs of `job` that are not terminal: id → state. */
  async activeRuns(job: string): Promise<Record<string, RunState>> {
    return (await this.redis.hgetall(this.keys.active(job))) as Record<string, RunState>;
  }

  /** Active runs of many jobs (for caches): job → (id → state). */
  async activeOf(jobs: string[]): Promise<Map<string, Record<string, RunState>>> {
    const out = new Map<string, Record<string, RunState>>();
    for (let i = 0; i < jobs.length; i += 1000) {
      const chunk = jobs.slice(i, i + 1000);
      const p = this.redis.pipeline();
      for (const j of chunk) p.hgetall(this.keys.active(j));
      const res = (await p.exec()) ?? [];
      chunk.forEach((j, n) => out.set(j, (res[n]?.[1] ?? {}) as Record<string, RunState>));
    }
    return out;
  }

  /** The active runs a replica owns, for recovery after its restart. */
  async ownedActiveRuns(owner: string): Promise<RunRecord[]> {
    const members = await this.redis.smembers(this.keys.owned(owner));
    const out: RunRecord[] = [];
    const stale: string[] = [];
    for (const m of members) {
      const slash = m.lastIndexOf('/');
      const run = await this.getRun(m.slice(0, slash), m.slice(slash + 1));
      if (run && !isTerminalRunState(run.state) && run.owner === owner) out.push(run);
      else stale.push(m);
    }
    // Members left behind by deleted jobs or runs finished elsewhere.
    if (stale.length > 0) await this.tx.write((m) => m.srem(this.keys.owned(owner), ...stale));
    return out;
  }

  async counters(jobs: string[]): Promise<Map<string, JobCounters>> {
    const out = new Map<string, JobCounters>();
    for (let i = 0; i < jobs.length; i += 1000) {
      const chunk = jobs.slice(i, i + 1000);
      const p = this.redis.pipeline();
      for (const j of chunk) p.hgetall(this.keys.counters(j));
      const res = (await p.exec()) ?? [];
      chunk.forEach((j, n) => {
        const h = (res[n]?.[1] ?? {}) as Record<string, string>;
        const c: JobCounters = { successCount: Number(h.successCount ?? 0), errorCount: Number(h.errorCount ?? 0), errorsSinceLastSuccess: Number(h.errorsSinceLastSuccess ?? 0) };
        if (h.lastSuccess !== undefined) c.lastSuccess = Number(h.lastSuccess);
        if (h.lastError !== undefined) c.lastError = Number(h.lastError);
        if (h[DURATION_FIELDS.count] !== undefined) {
          c.duration = { count: Number(h[DURATION_FIELDS.count]), p50: Number(h[DURATION_FIELDS.p50]), p90: Number(h[DURATION_FIELDS.p90]), p99: Number(h[DURATION_FIELDS.p99]), max: Number(h[DURATION_FIELDS.max]) };
        }
        out.set(j, c);
      });
    }
    return out;
  }

  /** Run times (ms) of the last succeeded runs of each job, newest first; one round trip per 1,000 jobs. */
  async durations(jobs: string[]): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    for (let i = 0; i < jobs.length; i += 1000) {
      const chunk = jobs.slice(i, i + 1000);
      const p = this.redis.pipeline();
      for (const j of chunk) p.lrange(this.keys.durations(j), 0, DURATION_WINDOW - 1);
      const res = (await p.exec()) ?? [];
      chunk.forEach((j, n) => {
        const [e, raw] = res[n] ?? [null, []];
        if (e) throw e;
        out.set(j, (raw as string[]).map(Number));
      });
    }
    return out;
  }

  /** Drops the oldest terminal runs beyond `limit` (active runs are never dropped). */
  async trimHistory(job: string, limit: number): Promise<void> {
    const k = this.keys;
    const total = await this.redis.zcard(k.runIndex(job));
    if (total <= limit) return;
    const [oldest, active] = await Promise.all([this.redis.zrange(k.runIndex(job), '0', String(total - limit - 1)), this.redis.hkeys(k.active(job))]);
    const keep = new Set(active);
    const drop = oldest.filter((id) => !keep.has(id));
    if (drop.length === 0) return;
    await this.tx.write((m) => m.zrem(k.runIndex(job), ...drop).hdel(k.runs(job), ...drop));
  }
}


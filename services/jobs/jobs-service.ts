/**
 * The jobs service (Chronos-like): the facade the routes use, and the composition of its parts.
 *
 *   routes ──► JobsService ──► JobCatalogCache (reads) ──────────────► JobStore (Redis; every write)
 *                   │  writes: validate (job-model, dag) ──► store.writeJobs (WATCH defs-version)
 *                   ├─► TriggerHandler ◄── TriggerQueue (BullMQ worker)      occurrences, catch-up, retries
 *                   └─► RunSupervisor ◄─► JobsFramework (core/sdk)          launch, updates, kills, children
 *
 * Start order: load the catalog, take back owned runs, subscribe the framework (and reconcile), catch up
 * on missed occurrences and schedule every next trigger, then start the BullMQ worker. Several replicas
 * may run against one Redis (each with its own `replicaId`): occurrences still run once each.
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { err, ok, type Result } from '../../core/errors/result.ts';
import type { Transport } from '../../core/sdk/index.ts';
import { validateGraph, edgesOf, toDot } from './dag.ts';
import { JobCatalogCache } from './job-catalog.ts';
import { scheduleChanged, scheduleOf, type JobFieldError, type JobSpec, type StoredJob } from './job-model.ts';
import { JobStore, type JobChange, type RedisConnect } from './job-store.ts';
import { jobView, schedulePreview, withHistoryStats, type JobView, type SchedulePreview } from './job-views.ts';
import { JobsFramework } from './jobs-framework.ts';
import { KillReason, runView, type RunView } from './run-model.ts';
import { percentiles, type JobStatus, type RunState } from './run-stats.ts';
import { RunSupervisor, type JobsObserver } from './run-supervisor.ts';
import { nextFireTime } from './schedule.ts';
import { TriggerHandler } from './trigger-handler.ts';
import { TriggerQueue } from './trigger-queue.ts';
import type { LeaderFence } from '../../core/coordination/fenced-transactions.ts';

export interface JobsTuning {
  /** Triggers this replica handles at once. */
  workerConcurrency: number;
  /**
   * Unhandled occurrences older than this count as missed (nobody ran) and go to the missed-run policy;
   * younger ones are just late (a busy or briefly stalled replica) and go through the lateness limit.
   */
  catchUpGraceMs: number;
  /** How often to look for jobs whose trigger chain broke (lost trigger) and catch them up. */
  sweepIntervalMs: number;
}

export interface JobsServiceDeps {
  transport: Transport;
  redisUrl: string;
  /** Opens Redis connections (any URL form); without it `redisUrl` must be a plain redis:// URL. */
  redis?: RedisConnect;
  /** The cluster key prefix; every key lives under the hash tag `{prefix}`. */
  prefix: string;
  /** The leadership term the service runs in: its Redis writes apply only while the term's epoch is current. */
  fence?: LeaderFence;
  clock: Clock;
  logger: Logger;
  events: { publish(type: string, data: Record<string, unknown>): void };
  /** Names this replica's framework and its runs; replicas against one Redis need distinct ids. */
  replicaId?: string;
  tuning?: Partial<JobsTuning>;
  /** Metrics hooks (services/server/metrics/jobs-metrics.ts). */
  observer?: JobsObserver;
}

/** Why a job with children is not deleted: `job b depends on a; …` or `jobs b, c depend on a; …`. */
export function hasChildrenMessage(name: string, children: readonly string[]): string {
  const one = children.length === 1;
  return `${one ? 'job' : 'jobs'} ${children.join(', ')} ${one ? 'depends' : 'depend'} on ${name}; delete ${one ? 'it' : 'them'} first, or use force=true to detach ${one ? 'it' : 'them'}`;
}

export type JobsError =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'RUN_NOT_FOUND'; message: string }
  | { code: 'INVALID'; message: string; fields: JobFieldError[] }
  | { code: 'UNKNOWN_PARENT'; message: string; unknown: string[] }
  | { code: 'CYCLE'; message: string; cycle: string[] }
  | { code: 'HAS_CHILDREN'; message: string; children: string[] }
  | { code: 'VERSION_CONFLICT'; message: string }
  | { code: 'RUN_CONFLICT'; message: string; active: string[] }
  | { code: 'UNAVAILABLE'; message: string };

export interface JobListQuery {
  name?: string;
  owner?: string;
  status?: JobStatus;
  limit: number;
  offset: number;
}

export interface GraphView {
  nodes: Array<{ name: string; status: JobStatus; schedule?: string; parents: string[]; disabled: boolean }>;
  edges: Array<{ from: string; to: string; satisfied: boolean }>;
}

const DEFAULT_TUNING: JobsTuning = { workerConcurrency: 50, catchUpGraceMs: 10_000, sweepIntervalMs: 60_000 };
const WRITE_ATTEMPTS = 5;

export class JobsService {
  private readonly store: JobStore;
  private readonly catalog: JobCatalogCache;
  private readonly queue: TriggerQueue;
  private readonly framework: JobsFramework;
  private readonly supervisor: RunSupervisor;
  private readonly triggers: TriggerHandler;
  private readonly replicaId: string;
  private readonly log: Logger;
  private readonly tuning: JobsTuning;
  private sweepTimer?: TimerHandle;
  private started = false;
  private stopped = false;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly nextRuns = new WeakMap<StoredJob, number>();

  constructor(private readonly deps: JobsServiceDeps) {
    this.replicaId = deps.replicaId ?? 'main';
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
    this.log = deps.logger.child({ component: 'jobs', replica: this.replicaId });
    this.store = new JobStore({ redisUrl: deps.redisUrl, connect: deps.redis, prefix: deps.prefix, logger: deps.logger, name: `jobs-${this.replicaId}`, fence: deps.fence });
    // Every replica that learns of a definition schedules its next trigger too (one BullMQ job per id):
    // the chain starts even if the writer stops right after writing.
    this.catalog = new JobCatalogCache(this.store, deps.clock, deps.logger, this.replicaId, (job) => {
      if (this.started) void this.rescheduleAfterWrite(job).catch((e: unknown) => this.log.warn({ err: e, job: job.name }, 'next trigger not scheduled'));
    });
    this.queue = new TriggerQueue({
      redisUrl: deps.redisUrl,
      connect: deps.redis,
      bullPrefix: this.store.keys.bullPrefix,
      logger: deps.logger,
      clock: deps.clock,
      // Two sweeps: every trigger is armed by the sweep before the one in which it falls due.
      wakeHorizonMs: 2 * this.tuning.sweepIntervalMs,
      concurrency: this.tuning.workerConcurrency,
      handle: (m) => this.triggers.handle(m),
    });
    this.supervisor = new RunSupervisor({
      store: this.store,
      queue: this.queue,
      framework: () => this.framework,
      catalog: this.catalog,
      clock: deps.clock,
      logger: deps.logger,
      events: deps.events,
      replicaId: this.replicaId,
      ...(deps.observer && { observer: deps.observer }),
      onRunChanged: (job, run) => {
        this.catalog.runChanged(run);
        this.catalog.announce(job, 'run');
      },
      onDurationsWritten: (job, duration) => {
        this.catalog.durationsWritten(job, duration);
        // The run's own notice may have gone out before the percentiles were written: tell the others again.
        this.catalog.announce(job, 'run');
      },
    });
    this.framework = new JobsFramework({
      transport: () => deps.transport,
      idStore: this.store.frameworkIdStore(this.replicaId),
      clock: deps.clock,
      logger: deps.logger,
      hooks: {
        onLaunched: (launches, offer) => this.supervisor.onLaunched(launches, offer),
        onStatus: (status) => this.supervisor.onStatus(status),
        onSubscribed: () => this.supervisor.reconcile(),
      },
    });
    this.triggers = new TriggerHandler({ store: this.store, queue: this.queue, supervisor: this.supervisor, catalog: this.catalog, clock: deps.clock, logger: deps.logger, replicaId: this.replicaId, graceMs: this.tuning.catchUpGraceMs });
  }

  /** The service's clock reading (for parsing schedules relative to now). */
  now(): number {
    return this.deps.clock.now();
  }

  get frameworkId(): string | undefined {
    return this.framework.frameworkId;
  }

  /** Read-only figures for metrics: jobs defined, this replica's active runs by state. */
  stats(): { jobs: number; activeRuns: Map<RunState, number> } {
    return { jobs: this.catalog.size, activeRuns: this.supervisor.liveCounts() };
  }

  /** Triggers in the BullMQ queue by state; undefined once stopped. */
  async triggerQueueCounts(): Promise<Record<string, number> | undefined> {
    return this.stopped ? undefined : this.queue.counts();
  }

  /** Starts the service; on failure everything it opened is closed again and the error is thrown. */
  async start(): Promise<void> {
    try {
      await this.startParts();
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  private async startParts(): Promise<void> {
    await this.catalog.loadAll();
    await this.store.subscribe([this.store.keys.changes, this.store.keys.control(this.replicaId)], (channel, message) => this.onMessage(channel, message));
    const recovered = await this.supervisor.recover();
    await this.framework.start();
    await this.supervisor.processKillRequests();
    await this.triggers.sweep([...this.catalog.all()], true);
    this.queue.start();
    this.sweepTimer = this.deps.clock.setInterval(() => void this.triggers.sweep([...this.catalog.all()], false).catch((e: unknown) => this.log.warn({ err: e }, 'trigger sweep failed')), this.tuning.sweepIntervalMs);
    this.started = true;
    this.log.info({ jobs: this.catalog.size, recoveredRuns: recovered, frameworkId: this.framework.frameworkId }, 'jobs service started');
  }

  /** Stops triggering and launching; running tasks keep running and are taken back at the next start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.started = false;
    this.sweepTimer?.cancel();
    await this.queue.close();
    this.framework.stop();
    this.supervisor.stop();
    await this.supervisor.flush();
    this.catalog.stop();
    await this.store.close();
  }

  private onMessage(channel: string, message: string): void {
    if (channel === this.store.keys.changes) {
      this.catalog.receiveNotices(message);
      return;
    }
    void this.supervisor.processKillRequests().catch((e: unknown) => this.log.warn({ err: e }, 'kill requests not processed'));
  }

  private unavailable(): JobsError | undefined {
    return this.started ? undefined : { code: 'UNAVAILABLE', message: 'the jobs service is not running' };
  }

  // ── definitions ─────────────────────────────────────────────────────────────────────────────────────────

  /** The next fire time, memoised per definition until it passes (lists of thousands of jobs ask often). */
  private nextRunAt(job: StoredJob, now: number): number | undefined {
    if (job.disabled || job.schedule === undefined) return undefined;
    const cached = this.nextRuns.get(job);
    if (cached !== undefined && cached > now) return cached;
    const next = this.triggers.upcoming(job, now) ?? nextFireTime(scheduleOf(job, now)!, now);
    if (next !== undefined) this.nextRuns.set(job, next);
    return next;
  }

  private viewOf(job: StoredJob, now = this.deps.clock.now()): JobView {
    const next = this.nextRunAt(job, now);
    return jobView(job, {
      status: this.catalog.statusOf(job),
      counters: this.catalog.countersOf(job.name),
      activity: this.catalog.activity(job.name),
      children: this.catalog.childrenOf(job.name).map((c) => c.name).sort(),
      ...(next !== undefined && { nextRunAt: next }),
    });
  }

  /** The definition as stored, for the Chronos adapter. */
  storedJob(name: string): StoredJob | undefined {
    return this.catalog.get(name);
  }

  countersOf(name: string): ReturnType<JobCatalogCache['countersOf']> {
    return this.catalog.countersOf(name);
  }

  /**
   * Writes definitions validated against the whole graph, retrying on a concurrent write by another
   * replica. Writes of this replica go one at a time (each validates against the result of the last).
   */
  private write(build: () => Result<JobChange[], JobsError>): Promise<Result<JobChange[], JobsError>> {
    const next = this.writes.then(() => this.writeNow(build));
    this.writes = next.catch(() => undefined);
    return next;
  }

  private async writeNow(build: () => Result<JobChange[], JobsError>): Promise<Result<JobChange[], JobsError>> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const changes = build();
      if (!changes.ok) return changes;
      const res = await this.store.writeJobs(this.catalog.version, changes.value);
      if (res.status === 'ok') {
        for (const c of changes.value) if ('put' in c) this.catalog.put(c.put);
        this.catalog.version = res.version;
        for (const c of changes.value) {
          const name = 'put' in c ? c.put.name : c.delete;
          if ('delete' in c) this.catalog.remove(name);
          this.catalog.announce(name, 'job');
        }
        return changes;
      }
      await this.catalog.loadAll();
    }
    return err({ code: 'UNAVAILABLE', message: 'job definitions kept changing concurrently; retry' });
  }

  /** Creates or replaces a job. `version`, when given, must be the job's current revision (0 = must not exist). */
  async putJob(spec: JobSpec, opts: { version?: number; chronosExtras?: Record<string, unknown> } = {}): Promise<Result<{ job: JobView; created: boolean }, JobsError>> {
    const down = this.unavailable();
    if (down) return err(down);
    const now = this.deps.clock.now();
    let created = false;
    const res = await this.write(() => {
      const before = this.catalog.get(spec.name);
      created = before === undefined;
      const current = before?.revision ?? 0;
      if (opts.version !== undefined && current !== opts.version) {
        return err({ code: 'VERSION_CONFLICT', message: `job ${spec.name} is at version ${current}, not ${opts.version}` });
      }
      const graph = validateGraph([...[...this.catalog.all()].filter((j) => j.name !== spec.name), spec]);
      if (!graph.ok) {
        const g = graph.error;
        if (g.cycle) return err({ code: 'CYCLE', message: g.message, cycle: g.cycle });
        return err({ code: 'UNKNOWN_PARENT', message: g.message, unknown: g.unknown ?? [] });
      }
      const stored: StoredJob = { ...spec, createdAt: before?.createdAt ?? now, updatedAt: now, generation: this.catalog.version + 1, revision: current + 1 };
      const extras = opts.chronosExtras ?? before?.chronosExtras;
      if (extras && Object.keys(extras).length > 0) stored.chronosExtras = extras;
      const change: JobChange = { put: stored };
      if (scheduleChanged(before, spec)) change.resetCursorTo = now - 1;
      if (before && before.parents.join('\n') !== spec.parents.join('\n')) change.parents = spec.parents;
      return ok([change]);
    });
    if (!res.ok) return res;
    const stored = (res.value[0] as { put: StoredJob }).put;
    await this.rescheduleAfterWrite(stored);
    this.deps.events.publish(created ? 'job.created' : 'job.updated', { job: stored.name, version: stored.revision });
    return ok({ job: this.viewOf(stored), created });
  }

  /** Every write makes a new generation, which retires the pending trigger: schedule the next one again. */
  private async rescheduleAfterWrite(job: StoredJob): Promise<void> {
    if (job.disabled || job.schedule === undefined) return;
    const cursor = (await this.store.cursors([job.name])).get(job.name) ?? this.deps.clock.now() - 1;
    await this.triggers.scheduleNext([{ job, after: cursor }]);
  }

  getJob(name: string): Result<JobView, JobsError> {
    const job = this.catalog.get(name);
    if (!job) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    return ok(this.viewOf(job));
  }

  /** One job with the history-based statistics (duration and start-delay percentiles). */
  async getJobDetail(name: string): Promise<Result<JobView, JobsError>> {
    const job = this.catalog.get(name);
    if (!job) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const [runs, durations] = await Promise.all([this.store.runs.allRuns(name), this.store.runs.durations([name])]);
    return ok(withHistoryStats(this.viewOf(job), runs, percentiles(durations.get(name) ?? []), job.disabled, this.catalog.countersOf(name)));
  }

  /** Every job name, sorted (from the catalog). */
  jobNames(): readonly string[] {
    return this.catalog.names();
  }

  /**
   * Jobs by name, filtered (name: case-insensitive substring; owner: substring; status: exact); all from the
   * catalog (duration percentiles included), no Redis round trip.
   */
  listJobs(q: JobListQuery): { total: number; jobs: JobView[] } {
    const name = q.name?.toLowerCase();
    const owner = q.owner?.toLowerCase();
    const matched: StoredJob[] = [];
    for (const n of this.catalog.names()) {
      const job = this.catalog.get(n)!;
      if (name !== undefined && !job.name.toLowerCase().includes(name)) continue;
      if (owner !== undefined && !job.owner.toLowerCase().includes(owner)) continue;
      if (q.status !== undefined && this.catalog.statusOf(job) !== q.status) continue;
      matched.push(job);
    }
    const now = this.deps.clock.now();
    return { total: matched.length, jobs: matched.slice(q.offset, q.offset + q.limit).map((j) => this.viewOf(j, now)) };
  }

  /** Deletes a job, its runs and history (its active runs are killed). Children refuse it unless `force`, which detaches them. */
  async deleteJob(name: string, force: boolean): Promise<Result<{ detached: string[]; killed: string[] }, JobsError>> {
    const down = this.unavailable();
    if (down) return err(down);
    if (!this.catalog.get(name)) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const children = this.catalog.childrenOf(name).map((c) => c.name).sort();
    if (children.length > 0 && !force) {
      return err({ code: 'HAS_CHILDREN', message: hasChildrenMessage(name, children), children });
    }
    const killed = await this.supervisor.killJob(name, KillReason.DELETED, 'job deleted');
    const now = this.deps.clock.now();
    const res = await this.write(() => {
      const changes: JobChange[] = [{ delete: name }];
      for (const child of this.catalog.childrenOf(name)) {
        const parents = child.parents.filter((p) => p !== name);
        changes.push({ put: { ...child, parents, updatedAt: now, generation: this.catalog.version + 1, revision: child.revision + 1 }, parents });
      }
      return ok(changes);
    });
    if (!res.ok) return res;
    this.supervisor.forgetJob(name);
    this.deps.events.publish('job.deleted', { job: name, detached: children });
    for (const c of children) this.deps.events.publish('job.updated', { job: c, detachedFrom: name });
    return ok({ detached: children, killed });
  }

  async setDisabled(name: string, disabled: boolean): Promise<Result<{ job: JobView; created: boolean }, JobsError>> {
    const job = this.catalog.get(name);
    if (!job) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const { createdAt: _c, updatedAt: _u, generation: _g, revision: _r, chronosExtras: _x, ...spec } = job;
    return this.putJob({ ...spec, disabled });
  }

  // ── runs ────────────────────────────────────────────────────────────────────────────────────────────────

  async startRun(name: string, args?: string[]): Promise<Result<RunView, JobsError>> {
    const down = this.unavailable();
    if (down) return err(down);
    const job = this.catalog.get(name);
    if (!job) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const r = await this.triggers.startManual(job, args);
    if (!r.ok) return err({ code: 'RUN_CONFLICT', message: `run ${r.error.active.join(', ')} of ${name} is still active and its concurrencyPolicy is forbid`, active: r.error.active });
    return ok(runView(r.value, this.supervisor.pendingReason(r.value)));
  }

  async killJob(name: string): Promise<Result<{ killed: string[] }, JobsError>> {
    const down = this.unavailable();
    if (down) return err(down);
    if (!this.catalog.get(name)) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    return ok({ killed: await this.supervisor.killJob(name, KillReason.USER, 'killed on request') });
  }

  async listRuns(name: string, q: { limit: number; offset: number; state?: RunState }): Promise<Result<{ total: number; runs: RunView[] }, JobsError>> {
    if (!this.catalog.get(name)) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const { total, runs } = await this.store.runs.listRuns(name, q.offset, q.limit, q.state ? [q.state] : undefined);
    return ok({ total, runs: runs.map((r) => runView(this.supervisor.liveRun(r.job, r.id) ?? r, this.supervisor.pendingReason(r))) });
  }

  async getRun(name: string, id: string): Promise<Result<RunView, JobsError>> {
    if (!this.catalog.get(name)) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const run = this.supervisor.liveRun(name, id) ?? (await this.store.runs.getRun(name, id));
    if (!run) return err({ code: 'RUN_NOT_FOUND', message: `job ${name} has no run ${id} (never, or trimmed from its history)` });
    return ok(runView(run, this.supervisor.pendingReason(run)));
  }

  schedulePreview(name: string, count: number): Result<SchedulePreview, JobsError> {
    const job = this.catalog.get(name);
    if (!job) return err({ code: 'NOT_FOUND', message: `job ${name} does not exist` });
    const now = this.deps.clock.now();
    return ok(schedulePreview(job, scheduleOf(job, now), now, count));
  }

  async graph(): Promise<GraphView> {
    const jobs = this.catalog.names().map((n) => this.catalog.get(n)!);
    const dependent = jobs.filter((j) => j.parents.length > 0).map((j) => j.name);
    const triggers = await this.store.triggerStates(dependent);
    const nodes = jobs.map((j) => ({ name: j.name, status: this.catalog.statusOf(j), parents: j.parents, disabled: j.disabled, ...(j.schedule !== undefined && { schedule: j.schedule }) }));
    const edges = edgesOf(jobs).map(([from, to]) => ({ from, to, satisfied: triggers.get(to)?.satisfied.includes(from) ?? false }));
    return { nodes, edges };
  }

  graphDot(): string {
    const jobs = this.catalog.names().map((n) => this.catalog.get(n)!);
    return toDot(jobs.map((j) => ({ name: j.name, status: this.catalog.statusOf(j) })), edgesOf(jobs));
  }
}

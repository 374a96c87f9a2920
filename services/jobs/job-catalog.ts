/**
 * The jobs service's in-memory view of every job: definitions, outcome counters, active runs, and the
 * parent → children index. Reads (lists of 10,000 jobs, status filters, the graph) are served from it;
 * Redis stays the truth. Replicas keep their catalogs current with change notices on a pub/sub channel:
 * a notice names a job, the receiver re-reads that job (debounced), so a lost notice costs staleness
 * until the next notice or restart, never a wrong write (writes are validated under WATCH in the store).
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { StoredJob } from './job-model.ts';
import type { JobStore } from './job-store.ts';
import type { RunRecord } from './run-model.ts';
import { emptyCounters, foldOutcome, isTerminalRunState, jobStatus, type JobCounters, type JobStatus, type Percentiles, type RunState } from './run-stats.ts';
import type { JobCatalog } from './run-supervisor.ts';

const NOTICE_BATCH_MS = 50;

export class JobCatalogCache implements JobCatalog {
  private readonly jobs = new Map<string, StoredJob>();
  private readonly counters = new Map<string, JobCounters>();
  private readonly active = new Map<string, Map<string, RunState>>();
  private readonly children = new Map<string, Set<string>>();
  private sorted?: string[];
  private pending = new Map<string, Set<'job' | 'run'>>();
  private flushScheduled = false;
  private readonly outgoing = new Set<string>();
  private announceTimer?: TimerHandle;
  private flushTimer?: TimerHandle;
  private readonly log: Logger;
  version = 0;

  constructor(
    private readonly store: JobStore,
    private readonly clock: Clock,
    logger: Logger,
    private readonly replicaId: string,
    /** Another replica changed this definition (called after the catalog took it). */
    private readonly onRemoteJob: (job: StoredJob) => void = () => undefined,
  ) {
    this.log = logger.child({ component: 'job-catalog' });
  }

  /** (Re)loads everything from Redis. */
  async loadAll(): Promise<void> {
    const { version, jobs } = await this.store.loadJobs();
    const names = jobs.map((j) => j.name);
    const [counters, active] = await Promise.all([this.store.runs.counters(names), this.store.runs.activeOf(names)]);
    this.jobs.clear();
    this.children.clear();
    this.counters.clear();
    this.active.clear();
    for (const j of jobs) this.put(j);
    for (const [n, c] of counters) this.counters.set(n, c);
    for (const [n, a] of active) this.active.set(n, new Map(Object.entries(a)));
    this.version = version;
  }

  get(name: string): StoredJob | undefined {
    return this.jobs.get(name);
  }

  async fresh(name: string, generation?: number): Promise<StoredJob | undefined> {
    const cached = this.jobs.get(name);
    if (cached && (generation === undefined || cached.generation >= generation)) return cached;
    const stored = await this.store.getJob(name);
    if (stored && (!cached || stored.generation > cached.generation)) this.put(stored);
    return stored;
  }

  childrenOf(name: string): StoredJob[] {
    return [...(this.children.get(name) ?? [])].map((c) => this.jobs.get(c)).filter((j): j is StoredJob => j !== undefined);
  }

  all(): IterableIterator<StoredJob> {
    return this.jobs.values();
  }

  get size(): number {
    return this.jobs.size;
  }

  /** Job names in order (cached until a job is added or removed). */
  names(): string[] {
    this.sorted ??= [...this.jobs.keys()].sort();
    return this.sorted;
  }

  /** Puts a definition (created or changed) into the catalog and the children index. */
  put(job: StoredJob): void {
    const before = this.jobs.get(job.name);
    if (!before) this.sorted = undefined;
    for (const p of before?.parents ?? []) this.children.get(p)?.delete(job.name);
    for (const p of job.parents) {
      let set = this.children.get(p);
      if (!set) this.children.set(p, (set = new Set()));
      set.add(job.name);
    }
    this.jobs.set(job.name, job);
  }

  remove(name: string): void {
    const before = this.jobs.get(name);
    if (!before) return;
    for (const p of before.parents) this.children.get(p)?.delete(name);
    this.jobs.delete(name);
    this.counters.delete(name);
    this.active.delete(name);
    this.sorted = undefined;
  }

  /** The store wrote new duration percentiles of `job` (a success of this replica). */
  durationsWritten(job: string, duration: Percentiles): void {
    if (this.jobs.has(job)) this.counters.set(job, { ...this.countersOf(job), duration });
  }

  countersOf(name: string): JobCounters {
    return this.counters.get(name) ?? emptyCounters();
  }

  /** Active runs of a job by state: queued (waiting for an offer) and running (starting or running). */
  activity(name: string): { queued: number; running: number } {
    let queued = 0;
    let running = 0;
    for (const s of this.active.get(name)?.values() ?? []) {
      if (s === 'QUEUED') queued++;
      else running++;
    }
    return { queued, running };
  }

  statusOf(job: StoredJob): JobStatus {
    const c = this.countersOf(job.name);
    const last = c.lastSuccess === undefined && c.lastError === undefined ? undefined : c.lastError === undefined || (c.lastSuccess ?? -1) > c.lastError ? 'success' : 'failure';
    return jobStatus(job.disabled, this.activity(job.name).running, last);
  }

  /** A run of this replica changed: keep active runs and counters current without a round trip. */
  runChanged(run: RunRecord): void {
    let a = this.active.get(run.job);
    if (!a) this.active.set(run.job, (a = new Map()));
    if (!isTerminalRunState(run.state)) {
      a.set(run.id, run.state);
      return;
    }
    const wasActive = a.delete(run.id);
    // Records created terminal (MISSED, SKIPPED) change no counters; terminal updates fold once.
    if (wasActive) this.counters.set(run.job, foldOutcome(this.countersOf(run.job), run));
  }

  /** Tells the other replicas that `job` changed; the notices of 50 ms go out as one message. */
  announce(job: string, what: 'job' | 'run'): void {
    const key = `${what}\n${job}`;
    if (this.outgoing.has(key)) return;
    this.outgoing.add(key);
    if (this.outgoing.size > 1) return;
    this.announceTimer = this.clock.setTimeout(() => {
      const changes = [...this.outgoing].map((k) => k.split('\n').reverse() as [string, 'job' | 'run']);
      this.outgoing.clear();
      void this.store.publishChanges(this.replicaId, changes).catch((e: unknown) => this.log.warn({ err: e }, 'change notices not sent; other replicas catch up at their next notice'));
    }, NOTICE_BATCH_MS);
  }

  /** A message on the change channel (this replica's own are ignored). */
  receiveNotices(message: string): void {
    const m = JSON.parse(message) as { from: string; changes: Array<[string, 'job' | 'run']> };
    if (m.from === this.replicaId) return;
    for (const [job, what] of m.changes) this.noticeChange(job, what);
  }

  /** Another replica changed `job`: re-read it soon (notices of one moment are batched). */
  private noticeChange(job: string, what: 'job' | 'run', delayMs = 0): void {
    let set = this.pending.get(job);
    if (!set) this.pending.set(job, (set = new Set()));
    set.add(what);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.flushTimer = this.clock.setTimeout(() => void this.flushNotices(), delayMs);
  }

  /** Stops sending and reading notices (the store is about to close). */
  stop(): void {
    this.announceTimer?.cancel();
    this.flushTimer?.cancel();
    this.outgoing.clear();
    this.pending.clear();
  }

  private async flushNotices(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    try {
      const runJobs = [...batch].filter(([, w]) => w.has('run')).map(([j]) => j);
      const [counters, active] = await Promise.all([this.store.runs.counters(runJobs), this.store.runs.activeOf(runJobs)]);
      for (const [n, c] of counters) this.counters.set(n, c);
      for (const [n, a] of active) this.active.set(n, new Map(Object.entries(a)));
      for (const [name, what] of batch) {
        if (!what.has('job')) continue;
        const stored = await this.store.getJob(name);
        if (stored) {
          this.put(stored);
          this.onRemoteJob(stored);
        } else this.remove(name);
      }
      // `version` is not advanced here: the catalog may still miss notices of that version, and writes
      // validate the whole graph against it. A write finds the store ahead and reloads everything first.
    } catch (e) {
      this.log.warn({ err: e, jobs: [...batch.keys()].slice(0, 10) }, 'catalog refresh failed; retrying in 1 s');
      for (const [j, w] of batch) for (const x of w) this.noticeChange(j, x, 1000);
    }
  }
}

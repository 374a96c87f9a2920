/**
 * Runs this replica owns, from creation to their end: launch through the jobs framework, task updates to
 * run states, lateness limits, timeouts, kills, retries with backoff, and children made ready by a success.
 *
 *   created (QUEUED) ──launch──► framework ──onLaunched──► STARTING ──RUNNING──► RUNNING ──► terminal
 *        │ lateness limit passed before launch → MISSED          │ timeout → kill → FAILED (timeout)
 *        ▼                                                       ▼
 *   kill before launch → KILLED          SUCCEEDED → applyParentSuccess (children) ; FAILED → retry trigger
 *
 * A replica owns the runs it creates (its framework launches and watches their tasks). Each live run keeps
 * a chain of writes so its states reach Redis in order, and a terminal update is persisted before the
 * driver acknowledges it (a crash in between makes the master re-send it; handlers are idempotent).
 */
import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { isTerminal, type Offer, type TaskStatus } from '../../core/sdk/index.ts';
import { RunCause, type StoredJob } from './job-model.ts';
import type { JobStore } from './job-store.ts';
import type { JobsFramework, LaunchRequest } from './jobs-framework.ts';
import {
  KillReason,
  commandWithArguments,
  isForward,
  parseTaskId,
  reasonForTask,
  retryDelayMs,
  runKey,
  runStateForTask,
  shouldRetry,
  taskIdFor,
  type RunDraft,
  type RunRecord,
} from './run-model.ts';
import { RunState, isTerminalRunState, type Percentiles } from './run-stats.ts';
import { latenessVerdict } from './trigger-plan.ts';
import type { TriggerQueue } from './trigger-queue.ts';
import { retryJobId } from './trigger-queue.ts';
import type { CreateRunsResult } from './run-store.ts';

export interface JobCatalog {
  get(name: string): StoredJob | undefined;
  /** The definition at `generation` or newer, from Redis when the cache is behind; undefined when deleted. */
  fresh(name: string, generation?: number): Promise<StoredJob | undefined>;
  childrenOf(name: string): StoredJob[];
}

export interface EventSink {
  publish(type: string, data: Record<string, unknown>): void;
}

/**
 * Hooks for metrics, called synchronously on this replica's runs; they must be cheap and never throw.
 * `runLaunched`: a QUEUED run's task was launched, `latenessMs` after its due time (the scheduled time, or the
 * catch-up for runs the missed-run policy started). `runEnded`: a run reached a terminal state (records created
 * MISSED or SKIPPED included).
 */
export interface JobsObserver {
  runLaunched?(run: RunRecord, latenessMs: number): void;
  runEnded?(run: RunRecord): void;
}

export interface SupervisorDeps {
  store: JobStore;
  queue: TriggerQueue;
  framework: () => JobsFramework;
  catalog: JobCatalog;
  clock: Clock;
  logger: Logger;
  events: EventSink;
  replicaId: string;
  /** A run of `job` changed (cache refresh, change notice to other replicas). */
  onRunChanged(job: string, run: RunRecord): void;
  /** A success of `job` reached Redis with its run time: these are the job's new duration percentiles. */
  onDurationsWritten(job: string, duration: Percentiles): void;
  observer?: JobsObserver;
}

interface LiveRun {
  run: RunRecord;
  writes: Promise<unknown>;
  lateness?: TimerHandle;
  timeout?: TimerHandle;
}

export function runEventData(r: RunRecord): Record<string, unknown> {
  const d: Record<string, unknown> = { job: r.job, runId: r.id, state: r.state, cause: r.cause, attempt: r.attempt, scheduledAt: new Date(r.scheduledAt).toISOString() };
  if (r.reason !== undefined) d.reason = r.reason;
  if (r.exitCode !== undefined) d.exitCode = r.exitCode;
  if (r.taskId !== undefined) d.taskId = r.taskId;
  return d;
}

export class RunSupervisor {
  private readonly live = new Map<string, LiveRun>();
  private readonly byTask = new Map<string, string>();
  private readonly log: Logger;

  constructor(private readonly deps: SupervisorDeps) {
    this.log = deps.logger.child({ component: 'run-supervisor', replica: deps.replicaId });
  }

  /** How many runs this replica owns, by (non-terminal) state. */
  liveCounts(): Map<RunState, number> {
    const counts = new Map<RunState, number>();
    for (const { run } of this.live.values()) counts.set(run.state, (counts.get(run.state) ?? 0) + 1);
    return counts;
  }

  /** Runs this replica owns that are not terminal (for views: pendingReason). */
  liveRun(job: string, id: string): RunRecord | undefined {
    return this.live.get(runKey(job, id))?.run;
  }

  pendingReason(run: RunRecord): string | undefined {
    const live = this.live.get(runKey(run.job, run.id));
    return live?.run.taskId ? this.deps.framework().pendingReason(live.run.taskId) : undefined;
  }

  draft(job: StoredJob, cause: RunCause, scheduledAt: number, extra: Partial<RunDraft> = {}): RunDraft {
    return { job: job.name, cause, attempt: 1, state: RunState.QUEUED, scheduledAt, queuedAt: this.deps.clock.now(), owner: this.deps.replicaId, ...extra };
  }

  /** What follows a creation: launch the QUEUED runs, announce the records, kill what `replace` displaced. */
  async afterCreate(job: StoredJob, res: Extract<CreateRunsResult, { status: 'created' }>): Promise<void> {
    for (const run of res.runs) {
      this.deps.onRunChanged(run.job, run);
      if (run.state === RunState.QUEUED) this.launch(run, job);
      else {
        this.deps.observer?.runEnded?.(run);
        this.announceDropped(run);
      }
    }
    const newest = res.runs.filter((r) => r.state === RunState.QUEUED).at(-1);
    if (res.displaced.length > 0 && newest) await this.killRunsById(job.name, res.displaced, KillReason.REPLACED, `replaced by run ${newest.id} (concurrencyPolicy replace)`);
  }

  private announceDropped(run: RunRecord): void {
    if (run.state === RunState.MISSED) this.deps.events.publish('run.missed', runEventData(run));
    else if (run.state === RunState.SKIPPED) this.deps.events.publish('run.skipped', runEventData(run));
    if (run.cause === RunCause.PARENT && (run.state === RunState.MISSED || run.state === RunState.SKIPPED)) {
      void this.deps.store.childRunDropped(run.job, run.id).catch((e: unknown) => this.log.warn({ err: e, job: run.job }, 'trigger state not released'));
    }
  }

  /** Hands a QUEUED run to the framework, with a fresh task id, and arms its lateness limit. */
  launch(run: RunRecord, job: StoredJob): void {
    const taskId = taskIdFor(job.name, run.id, randomBytes(4).toString('hex'));
    run.taskId = taskId;
    const live: LiveRun = this.live.get(runKey(run.job, run.id)) ?? { run, writes: Promise.resolve() };
    live.run = run;
    this.live.set(runKey(run.job, run.id), live);
    this.byTask.set(taskId, runKey(run.job, run.id));
    const command = commandWithArguments(job.command, run.arguments);
    const launch: LaunchRequest = {
      taskId,
      name: `${job.name} #${run.id}`,
      resources: job.resources,
      command: { ...command, env: { ...job.env, ORRERY_JOB: job.name, ORRERY_RUN_ID: run.id, ORRERY_ATTEMPT: String(run.attempt) }, uris: job.uris },
      constraints: job.constraints,
      labels: { 'orrery.job': job.name, 'orrery.run': run.id },
      ...(job.killGracePeriodMs !== undefined && { killGracePeriodMs: job.killGracePeriodMs }),
    };
    const limit = run.cause === RunCause.MANUAL || run.cause === RunCause.RETRY ? null : job.latenessLimitMs;
    if (limit !== null) {
      const dueAt = run.catchUp ? run.queuedAt : run.scheduledAt;
      live.lateness = this.deps.clock.setTimeout(() => void this.latenessExpired(live, limit, dueAt), Math.max(0, dueAt + limit - this.deps.clock.now()));
    }
    this.deps.framework().enqueue(launch);
  }

  private async latenessExpired(live: LiveRun, limit: number, dueAt: number): Promise<void> {
    const run = live.run;
    if (run.state !== RunState.QUEUED || !run.taskId) return;
    const why = this.deps.framework().pendingReason(run.taskId);
    if (!this.deps.framework().cancel(run.taskId)) return;
    const verdict = latenessVerdict(dueAt, this.deps.clock.now(), limit) ?? `missed: not started within the lateness limit of ${limit} ms`;
    await this.finish(live, RunState.MISSED, `${verdict}${why ? ` (${why})` : ''}`);
  }

  onLaunched(launches: LaunchRequest[], offer: Offer): void {
    const now = this.deps.clock.now();
    for (const l of launches) {
      const live = this.liveByTask(l.taskId);
      if (!live || live.run.state !== RunState.QUEUED) continue;
      live.lateness?.cancel();
      Object.assign(live.run, { state: RunState.STARTING, launchedAt: now, agentId: offer.agentId, hostname: offer.hostname });
      this.deps.observer?.runLaunched?.(live.run, now - (live.run.catchUp ? live.run.queuedAt : live.run.scheduledAt));
      void this.persist(live);
      // A kill that came while the launch was on its way to the master found nothing to cancel: send it now.
      if (live.run.killReason) void this.deps.framework().kill(l.taskId, offer.agentId, this.deps.catalog.get(live.run.job)?.killGracePeriodMs);
    }
  }

  private liveByTask(taskId: string): LiveRun | undefined {
    const key = this.byTask.get(taskId);
    return key === undefined ? undefined : this.live.get(key);
  }

  private persist(live: LiveRun, outcome?: 'success' | 'error'): Promise<{ size: number; duration?: Percentiles }> {
    const snapshot: RunRecord = { ...live.run };
    const write = live.writes.then(() => this.deps.store.runs.saveRun(snapshot, outcome));
    live.writes = write.catch((e: unknown) => this.log.error({ err: e, job: snapshot.job, runId: snapshot.id }, 'run state not saved'));
    this.deps.onRunChanged(snapshot.job, snapshot);
    // A failed write is logged above.
    write.then((r) => r.duration && this.deps.onDurationsWritten(snapshot.job, r.duration), () => undefined);
    return write;
  }

  async onStatus(status: TaskStatus): Promise<void> {
    let live = this.liveByTask(status.taskId);
    if (!live) live = await this.adopt(status);
    if (!live) return;
    const run = live.run;
    if (run.taskId !== status.taskId) {
      // A task of an earlier launch of this run (relaunched after a restart): it must not run twice.
      if (!isTerminal(status.state)) await this.deps.framework().kill(status.taskId, status.agentId);
      return;
    }
    const next = runStateForTask(status.state, run.killReason);
    if (next === undefined || !isForward(run.state, next)) return;
    const job = this.deps.catalog.get(run.job);
    if (status.agentId) run.agentId = status.agentId;
    if (next === RunState.STARTING) {
      run.state = next;
      run.launchedAt ??= this.deps.clock.now();
      await this.persist(live);
      return;
    }
    if (next === RunState.RUNNING) {
      run.state = next;
      run.startedAt = this.deps.clock.now();
      run.launchedAt ??= run.startedAt;
      live.lateness?.cancel();
      if (job?.timeoutMs) {
        const ms = job.timeoutMs;
        live.timeout = this.deps.clock.setTimeout(() => void this.kill(live!, KillReason.TIMEOUT, `timed out after ${ms} ms`), ms);
      }
      await this.persist(live);
      // Retries continue a run that already started; only first attempts consume parent successes.
      if (run.cause !== RunCause.RETRY && job && job.parents.length > 0) await this.deps.store.childStarted(run.job);
      this.deps.events.publish('run.started', runEventData(run));
      return;
    }
    if (status.exitCode !== undefined) run.exitCode = status.exitCode;
    const reason = reasonForTask(status, run, job?.timeoutMs ?? null);
    await this.finish(live, next, reason);
  }

  /** A terminal state: persist with counters, announce, then children (success) or a retry (failure). */
  private async finish(live: LiveRun, state: RunState, reason: string | undefined): Promise<void> {
    const run = live.run;
    const now = this.deps.clock.now();
    live.lateness?.cancel();
    live.timeout?.cancel();
    this.live.delete(runKey(run.job, run.id));
    if (run.taskId) this.byTask.delete(run.taskId);
    run.state = state;
    run.finishedAt = now;
    if (reason !== undefined) run.reason = reason;
    const job = this.deps.catalog.get(run.job);
    const retry = job !== undefined && shouldRetry(run, job.retries);
    if (retry) run.nextRetryAt = now + retryDelayMs(job.backoff, run.attempt);
    const outcome = state === RunState.SUCCEEDED ? 'success' : state === RunState.FAILED || state === RunState.KILLED ? 'error' : undefined;
    this.deps.observer?.runEnded?.(run);
    const { size } = await this.persist(live, outcome);
    if (state === RunState.MISSED || state === RunState.SKIPPED) this.announceDropped(run);
    else this.deps.events.publish('run.finished', runEventData(run));
    if (run.cause === RunCause.PARENT && run.startedAt === undefined && state !== RunState.MISSED && state !== RunState.SKIPPED) {
      await this.deps.store.childRunDropped(run.job, run.id);
    }
    if (!job) return;
    if (size > job.historyLimit) await this.deps.store.runs.trimHistory(job.name, job.historyLimit);
    if (state === RunState.SUCCEEDED) await this.triggerChildren(job, run);
    if (retry) {
      await this.deps.queue.addRetry({ kind: 'retry', job: job.name, failedRunId: run.id, rootRunId: run.retryOf ?? run.id, attempt: run.attempt + 1, dueAt: run.nextRetryAt! }, run.nextRetryAt! - now);
    }
  }

  /** Parent success: Chronos' rule, durable (run-store.ts `applyParentSuccess`). */
  private async triggerChildren(parent: StoredJob, run: RunRecord): Promise<void> {
    const children = this.deps.catalog.childrenOf(parent.name);
    if (children.length === 0) return;
    const now = this.deps.clock.now();
    const byName = new Map(children.map((c) => [c.name, c]));
    const outcomes = await this.deps.store.runs.applyParentSuccess(
      parent.name,
      children.map((c) => ({ name: c.name, parents: c.parents, policy: c.concurrencyPolicy, disabled: c.disabled })),
      (child) => this.draft(byName.get(child)!, RunCause.PARENT, now, { triggeredBy: { job: parent.name, runId: run.id } }),
    );
    for (const o of outcomes) {
      const child = byName.get(o.child)!;
      await this.afterCreate(child, { status: 'created', runs: [o.run], displaced: o.displaced });
    }
  }

  /** A task update for a task this replica does not hold in memory: a run it owns but lost track of, or a stray. */
  private async adopt(status: TaskStatus): Promise<LiveRun | undefined> {
    const ids = parseTaskId(status.taskId);
    const run = ids ? await this.deps.store.runs.getRun(ids.job, ids.runId) : undefined;
    if (!run || run.owner !== this.deps.replicaId || run.state === RunState.QUEUED || isTerminalRunState(run.state)) {
      // A task of a deleted job or of a run already ended: nobody wants it running.
      if (!isTerminal(status.state) && status.state !== 'UNKNOWN') await this.deps.framework().kill(status.taskId, status.agentId);
      return undefined;
    }
    const live: LiveRun = { run, writes: Promise.resolve() };
    this.live.set(runKey(run.job, run.id), live);
    if (run.taskId) this.byTask.set(run.taskId, runKey(run.job, run.id));
    return live;
  }

  /** Kills a live run this replica owns: cancels a pending launch, or kills the task (the update records it). */
  async kill(live: LiveRun, reason: KillReason, detail: string): Promise<void> {
    const run = live.run;
    if (run.state === RunState.QUEUED && run.taskId && this.deps.framework().cancel(run.taskId)) {
      await this.finish(live, RunState.KILLED, `${detail} (before launch)`);
      return;
    }
    if (!run.taskId || run.killReason === reason) {
      if (run.taskId) await this.deps.framework().kill(run.taskId, run.agentId);
      return;
    }
    run.killReason = reason;
    run.killDetail = detail;
    await this.persist(live);
    const job = this.deps.catalog.get(run.job);
    await this.deps.framework().kill(run.taskId, run.agentId, job?.killGracePeriodMs);
  }

  /** Kills runs of a job by id, wherever they are owned (other replicas get a durable kill request). */
  async killRunsById(jobName: string, ids: string[], reason: KillReason, detail: string): Promise<string[]> {
    const killed: string[] = [];
    for (const run of await this.deps.store.runs.getRuns(jobName, ids)) {
      const live = this.live.get(runKey(run.job, run.id));
      if (live) {
        await this.kill(live, reason, detail);
        killed.push(run.id);
      } else if (run.owner !== this.deps.replicaId && !isTerminalRunState(run.state)) {
        await this.deps.store.requestKill(run.owner, { job: run.job, runId: run.id, reason, detail });
        killed.push(run.id);
      }
    }
    return killed;
  }

  /** Kills every active run of a job and cancels its pending retry. */
  async killJob(jobName: string, reason: KillReason, detail: string): Promise<string[]> {
    const active = Object.keys(await this.deps.store.runs.activeRuns(jobName));
    const killed = await this.killRunsById(jobName, active, reason, detail);
    const recent = await this.deps.store.runs.listRuns(jobName, 0, 20);
    for (const run of recent.runs) {
      if (run.nextRetryAt === undefined || run.nextRetryAt < this.deps.clock.now() - 60_000) continue;
      await this.deps.queue.remove(retryJobId(jobName, run.id));
      const { nextRetryAt: _cancelled, ...rest } = run;
      await this.deps.store.runs.saveRun({ ...rest, reason: `${run.reason ?? 'failed'}; retry cancelled by a kill` });
    }
    return killed;
  }

  /** Runs the kill requests other replicas left for this one. */
  async processKillRequests(): Promise<void> {
    for (const req of await this.deps.store.takeKillRequests(this.deps.replicaId)) {
      const live = this.live.get(runKey(req.job, req.runId));
      if (live) await this.kill(live, req.reason as KillReason, req.detail);
    }
  }

  /** After a restart: takes back the runs this replica owns, relaunching the queued ones. */
  async recover(): Promise<number> {
    const runs = await this.deps.store.runs.ownedActiveRuns(this.deps.replicaId);
    for (const run of runs) {
      const job = await this.deps.catalog.fresh(run.job);
      if (run.state === RunState.QUEUED) {
        if (job) this.launch(run, job);
        continue;
      }
      const live: LiveRun = { run, writes: Promise.resolve() };
      this.live.set(runKey(run.job, run.id), live);
      if (run.taskId) this.byTask.set(run.taskId, runKey(run.job, run.id));
      if (run.state === RunState.RUNNING && job?.timeoutMs && run.startedAt !== undefined) {
        const ms = job.timeoutMs;
        live.timeout = this.deps.clock.setTimeout(() => void this.kill(live, KillReason.TIMEOUT, `timed out after ${ms} ms`), Math.max(0, run.startedAt + ms - this.deps.clock.now()));
      }
    }
    return runs.length;
  }

  /** Asks the master for the state of every launched run's task (after each subscription). */
  async reconcile(): Promise<void> {
    const tasks = [...this.live.values()].filter((l) => l.run.state !== RunState.QUEUED && l.run.taskId).map((l) => ({ taskId: l.run.taskId!, ...(l.run.agentId && { agentId: l.run.agentId }) }));
    await this.deps.framework().reconcile(tasks);
  }

  /** The job was deleted: stop watching its runs (their kills were sent; late updates find no run and change nothing). */
  forgetJob(job: string): void {
    for (const [key, l] of this.live) {
      if (l.run.job !== job) continue;
      l.lateness?.cancel();
      l.timeout?.cancel();
      if (l.run.taskId) {
        this.deps.framework().cancel(l.run.taskId);
        this.byTask.delete(l.run.taskId);
      }
      this.live.delete(key);
    }
  }

  stop(): void {
    for (const l of this.live.values()) {
      l.lateness?.cancel();
      l.timeout?.cancel();
    }
  }

  /** Resolves when every queued write has reached Redis (tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.live.values()].map((l) => l.writes));
  }
}

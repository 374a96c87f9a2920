/**
 * Turns triggers into runs: occurrences (schedule), catch-up after downtime, retries, manual starts.
 * Every creation goes through `RunStore.createRuns`, which claims the occurrence and applies the
 * concurrency policy in one transaction, so two replicas handling the same trigger create one run.
 *
 *   occurrence o@gen@at@job ──► next one scheduled first ──► backlog? ──yes──► catchUp (missed-run policy)
 *                                                              │no
 *                                                              ▼
 *                                   lateness verdict ──► createRuns(claim at) ──► supervisor.afterCreate
 */
import type { Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { err, ok, type Result } from '../../core/errors/result.ts';
import { RunCause, scheduleOf, type StoredJob } from './job-model.ts';
import type { JobStore } from './job-store.ts';
import type { RunDraft, RunRecord } from './run-model.ts';
import { RunState } from './run-stats.ts';
import type { JobCatalog, RunSupervisor } from './run-supervisor.ts';
import { nextFireTime, type Schedule } from './schedule.ts';
import { catchUpMissedReason, hasBacklog, latenessVerdict, planCatchUp } from './trigger-plan.ts';
import type { TriggerMessage, TriggerQueue } from './trigger-queue.ts';

export interface TriggerHandlerDeps {
  store: JobStore;
  queue: TriggerQueue;
  supervisor: RunSupervisor;
  catalog: JobCatalog;
  clock: Clock;
  logger: Logger;
  replicaId: string;
  /** Occurrences older than this and still unhandled are a backlog for the missed-run policy. */
  graceMs: number;
}

const CATCH_UP_ATTEMPTS = 5;

export class TriggerHandler {
  private readonly log: Logger;
  private readonly firstAfterMemo = new Map<string, { job: StoredJob; cursor: number; at: number | undefined }>();

  constructor(private readonly deps: TriggerHandlerDeps) {
    this.log = deps.logger.child({ component: 'trigger-handler', replica: deps.replicaId });
  }

  async handle(m: TriggerMessage): Promise<void> {
    if (m.kind === 'occurrence') await this.onOccurrence(m);
    else await this.onRetry(m);
  }

  private async onOccurrence(m: Extract<TriggerMessage, { kind: 'occurrence' }>): Promise<void> {
    const job = await this.deps.catalog.fresh(m.job, m.generation);
    // A trigger of an older definition, or of a job since disabled or deleted: its successor (if any) was scheduled by the write.
    if (!job || job.generation !== m.generation || job.disabled || job.schedule === undefined) return;
    const now = this.deps.clock.now();
    const s = scheduleOf(job, now)!;
    if (hasBacklog(s, m.at, now, this.deps.graceMs)) {
      await this.catchUp(job);
      return;
    }
    const late = latenessVerdict(m.at, now, job.latenessLimitMs);
    const draft = this.deps.supervisor.draft(job, RunCause.SCHEDULE, m.at, late ? { state: RunState.MISSED, reason: late, finishedAt: now } : {});
    // The next occurrence is scheduled alongside the claim and both finish before the trigger completes:
    // should this replica die in between, BullMQ hands the trigger to another worker, whose claim finds
    // the occurrence handled or not, and which schedules the next one again (same id: still one). The
    // launch does not wait for the next trigger to be written.
    const next = this.scheduleNext([{ job, after: m.at, s }]);
    // Handled below; this only keeps a failure from being reported unhandled while the claim runs.
    next.catch(() => undefined);
    try {
      const res = await this.deps.store.runs.createRuns({ job: job.name, owner: this.deps.replicaId, cursor: { after: m.at }, policy: job.concurrencyPolicy, onForbid: 'skip', drafts: [draft] });
      if (res.status !== 'created') {
        this.log.debug({ job: job.name, at: m.at }, 'occurrence already handled');
        return;
      }
      await this.deps.supervisor.afterCreate(job, res);
    } finally {
      await next;
    }
  }

  /**
   * Applies the missed-run policy to the occurrences up to `now - grace` that nobody handled, then makes
   * sure the next occurrence is scheduled. A no-op when there are none. Safe to run on every replica at
   * once: the range is claimed with a compare-and-set on the cursor.
   */
  async catchUp(job: StoredJob): Promise<void> {
    if (job.disabled || job.schedule === undefined) return;
    const now = this.deps.clock.now();
    const s = scheduleOf(job, now)!;
    const until = now - this.deps.graceMs;
    let cursor: number | undefined;
    for (let attempt = 0; attempt < CATCH_UP_ATTEMPTS; attempt++) {
      cursor = (await this.deps.store.cursors([job.name])).get(job.name);
      const from = cursor ?? job.updatedAt - 1;
      const plan = planCatchUp(s, from, until, job.missedRunPolicy, job.missedRunLimit);
      if (!plan) break;
      const drafts: RunDraft[] = [];
      const oldestMissed = plan.missed[0];
      for (const at of [...plan.missed, ...plan.run].sort((a, b) => a - b)) {
        if (plan.run.includes(at)) drafts.push(this.deps.supervisor.draft(job, RunCause.SCHEDULE, at, { catchUp: true }));
        else drafts.push(this.deps.supervisor.draft(job, RunCause.SCHEDULE, at, { state: RunState.MISSED, reason: catchUpMissedReason(job.missedRunPolicy, plan, at === oldestMissed), finishedAt: now }));
      }
      const res = await this.deps.store.runs.createRuns({
        job: job.name,
        owner: this.deps.replicaId,
        cursor: { expected: cursor ?? null, set: plan.through },
        policy: job.concurrencyPolicy,
        onForbid: 'skip',
        drafts,
      });
      if (res.status !== 'created') continue;
      this.log.info({ job: job.name, policy: job.missedRunPolicy, run: plan.run.length, missed: plan.missed.length + plan.unrecorded }, 'caught up on missed occurrences');
      await this.deps.supervisor.afterCreate(job, res);
      cursor = plan.through;
      break;
    }
    await this.scheduleNext([{ job, after: Math.max(cursor ?? until, until), s }]);
  }

  /** Adds the delayed trigger of each job's first occurrence after `after` (existing ones are kept). */
  async scheduleNext(items: Array<{ job: StoredJob; after: number; s?: Schedule }>): Promise<void> {
    const now = this.deps.clock.now();
    const out: Array<{ job: string; at: number; generation: number; delayMs: number }> = [];
    for (const { job, after, s } of items) {
      if (job.disabled || job.schedule === undefined) continue;
      const at = nextFireTime(s ?? scheduleOf(job, now)!, after);
      if (at !== undefined) out.push({ job: job.name, at, generation: job.generation, delayMs: at - now });
    }
    if (out.length > 0) await this.deps.queue.addOccurrences(out);
  }

  /**
   * Startup and periodic sweep: catches up every scheduled job that has a backlog, and (with
   * `ensure`) re-adds every job's next trigger, which repairs a chain broken by a lost trigger.
   */
  async sweep(jobs: StoredJob[], ensure: boolean): Promise<void> {
    const scheduled = jobs.filter((j) => !j.disabled && j.schedule !== undefined);
    const cursors = await this.deps.store.cursors(scheduled.map((j) => j.name));
    const now = this.deps.clock.now();
    const next: Array<{ job: StoredJob; after: number }> = [];
    const coming: Array<{ job: string; at: number; generation: number }> = [];
    for (const job of scheduled) {
      const cursor = cursors.get(job.name) ?? job.updatedAt - 1;
      const due = this.firstAfter(job, cursor, now);
      if (due !== undefined && due <= now - this.deps.graceMs) await this.catchUp(job);
      else if (ensure) next.push({ job, after: Math.max(cursor, now - this.deps.graceMs) });
      else if (due !== undefined) coming.push({ job: job.name, at: due, generation: job.generation });
    }
    // Triggers that came within the wake-up horizon since they were added get their timer now.
    this.deps.queue.wake(coming);
    const live = new Set(scheduled.map((j) => j.name));
    for (const name of this.firstAfterMemo.keys()) if (!live.has(name)) this.firstAfterMemo.delete(name);
    await this.scheduleNext(next);
  }

  /**
   * The job's next fire time after `now` when the last sweep already computed it (a list of thousands of jobs
   * then needs no cron-parser call for them): the first occurrence after the cursor, if it is still ahead —
   * nothing fires between the cursor and it, so it is also the first after `now`. Undefined when unknown.
   */
  upcoming(job: StoredJob, now: number): number | undefined {
    const memo = this.firstAfterMemo.get(job.name);
    return memo && memo.job === job && memo.cursor <= now && memo.at !== undefined && memo.at > now ? memo.at : undefined;
  }

  /**
   * The first occurrence after a cursor, memoised per (definition, cursor): a sweep over thousands of
   * jobs then costs a map lookup per job whose cursor has not moved (cron-parser costs ~0.1 ms a call).
   */
  private firstAfter(job: StoredJob, cursor: number, now: number): number | undefined {
    const memo = this.firstAfterMemo.get(job.name);
    if (memo && memo.job === job && memo.cursor === cursor) return memo.at;
    const at = nextFireTime(scheduleOf(job, now)!, cursor);
    this.firstAfterMemo.set(job.name, { job, cursor, at });
    return at;
  }


  private async onRetry(m: Extract<TriggerMessage, { kind: 'retry' }>): Promise<void> {
    const job = await this.deps.catalog.fresh(m.job);
    const failed = job ? await this.deps.store.runs.getRun(m.job, m.failedRunId) : undefined;
    // Deleted job, trimmed run, or a retry cancelled by a kill.
    if (!job || !failed || failed.nextRetryAt === undefined) return;
    const draft = this.deps.supervisor.draft(job, RunCause.RETRY, m.dueAt, { attempt: m.attempt, retryOf: m.rootRunId });
    if (failed.arguments) draft.arguments = failed.arguments;
    if (failed.triggeredBy) draft.triggeredBy = failed.triggeredBy;
    // A retry continues a run that was allowed to start, so the concurrency policy does not apply to it.
    const res = await this.deps.store.runs.createRuns({ job: job.name, owner: this.deps.replicaId, once: `retry-${m.failedRunId}`, policy: 'allow', onForbid: 'skip', drafts: [draft] });
    if (res.status === 'created') await this.deps.supervisor.afterCreate(job, res);
  }

  /** A manual start ("run now"); refused under `forbid` while a run is active. */
  async startManual(job: StoredJob, args?: string[]): Promise<Result<RunRecord, { active: string[] }>> {
    const draft = this.deps.supervisor.draft(job, RunCause.MANUAL, this.deps.clock.now(), args && args.length > 0 ? { arguments: args } : {});
    const res = await this.deps.store.runs.createRuns({ job: job.name, owner: this.deps.replicaId, policy: job.concurrencyPolicy, onForbid: 'refuse', drafts: [draft] });
    if (res.status === 'refused') return err({ active: res.active });
    if (res.status !== 'created') throw new Error('a manual run claims no occurrence, so it cannot find one handled');
    await this.deps.supervisor.afterCreate(job, res);
    return ok(res.runs[0]);
  }
}

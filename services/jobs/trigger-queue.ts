/**
 * The only file that uses BullMQ: durable, deduplicated triggers.
 *
 *   service ──addOccurrences (delay = fire time − clock.now())──► BullMQ delayed job  o@<gen>@<at>@<job>
 *           ──addRetry (delay = backoff)────────────────────────► BullMQ delayed job  r@<run>@<job>
 *   Worker (every replica, concurrency N) ──► handler(message) ──► claim in Redis, create runs, launch
 *   TriggerWaker: a local timer per instant due soon promotes a trigger of it then (trigger-waker.ts)
 *
 * Why delayed jobs and not job schedulers for cron: a job scheduler produces its next job only when the
 * previous one starts processing and has no notion of occurrences missed while nobody ran, while the
 * missed-run policy needs exactly that; one delayed job per occurrence, added by whoever handles the
 * previous one, is the same mechanism for cron and ISO 8601 and keeps the fire times ours (computed with
 * the service's Clock and cron-parser, DST included). BullMQ's own timers then wait the delay.
 *
 * Exactly once: a job id is deterministic (job, generation of the definition, fire time), and BullMQ
 * refuses a second job with an id it holds, so replicas that all schedule the next occurrence create one
 * job, which one worker processes. Completed jobs are removed, so a late duplicate could be re-added:
 * the handler's claim on the job's cursor in Redis (run-store.ts) is what finally guarantees one run per
 * occurrence. BullMQ's attempts/backoff retry a handler that threw (Redis hiccup), not a failed run —
 * run retries are their own delayed jobs, since a run fails long after its trigger was processed.
 */
import { ErrorCode, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { TriggerWaker } from './trigger-waker.ts';

export type TriggerMessage =
  | { kind: 'occurrence'; job: string; at: number; generation: number }
  | { kind: 'retry'; job: string; failedRunId: string; rootRunId: string; attempt: number; dueAt: number };

export interface TriggerQueueOptions {
  redisUrl: string;
  /**
   * Opens the queue's and the worker's connections (any URL form: TLS, Sentinel, Cluster); BullMQ duplicates
   * the worker's for its blocking reads. Without it, BullMQ connects to `redisUrl` (plain redis:// only).
   */
  connect?: (name: string, opts: { forBullmq: true }) => Redis;
  /** BullMQ key prefix, a hash tag for Redis Cluster: `{prefix}:jobs:bull`. */
  bullPrefix: string;
  logger: Logger;
  /** The clock the delays were computed with; wake-up timers run on it (trigger-waker.ts). */
  clock: Clock;
  /** Triggers due within this are woken at their instant by a local timer; later ones once a sweep re-arms them. */
  wakeHorizonMs: number;
  /** Triggers handled at once by this replica. */
  concurrency: number;
  handle(message: TriggerMessage): Promise<void>;
}

const QUEUE = 'triggers';
const HANDLER_ATTEMPTS = { attempts: 5, backoff: { type: 'exponential' as const, delay: 200 } };

export const occurrenceJobId = (job: string, generation: number, at: number): string => `o@${generation}@${at}@${job}`;
export const retryJobId = (job: string, failedRunId: string): string => `r@${failedRunId}@${job}`;

/** BullMQ connection options from a redis:// or rediss:// URL (BullMQ builds its own connections from them). */
export function connectionFromUrl(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username && { username: decodeURIComponent(u.username) }),
    ...(u.password && { password: decodeURIComponent(u.password) }),
    ...(db && { db }),
    ...(u.protocol === 'rediss:' && { tls: {} }),
    // Workers block on Redis; BullMQ requires commands to wait for a reconnection instead of failing.
    maxRetriesPerRequest: null,
  };
}

export class TriggerQueue {
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly log: Logger;
  private readonly connection: ConnectionOptions;
  private readonly waker: TriggerWaker;
  /** Connections made with `opts.connect`, closed by `close()`. */
  private readonly owned: Redis[] = [];

  constructor(private readonly opts: TriggerQueueOptions) {
    this.log = opts.logger.child({ component: 'trigger-queue' });
    this.connection = opts.connect ? this.own(opts.connect('jobs-queue', { forBullmq: true })) : connectionFromUrl(opts.redisUrl);
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: opts.bullPrefix });
    this.queue.on('error', (e: Error) => this.log.warn({ err: e }, 'trigger queue error'));
    this.waker = new TriggerWaker({
      clock: opts.clock,
      horizonMs: opts.wakeHorizonMs,
      promote: (id) => this.promote(id),
      onError: (id, e) => this.log.warn({ err: e, jobId: id }, 'trigger not woken; BullMQ hands it over after its own delay'),
    });
  }

  /** Moves a delayed trigger to waiting (the worker takes it at once); false when it is not delayed any more. */
  private async promote(id: string): Promise<boolean> {
    try {
      await this.queue.backend.promote(id);
      return true;
    } catch (e) {
      // Another replica promoted it first, the worker took it already, or it was removed.
      if ((e as { code?: unknown }).code === ErrorCode.JobNotInState) return false;
      throw e;
    }
  }

  /** Starts handling triggers. Call once the service is ready for them (after its catch-up). */
  start(): void {
    if (this.worker) return;
    const connection = this.opts.connect ? this.own(this.opts.connect('jobs-worker', { forBullmq: true })) : this.connection;
    const worker = new Worker(QUEUE, async (job: Job) => this.opts.handle(job.data as TriggerMessage), {
      connection,
      prefix: this.opts.bullPrefix,
      concurrency: this.opts.concurrency,
    });
    worker.on('error', (e: Error) => this.log.warn({ err: e }, 'trigger worker error'));
    worker.on('failed', (job: Job | undefined, e: Error) => this.log.warn({ err: e, jobId: job?.id, attemptsMade: job?.attemptsMade }, 'trigger handler failed'));
    this.worker = worker;
  }

  /** Adds occurrence triggers; ones whose id BullMQ already holds are left as they are. */
  async addOccurrences(items: Array<{ job: string; at: number; generation: number; delayMs: number }>): Promise<void> {
    for (let i = 0; i < items.length; i += 1000) {
      await this.queue.addBulk(
        items.slice(i, i + 1000).map((it) => {
          const data: TriggerMessage = { kind: 'occurrence', job: it.job, at: it.at, generation: it.generation };
          return { name: 'occurrence', data, opts: { jobId: occurrenceJobId(it.job, it.generation, it.at), delay: Math.max(0, Math.round(it.delayMs)), removeOnComplete: true, removeOnFail: { count: 1000 }, ...HANDLER_ATTEMPTS } };
        }),
      );
    }
    this.wake(items);
  }

  /** Arms wake-ups for occurrences whose triggers exist already (the sweep, as they come within the horizon). */
  wake(items: Array<{ job: string; at: number; generation: number }>): void {
    for (const it of items) this.waker.arm(occurrenceJobId(it.job, it.generation, it.at), it.at);
  }

  async addRetry(message: Extract<TriggerMessage, { kind: 'retry' }>, delayMs: number): Promise<void> {
    const at = this.opts.clock.now() + delayMs;
    await this.queue.add('retry', message, { jobId: retryJobId(message.job, message.failedRunId), delay: Math.max(0, Math.round(delayMs)), removeOnComplete: true, removeOnFail: { count: 1000 }, ...HANDLER_ATTEMPTS });
    this.waker.arm(retryJobId(message.job, message.failedRunId), at);
  }

  /** Removes a pending trigger; false when it is gone already (fired, or never added). */
  async remove(jobId: string): Promise<boolean> {
    this.waker.disarm(jobId);
    try {
      return (await this.queue.remove(jobId)) === 1;
    } catch (e) {
      // A trigger being processed right now is locked and cannot be removed; its handler sees the change.
      this.log.debug({ err: e, jobId }, 'trigger not removed');
      return false;
    }
  }

  /** Triggers in BullMQ by state (delayed: not due yet; waiting: due, not taken; active: being handled; failed). */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('delayed', 'waiting', 'active', 'failed');
  }

  /** Stops the worker (waiting for the triggers it is handling) and the queue. */
  async close(): Promise<void> {
    this.waker.stop();
    await this.worker?.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open (it closes only the duplicates it made).
    await Promise.allSettled(this.owned.map((c) => c.quit()));
  }

  private own(connection: Redis): Redis {
    this.owned.push(connection);
    return connection;
  }
}

/**
 * Reliable delivery of status updates from the master to frameworks. Per task only the oldest unacknowledged
 * update is in flight (so a framework sees a task's states in order); it is re-sent with exponential backoff
 * until the framework acknowledges its uuid, and again whenever the framework re-subscribes.
 */
import type { Clock } from '../clock/clock.ts';
import { DueHeap } from './due-heap.ts';
import type { Logger } from '../logging/logger.ts';
import type { FrameworkConnection, TaskStatus } from '../sdk/protocol.ts';
import { NO_PENDING, type TaskRecord } from './records.ts';

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

export class UpdateForwarder {
  /** Tasks whose head update waits for an acknowledgement, by the time of its next re-send. */
  private readonly retries: DueHeap<TaskRecord>;

  constructor(
    private readonly clock: Clock,
    private readonly retry: RetryPolicy,
    private readonly connectionOf: (frameworkId: string) => FrameworkConnection | undefined,
    private readonly log: Logger,
  ) {
    this.retries = new DueHeap(clock, (rec) => this.sendHead(rec, false));
  }

  /** Queues a reliable update (it must carry a uuid) and sends it if nothing else of this task is in flight. */
  enqueue(rec: TaskRecord, status: TaskStatus): void {
    // A new exact-size list: most tasks have one update at a time, and no spare capacity stays behind.
    rec.pending = rec.pending.length === 0 ? [status] : [...rec.pending, status];
    if (rec.pending.length === 1) this.sendHead(rec, true);
  }

  /** Returns the acknowledged update, or undefined when `uuid` is not the update in flight for this task. */
  acknowledge(rec: TaskRecord, uuid: string): TaskStatus | undefined {
    const head = rec.pending[0];
    if (!head || head.uuid !== uuid) return undefined;
    rec.pending = rec.pending.length === 1 ? NO_PENDING : rec.pending.slice(1);
    this.retries.remove(rec);
    rec.pendingAttempts = 0;
    if (rec.pending.length > 0) this.sendHead(rec, true);
    return head;
  }

  /** After a (re)subscription: send every task's head again at once. */
  resendAll(tasks: Iterable<TaskRecord>): void {
    for (const rec of tasks) {
      if (rec.pending.length === 0) continue;
      rec.pendingAttempts = 0;
      this.sendHead(rec, true);
    }
  }

  /** Drops everything queued for a task (its framework was removed, or the task left memory). */
  drop(rec: TaskRecord): void {
    this.retries.remove(rec);
    rec.pending = NO_PENDING;
  }

  /** Stops every re-send (master stopping). */
  stop(): void {
    this.retries.clear();
  }

  private sendHead(rec: TaskRecord, fresh: boolean): void {
    const head = rec.pending[0];
    if (!head) return;
    const conn = this.connectionOf(rec.frameworkId);
    if (conn) {
      conn.send({ type: 'UPDATE', status: head });
    } else if (!fresh) {
      this.log.debug({ taskId: rec.info.taskId, frameworkId: rec.frameworkId }, 'update held until framework reconnects');
    }
    const delay = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** rec.pendingAttempts);
    rec.pendingAttempts += 1;
    this.retries.schedule(rec, this.clock.now() + delay);
  }
}

import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { isTerminal, type TaskStatus } from '../sdk/protocol.ts';

export interface UpdateJournal {
  /** `preface`: lines journaled just before the update, in the same write. */
  appendUpdate(taskId: string, status: TaskStatus, preface?: string): Promise<void>;
  appendAck(taskId: string, uuid: string): Promise<void>;
}

export interface StatusUpdateManagerOptions {
  clock: Clock;
  logger: Logger;
  /** Backoff for re-sending an unacknowledged head: starts at initialMs, doubles, capped at maxMs. */
  retry: { initialMs: number; maxMs: number };
  journal: UpdateJournal;
  /** Delivers one update to the master; called only while connected. Must not throw (errors are logged and retried). */
  send(status: TaskStatus): void;
  /** The terminal update of a task was acknowledged and the ack written: its stream is gone. */
  onStreamClosed(taskId: string): void;
}

interface Stream {
  taskId: string;
  /** False for tasks whose id cannot name a directory: their updates live in memory only. */
  checkpointed: boolean;
  /** queue[0] is the update in flight; the rest wait for its acknowledgement. */
  queue: TaskStatus[];
  backoffMs: number;
  timer?: TimerHandle;
  /** Journal writes of this stream, chained so lines land in call order. */
  writes: Promise<void>;
}

/**
 * Reliable per-task status-update streams (Mesos' status update manager): every update is journaled before it is
 * sent; per task only the oldest unacknowledged update is in flight, re-sent with backoff until acknowledged, and
 * the next one goes out when the head's acknowledgement arrives. Delivery is at-least-once.
 *
 * Ordering: `update` calls for one task must be made in the order the states happened; the stream keeps that order
 * through the journal and onto the wire. Nothing is sent before `connect()` (the agent connects after registering).
 * `close()` sends what is still unacknowledged once more, whole queues in order: the last chance of a stopping agent.
 */
export class StatusUpdateManager {
  private readonly streams = new Map<string, Stream>();
  private readonly closing = new Set<Promise<void>>();
  private connected = false;
  private readonly log: Logger;

  constructor(private readonly opts: StatusUpdateManagerOptions) {
    this.log = opts.logger;
  }

  /**
   * Gives the update a uuid, journals it (after `preface` lines, in one write), queues it; resolves with the
   * stamped update once it is journaled.
   */
  update(status: Omit<TaskStatus, 'uuid'>, opts: { checkpoint: boolean; preface?: string }): Promise<TaskStatus> {
    const stamped: TaskStatus = { ...status, uuid: randomUUID() };
    const stream = this.stream(status.taskId, opts.checkpoint);
    const written = stream.writes.then(async () => {
      if (stream.checkpointed) {
        try {
          await this.opts.journal.appendUpdate(stream.taskId, stamped, opts.preface);
        } catch (e) {
          // Sending without a checkpoint beats not sending: the master still learns the state now.
          this.log.error({ err: e, taskId: stream.taskId, state: stamped.state }, 'status update checkpoint failed');
        }
      }
      stream.queue.push(stamped);
      if (stream.queue.length === 1) this.sendHead(stream);
    });
    stream.writes = written;
    return written.then(() => stamped);
  }

  /** Re-creates a stream from a replayed journal (its updates are already checkpointed). */
  recover(taskId: string, unacknowledged: TaskStatus[]): void {
    if (unacknowledged.length === 0) return;
    const stream = this.stream(taskId, true);
    stream.queue.push(...unacknowledged);
    if (stream.queue.length === unacknowledged.length) this.sendHead(stream);
  }

  /** Returns whether the uuid was the task's head; anything else (duplicate, stale, unknown) is ignored. */
  acknowledge(taskId: string, uuid: string): boolean {
    const stream = this.streams.get(taskId);
    const head = stream?.queue[0];
    if (!stream || !head || head.uuid !== uuid) {
      this.log.debug({ taskId, uuid }, 'acknowledgement ignored');
      return false;
    }
    stream.timer?.cancel();
    stream.timer = undefined;
    stream.queue.shift();
    stream.backoffMs = this.opts.retry.initialMs;
    const closes = isTerminal(head.state);
    if (closes) this.streams.delete(taskId);
    stream.writes = stream.writes.then(async () => {
      // A terminal ack closes the stream and its journal is deleted next; a crash in between only re-sends it.
      if (stream.checkpointed && !closes) {
        try {
          await this.opts.journal.appendAck(taskId, uuid);
        } catch (e) {
          // Worst case the update is re-sent after a restart; receivers are idempotent.
          this.log.error({ err: e, taskId, uuid }, 'status update acknowledgement checkpoint failed');
        }
      }
      if (closes) this.opts.onStreamClosed(taskId);
    });
    if (closes) {
      // The stream left the map; keep its last writes visible to flush().
      const last = stream.writes;
      this.closing.add(last);
      void last.then(() => this.closing.delete(last));
    }
    if (!closes && stream.queue.length > 0) this.sendHead(stream);
    return true;
  }

  /**
   * Starts delivering: every stream's head is sent now. Called again after a re-registration, it re-sends every
   * head at once with the backoff reset (the master may have been away for a while).
   */
  connect(): void {
    this.connected = true;
    for (const stream of this.streams.values()) {
      if (stream.queue.length === 0) continue;
      stream.timer?.cancel();
      stream.timer = undefined;
      stream.backoffMs = this.opts.retry.initialMs;
      this.sendHead(stream);
    }
  }

  /**
   * Stops delivering and retrying; resolves once every pending journal write has finished. If connected, it then
   * sends every unacknowledged update once more, in order: nothing re-sends them after this, and a stopping
   * agent's last updates (KILLED by a kill on stop) may still wait behind a head whose acknowledgement has not
   * arrived, or went out in a delivery that failed. They stay journaled; the next start replays the ones that
   * are still unacknowledged.
   */
  async close(): Promise<void> {
    const wasConnected = this.connected;
    this.connected = false;
    for (const stream of this.streams.values()) {
      stream.timer?.cancel();
      stream.timer = undefined;
    }
    await this.flush();
    if (!wasConnected) return;
    let sent = 0;
    for (const stream of this.streams.values()) {
      for (const status of stream.queue) {
        this.deliver(stream, status);
        sent++;
      }
    }
    if (sent > 0) this.log.info({ updates: sent }, 'unacknowledged status updates sent once more on close');
  }

  /** Resolves once every journal write queued so far has finished. */
  async flush(): Promise<void> {
    await Promise.all([...[...this.streams.values()].map((s) => s.writes), ...this.closing]);
  }

  /** How many updates of the task await acknowledgement. */
  pending(taskId: string): number {
    return this.streams.get(taskId)?.queue.length ?? 0;
  }

  private stream(taskId: string, checkpointed: boolean): Stream {
    let stream = this.streams.get(taskId);
    if (!stream) {
      stream = { taskId, checkpointed, queue: [], backoffMs: this.opts.retry.initialMs, writes: Promise.resolve() };
      this.streams.set(taskId, stream);
    }
    return stream;
  }

  private sendHead(stream: Stream): void {
    const head = stream.queue[0];
    if (!this.connected || !head) return;
    this.deliver(stream, head);
    stream.timer?.cancel();
    stream.timer = this.opts.clock.setTimeout(() => {
      stream.timer = undefined;
      if (this.streams.get(stream.taskId) !== stream || stream.queue[0] !== head) return;
      stream.backoffMs = Math.min(stream.backoffMs * 2, this.opts.retry.maxMs);
      this.log.debug({ taskId: stream.taskId, uuid: head.uuid, state: head.state }, 'status update resent');
      this.sendHead(stream);
    }, stream.backoffMs);
  }

  private deliver(stream: Stream, status: TaskStatus): void {
    try {
      this.opts.send(status);
    } catch (e) {
      // Retried like any undelivered update (after a close: replayed by the next start).
      this.log.warn({ err: e, taskId: stream.taskId, uuid: status.uuid }, 'status update send failed');
    }
  }
}

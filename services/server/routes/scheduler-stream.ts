/**
 * The server side of one SUBSCRIBE stream: a `FrameworkConnection` that writes events as RecordIO records of
 * Mesos JSON on a chunked HTTP response, with heartbeats.
 *
 * Events the master sends before the response head is written (SUBSCRIBED, re-sent updates) wait in a small
 * list. Records of one tick are joined into one write (one chunk, one syscall for a burst of updates), up to
 * 64 KiB at a time. A framework that stops
 * reading is cut off once `maxBufferedBytes` wait in the socket: its subscription ends, the master starts its
 * failover timeout, and nothing is lost — unacknowledged updates are re-sent when it re-subscribes, offers are
 * rescinded and made again.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Event, FrameworkConnection } from '../../../core/sdk/protocol.ts';
import { recordioFrame } from '../../../core/sdk/recordio.ts';
import { eventToWire } from '../../../core/sdk/scheduler-events-json.ts';

/**
 * Records waiting for the end of the tick go out at once when they reach this many characters. A burst (the
 * updates of thousands of tasks launched in one tick) is then a few 64 KiB chunks the framework reads while the
 * master is still busy, instead of one chunk of hundreds of KiB at the end: the framework's acknowledgements
 * come back sooner, and the text dies young instead of outliving garbage collections as one growing string.
 */
const FLUSH_AT = 64 * 1024;

export interface StreamOptions {
  heartbeatIntervalMs: number;
  maxBufferedBytes: number;
  log: FastifyBaseLogger;
}

export class SchedulerStream implements FrameworkConnection {
  private raw?: ServerResponse;
  private early: string[] = [];
  private batch?: string;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(private readonly opts: StreamOptions) {}

  /** Called by the master, in order. SUBSCRIBED announces the interval this stream really heartbeats at. */
  send(event: Event): void {
    if (this.closed) return;
    const e = event.type === 'SUBSCRIBED' ? { ...event, heartbeatIntervalSeconds: this.opts.heartbeatIntervalMs / 1000 } : event;
    const record = recordioFrame(JSON.stringify(eventToWire(e)));
    if (!this.raw) {
      this.early.push(record);
      return;
    }
    this.write(record);
  }

  /** The master ended the subscription (replaced, torn down, removed, stopping): say why, then end the stream. */
  close(reason: string): void {
    if (this.closed) return;
    this.send({ type: 'ERROR', message: reason });
    this.end();
  }

  /** Starts the response: head with the stream id, the events held so far, then heartbeats. */
  open(raw: ServerResponse, streamId: string): void {
    this.raw = raw;
    raw.writeHead(200, { 'content-type': 'application/json', 'mesos-stream-id': streamId, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    for (const r of this.early) this.write(r);
    this.early = [];
    this.heartbeat = setInterval(() => this.send({ type: 'HEARTBEAT' }), this.opts.heartbeatIntervalMs);
    this.heartbeat.unref();
    if (this.closed) this.end();
  }

  /** Ends the stream without an ERROR (server shutting down, connection lost). */
  end(): void {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.early = [];
    if (!this.raw) return;
    // The last records (the ERROR of a close) go out before the end.
    if (this.batch !== undefined) this.flush();
    if (!this.raw.writableEnded) this.raw.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private write(record: string): void {
    // Records of one tick go out as one write: a burst of updates is one chunk, not one per record.
    if (this.batch === undefined) {
      this.batch = record;
      process.nextTick(() => this.flush());
    } else {
      this.batch += record;
      if (this.batch.length >= FLUSH_AT) this.flush();
    }
  }

  private flush(): void {
    const raw = this.raw!;
    const data = this.batch;
    this.batch = undefined;
    if (data === undefined || raw.writableEnded || raw.destroyed) return;
    raw.write(data);
    if (raw.writableLength > this.opts.maxBufferedBytes) {
      this.opts.log.warn({ buffered: raw.writableLength }, 'framework not reading its event stream; disconnected');
      this.closed = true;
      if (this.heartbeat) clearInterval(this.heartbeat);
      raw.destroy();
    }
  }
}

import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { registryKeys } from './keys.ts';
import { fencedReply } from './fenced-error.ts';
import { coordinationScripts } from './scripts.ts';

export interface StreamEvent {
  /** The Redis stream id (`<ms>-<seq>`), usable as SSE `id` / `Last-Event-ID`. */
  id: string;
  type: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** Approximate cap (`MAXLEN ~`): Redis trims whole nodes, so the length may exceed it by ~100. Default 10,000. */
  maxLen?: number;
}

export interface ReadOptions {
  /** At most this many events per call. Default 100. */
  count?: number;
  /** Wait up to this long for an event after `afterId` (0 = forever, until `close()`). Absent: return at once. */
  blockMs?: number;
}

const MAX_IDLE_READERS = 4;

/**
 * The cluster's event log: one capped Redis Stream (`{prefix}:events`) of `type` + JSON `data` entries,
 * appended by the leader and read by every replica's SSE endpoint. Once `setEpoch` was called, appends are fenced
 * like registry writes: a deposed leader's events are refused (`FencedError`), not mixed into the new leader's.
 *
 * Blocking reads hold a connection for their whole wait, so each runs on its own duplicate of the
 * client (pooled, closed by `close()`); non-blocking reads and appends share the given client.
 * Several SSE clients should share one blocking reader and fan out, rather than one read each.
 */
export class RedisEventStream {
  private readonly key: string;
  private readonly epochKey: string;
  private epoch = 0;
  private readonly log: Logger;
  private readonly maxLen: number;
  private readonly idle: Redis[] = [];
  private readonly busy = new Set<Redis>();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    logger: Logger,
    opts: EventStreamOptions = {},
  ) {
    const keys = registryKeys(prefix);
    this.key = keys.events;
    this.epochKey = keys.epoch;
    this.log = logger.child({ component: 'event-stream' });
    this.maxLen = Math.max(1, Math.floor(opts.maxLen ?? 10_000));
  }

  /** The fencing epoch of the term appending from now on (as `RedisRegistryStore.setEpoch`). */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 1) throw new Error(`invalid fencing epoch ${epoch}`);
    this.epoch = epoch;
  }

  /** Appends one event; resolves with its id. Ids increase in append order. Fenced once an epoch is set. */
  async append(type: string, data: unknown): Promise<string> {
    if (!type) throw new Error('event type must be a non-empty string');
    const json = JSON.stringify(data ?? null);
    if (this.epoch > 0) {
      const epoch = this.epoch;
      return coordinationScripts(this.redis)
        .appendFenced(this.epochKey, this.key, epoch, this.maxLen, type, json)
        .catch((e: unknown) => {
          throw fencedReply(e) ?? e;
        });
    }
    const id = await this.redis.xadd(this.key, 'MAXLEN', '~', this.maxLen, '*', 'type', type, 'data', json);
    if (id === null) throw new Error('XADD returned no id');
    return id;
  }

  /**
   * Events with ids strictly after `afterId` (`'0'` = from the oldest kept, `'$'` = only new ones,
   * which makes sense with `blockMs`), oldest first. Returns [] on timeout, or if `close()` interrupts.
   */
  async read(afterId: string, opts: ReadOptions = {}): Promise<StreamEvent[]> {
    if (this.closed) return [];
    const count = Math.max(1, Math.floor(opts.count ?? 100));
    if (opts.blockMs === undefined) {
      return parseReply(await this.redis.xread('COUNT', count, 'STREAMS', this.key, afterId));
    }
    const conn = this.borrow();
    try {
      const reply = await conn.xread('COUNT', count, 'BLOCK', Math.max(0, Math.floor(opts.blockMs)), 'STREAMS', this.key, afterId);
      return parseReply(reply);
    } catch (error) {
      // close() disconnects blocked readers on purpose; that is an end of stream, not a failure.
      if (this.closed) return [];
      throw error;
    } finally {
      this.giveBack(conn);
    }
  }

  /** The newest id kept, or `'0-0'` if the stream is empty: pass it to `read` to get only later events. */
  async latestId(): Promise<string> {
    const reply = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1);
    return reply[0]?.[0] ?? '0-0';
  }

  /** The oldest id kept, or `'0-0'` if empty. A `Last-Event-ID` older than this means events were trimmed away. */
  async oldestId(): Promise<string> {
    const reply = await this.redis.xrange(this.key, '-', '+', 'COUNT', 1);
    return reply[0]?.[0] ?? '0-0';
  }

  /** Closes the blocking-read connections (interrupting reads in progress). The given client stays open. */
  async close(): Promise<void> {
    this.closed = true;
    for (const conn of this.busy) conn.disconnect();
    this.busy.clear();
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((conn) => conn.quit().then(() => undefined, (error: unknown) => {
      this.log.warn({ err: error }, 'closing event reader failed');
    })));
  }

  private borrow(): Redis {
    let conn = this.idle.pop();
    if (!conn) {
      conn = this.redis.duplicate();
      conn.on('error', (error: Error) => {
        if (!this.closed) this.log.warn({ err: error }, 'event reader connection error');
      });
      if (this.busy.size >= 100) this.log.warn({ readers: this.busy.size + 1 }, 'many concurrent blocking event reads: fan out from one');
    }
    this.busy.add(conn);
    return conn;
  }

  private giveBack(conn: Redis): void {
    if (!this.busy.delete(conn)) return;
    if (this.closed || this.idle.length >= MAX_IDLE_READERS) {
      conn.disconnect();
      return;
    }
    this.idle.push(conn);
  }
}

function parseReply(reply: unknown): StreamEvent[] {
  if (reply === null) return [];
  const streams = reply as Array<[string, Array<[string, string[]]>]>;
  const out: StreamEvent[] = [];
  for (const [, entries] of streams) {
    for (const [id, fields] of entries) {
      let type = '';
      let data: unknown = null;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        if (fields[i] === 'type') type = fields[i + 1];
        else if (fields[i] === 'data') data = JSON.parse(fields[i + 1]);
      }
      out.push({ id, type, data });
    }
  }
  return out;
}

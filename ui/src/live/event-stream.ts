/**
 * The live connection: `GET /v1/events` read with fetch (not EventSource, which only delivers event types it
 * was told about in advance and cannot say why it failed), parsed as SSE, resumed with `Last-Event-ID`.
 *
 *   connect ──200──► open ──stream ends / error / silent > STALL_MS──► lost ──retry (server's hint)──► connect
 *
 * Every transition to `open` tells subscribers to resync (refetch what they show): events between their last
 * fetch and the (re)connection may not all be replayed — a fresh stream starts at "now", and a `gap` means the
 * capped stream no longer held them.
 *
 * With auth, the stream sends the session's bearer token; a 401 is not a lost connection: it tells the session
 * (which asks for a token) and waits, `connecting`, until a token is taken.
 */

export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface LiveEvent {
  id?: string;
  type: string;
  data: unknown;
}

export interface ConnectionInfo {
  state: ConnectionState;
  /** When the connection was lost (ms since epoch); set while `lost`. */
  lostAt?: number;
  /** Why the last connection attempt or stream ended. */
  reason?: string;
  /** True on the `open` that follows a `lost`. */
  recovered: boolean;
}

import { SseParser, type SseFrame } from './sse-parser.ts';

/** Where the stream gets its Authorization header and whom it tells about a 401 (session.ts). */
export interface StreamAuth {
  headers(): Record<string, string>;
  unauthorized(sent: Record<string, string>): void;
  onToken(fn: () => void): () => void;
}

type EventListener = (e: LiveEvent) => void;
type InfoListener = (info: ConnectionInfo) => void;

/** The server sends a keepalive comment at least every 15 s; silence longer than this is a dead connection. */
const STALL_MS = 40_000;
const MAX_RETRY_MS = 10_000;

export class EventStream {
  private lastId: string | undefined;
  private retryMs = 2000;
  private failures = 0;
  private info: ConnectionInfo = { state: 'connecting', recovered: false };
  private readonly events = new Set<EventListener>();
  private readonly resyncs = new Set<() => void>();
  private readonly infos = new Set<InfoListener>();
  private controller: AbortController | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private needsToken = false;

  constructor(
    private readonly url: string,
    private readonly auth?: StreamAuth,
  ) {
    auth?.onToken(() => this.retryNow());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
  }

  /** Retry now instead of waiting for the retry delay (the banner's "retry now"). */
  retryNow(): void {
    this.wake?.();
  }

  get connection(): ConnectionInfo {
    return this.info;
  }

  onEvent(fn: EventListener): () => void {
    this.events.add(fn);
    return () => this.events.delete(fn);
  }

  /** Called after every (re)connection and on a `gap`: refetch whatever is shown. */
  onResync(fn: () => void): () => void {
    this.resyncs.add(fn);
    return () => this.resyncs.delete(fn);
  }

  onConnection(fn: InfoListener): () => void {
    this.infos.add(fn);
    return () => this.infos.delete(fn);
  }

  private setInfo(info: ConnectionInfo): void {
    this.info = info;
    for (const fn of this.infos) fn(info);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let reason: string;
      try {
        reason = await this.connectOnce();
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
      }
      if (this.stopped) return;
      if (this.needsToken) {
        this.setInfo({ state: 'connecting', reason, recovered: false });
        await this.sleep(undefined);
        continue;
      }
      this.failures++;
      const lostAt = this.info.state === 'lost' ? this.info.lostAt : Date.now();
      this.setInfo({ state: 'lost', lostAt, reason, recovered: false });
      await this.sleep(Math.min(this.retryMs * Math.min(this.failures, 3), MAX_RETRY_MS));
    }
  }

  /** One connection, until it ends; resolves with why it ended. */
  private async connectOnce(): Promise<string> {
    const controller = new AbortController();
    this.controller = controller;
    const auth = this.auth?.headers() ?? {};
    const headers: Record<string, string> = { accept: 'text/event-stream', ...auth };
    if (this.lastId) headers['last-event-id'] = this.lastId;
    this.needsToken = false;
    const res = await fetch(this.url, { headers, signal: controller.signal, cache: 'no-store' });
    if (res.status === 401) {
      await res.body?.cancel();
      this.needsToken = true;
      this.auth?.unauthorized(auth);
      return 'waiting for an API token';
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      return `the server answered ${res.status}`;
    }
    const wasLost = this.info.state === 'lost';
    this.failures = 0;
    this.setInfo({ state: 'open', recovered: wasLost });
    for (const fn of this.resyncs) fn();

    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, STALL_MS);
    };
    arm();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser((frame) => this.dispatch(frame));
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'the server closed the event stream';
        arm();
        parser.push(value);
      }
    } catch (e) {
      if (stalled) return `no data from the server for ${STALL_MS / 1000} s`;
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private dispatch(frame: SseFrame): void {
    if (frame.retry !== undefined) this.retryMs = frame.retry;
    if (frame.id !== undefined) this.lastId = frame.id;
    if (frame.data === undefined) return;
    if (frame.event === 'gap') {
      for (const fn of this.resyncs) fn();
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch (notJson) {
      if (!(notJson instanceof SyntaxError)) throw notJson;
      data = frame.data;
    }
    const e: LiveEvent = { id: frame.id, type: frame.event ?? 'message', data };
    for (const fn of this.events) fn(e);
  }

  /** Until `ms` passes (undefined: until woken by retryNow or stop). */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const t = ms === undefined ? undefined : setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

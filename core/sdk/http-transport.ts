/**
 * A transport to a remote master over `POST /api/v1/scheduler` (Mesos v1 scheduler API in JSON), with the same
 * interface as the in-process one, so a framework runs unchanged in or out of the master's process.
 *
 *   subscribe ──SUBSCRIBE──▶ master: one long response, RecordIO events ──▶ onEvent (in order)
 *   call ──ACCEPT/DECLINE/…, header Mesos-Stream-Id──▶ master (pooled keep-alive connections) ──▶ 202 | problem
 *
 * Connection loss (stream ended or broken, or no byte for `missedHeartbeats` heartbeat intervals) is not the end
 * of the subscription: the transport re-subscribes with the framework id, backing off exponentially (with
 * jitter) up to `backoff.maxMs`, and the master re-sends every update not yet acknowledged; the driver
 * reconciles on each new SUBSCRIBED. Calls made while reconnecting fail with FRAMEWORK_NOT_SUBSCRIBED. The
 * subscription ends (`onClose`) only when the master ends it on purpose (an ERROR record: torn down, replaced,
 * removed), refuses the re-subscription (framework gone, credentials refused), or `close()` is called.
 *
 * Several masters (HA replicas, `url` plus `otherUrls`): a replica that does not lead answers 307 with the
 * leader's address (as Mesos does); SUBSCRIBE and calls follow it, and later calls go to the leader directly.
 * When the stream is lost, each re-subscription attempt goes to the next known master, so a dead leader is
 * skipped and a follower redirects to its successor.
 */
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../logging/logger.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { Call, CallError, Event, FrameworkInfo } from './protocol.ts';
import { RecordIoReader } from './recordio.ts';
import { eventFromWire } from './scheduler-events-json.ts';
import { callToWire, frameworkInfoToWire } from './scheduler-json.ts';
import type { Transport } from './transport.ts';

export interface HttpTransportOptions {
  /** The master's base URL, e.g. `http://10.0.0.5:5050`. */
  url: string;
  /** The other replicas of an HA master (any of them redirects to the leader); tried in turn after a stream loss. */
  otherUrls?: string[];
  logger: Logger;
  /** Principal and secret, when the master requires framework credentials. */
  credentials?: { principal: string; secret: string };
  /** Re-subscription backoff; default 200 ms doubling to 15 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** The stream counts as dead after this many heartbeat intervals without a byte; default 5 (Mesos' guidance). */
  missedHeartbeats?: number;
  /** Connections for calls (the event stream has its own); default 8. */
  maxConnections?: number;
  /**
   * Send the calls made in one event-loop turn as one request to `/api/v1/scheduler/batch` (an Orrery extension;
   * a lone call still goes to `/api/v1/scheduler`). Default true; false for a master that only speaks Mesos' API.
   */
  batchCalls?: boolean;
  /** A SUBSCRIBE that gets no SUBSCRIBED record within this fails (and is retried when re-subscribing); default 30 s. */
  subscribeTimeoutMs?: number;
}

interface QueuedCall {
  body: string;
  type: string;
  resolve: (r: Result<void, CallError>) => void;
}

const DONE: Result<void, CallError> = Object.freeze(ok(undefined));
const NOT_SUBSCRIBED: Result<void, CallError> = Object.freeze(err({ code: 'FRAMEWORK_NOT_SUBSCRIBED', message: 'not subscribed (reconnecting to the master, or closed)' }));
/** Well under the master's 1 MiB body limit. */
const MAX_BATCH_BYTES = 512 * 1024;
const MAX_BATCH_CALLS = 1000;

type Session = { frameworkId: string; streamId: string };

/** Problem codes of the master → the SDK's CallError codes, so callers (and the driver) see the same codes in or out of process. */
const CODE_OF_PROBLEM: Readonly<Record<string, string>> = {
  ORR_ERR_FRAMEWORK_NOT_FOUND: 'FRAMEWORK_NOT_FOUND',
  ORR_ERR_SCHEDULER_NOT_SUBSCRIBED: 'FRAMEWORK_NOT_SUBSCRIBED',
  ORR_ERR_OFFER_NOT_FOUND: 'OFFER_NOT_FOUND',
  ORR_ERR_TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  ORR_ERR_CONFLICT: 'TASK_ID_IN_USE',
  ORR_ERR_RESOURCES_UNSATISFIABLE: 'RESOURCES_INSUFFICIENT',
  ORR_ERR_SCHEDULER_UPDATE_NOT_FOUND: 'UPDATE_NOT_FOUND',
  ORR_ERR_VALIDATION: 'INVALID_FIELD',
};

/** Refusals after which re-subscribing cannot help. */
const FINAL = new Set(['FRAMEWORK_NOT_FOUND', 'ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED', 'ORR_ERR_SCHEDULER_PRINCIPAL_MISMATCH', 'INVALID_FIELD']);

function problemToCallError(status: number, body: string): CallError {
  try {
    const p = JSON.parse(body) as { code?: unknown; detail?: unknown; errors?: Array<{ field?: unknown }> };
    const code = typeof p.code === 'string' ? (CODE_OF_PROBLEM[p.code] ?? p.code) : `HTTP_${status}`;
    const e: CallError = { code, message: typeof p.detail === 'string' ? p.detail : `HTTP ${status}` };
    const field = p.errors?.[0]?.field;
    if (typeof field === 'string') e.field = field;
    return e;
  } catch {
    return { code: `HTTP_${status}`, message: body.slice(0, 500) || `HTTP ${status}` };
  }
}

/** Redirects followed per request (a follower names the leader; a second hop means an election is under way). */
const MAX_REDIRECTS = 3;

export class HttpTransport implements Transport {
  private readonly bases: string[];
  private baseIndex = 0;
  /** The master requests go to: a configured one, or the leader a 307 named. */
  private base: string;
  private queue: QueuedCall[] = [];
  private readonly client: typeof http | typeof https;
  private readonly callAgent: http.Agent;
  private readonly log: Logger;
  private readonly auth?: string;
  private session?: Session;
  /** Known from the first SUBSCRIBED on; what re-subscriptions use. */
  private frameworkId?: string;
  private stream?: http.ClientRequest;
  private closed = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly opts: HttpTransportOptions) {
    this.bases = [opts.url, ...(opts.otherUrls ?? [])].map((u) => new URL(u).origin);
    this.base = this.bases[0] as string;
    this.client = this.endpoint.protocol === 'https:' ? https : http;
    this.callAgent = new this.client.Agent({ keepAlive: true, maxSockets: opts.maxConnections ?? 8 });
    this.log = opts.logger.child({ component: 'http-transport', master: this.base });
    if (opts.credentials) this.auth = `Basic ${Buffer.from(`${opts.credentials.principal}:${opts.credentials.secret}`, 'utf8').toString('base64')}`;
  }

  private get endpoint(): URL {
    return new URL('/api/v1/scheduler', this.base);
  }

  private get batchEndpoint(): URL {
    return new URL('/api/v1/scheduler/batch', this.base);
  }

  /** A 307/308 from a replica that does not lead: use the leader it names from now on. False when there is none. */
  private redirected(status: number | undefined, location: string | string[] | undefined): boolean {
    if ((status !== 307 && status !== 308) || typeof location !== 'string') return false;
    let origin: string;
    try {
      origin = new URL(location, this.base).origin;
    } catch {
      return false;
    }
    if (origin !== this.base) this.log.info({ from: this.base, to: origin }, 'redirected to the leading master');
    this.base = origin;
    return true;
  }

  async subscribe(info: FrameworkInfo, onEvent: (event: Event) => void, onClose: (reason: string) => void): Promise<Result<Session, CallError>> {
    this.closed = false;
    return this.openStream(info, onEvent, (reason, final) => this.lost(info, onEvent, onClose, reason, final));
  }

  /**
   * Uses the current stream's id: after a re-subscription the driver's copy of it is stale, the framework is not.
   * Calls made in the same event-loop turn travel together (see `batchCalls`), in the order they were made.
   */
  call(frameworkId: string, _streamId: string, call: Call): Promise<Result<void, CallError>> {
    if (!this.session || this.closed) return Promise.resolve(NOT_SUBSCRIBED);
    const body = JSON.stringify(callToWire(frameworkId, call));
    if (this.opts.batchCalls === false) return this.post(this.endpoint, body, this.session.streamId, call.type).then((r) => (r.ok ? DONE : r));
    return new Promise((resolve) => {
      this.queue.push({ body, type: call.type, resolve });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queue;
    this.queue = [];
    const session = this.session;
    if (!session || this.closed) {
      for (const q of queued) q.resolve(NOT_SUBSCRIBED);
      return;
    }
    let batch: QueuedCall[] = [];
    let bytes = 0;
    for (const q of queued) {
      if (batch.length > 0 && (bytes + q.body.length > MAX_BATCH_BYTES || batch.length >= MAX_BATCH_CALLS)) {
        void this.sendBatch(batch, session.streamId);
        batch = [];
        bytes = 0;
      }
      batch.push(q);
      bytes += q.body.length + 1;
    }
    if (batch.length > 0) void this.sendBatch(batch, session.streamId);
  }

  private async sendBatch(batch: QueuedCall[], streamId: string): Promise<void> {
    if (batch.length === 1) {
      const r = await this.post(this.endpoint, batch[0].body, streamId, batch[0].type);
      batch[0].resolve(r.ok ? DONE : r);
      return;
    }
    // Joined into one flat string: a concatenation of the joined calls would be copied again when measured.
    const parts = batch.map((q) => q.body);
    parts[0] = `{"calls":[${parts[0]}`;
    parts[parts.length - 1] += ']}';
    const r = await this.post(this.batchEndpoint, parts.join(','), streamId, 'batch');
    if (!r.ok) {
      for (const q of batch) q.resolve(r);
      return;
    }
    const results = (r.value as { results?: Array<{ status?: number; problem?: unknown }> } | undefined)?.results;
    for (let i = 0; i < batch.length; i++) {
      const one = results?.[i];
      if (one?.status === 202) batch[i].resolve(DONE);
      else batch[i].resolve(err(one ? problemToCallError(one.status ?? 0, JSON.stringify(one.problem ?? {})) : { code: 'UNAVAILABLE', message: 'the master sent no result for this call' }));
    }
  }

  /** One POST; 2xx → the parsed body (if any), otherwise the problem as a CallError. */
  private post(url: URL, body: string, streamId: string, what: string, redirects = 0): Promise<Result<unknown, CallError>> {
    return new Promise((resolve) => {
      const req = this.client.request(url, { method: 'POST', agent: this.callAgent, headers: this.headers(body, streamId) }, (res) => {
        if (redirects < MAX_REDIRECTS && this.redirected(res.statusCode, res.headers.location)) {
          res.resume();
          resolve(this.post(new URL(url.pathname, this.base), body, streamId, what, redirects + 1));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString('utf8');
          if (status === 202 || status === 204) resolve(ok(undefined));
          else if (status >= 200 && status < 300) {
            try {
              resolve(ok(text ? (JSON.parse(text) as unknown) : undefined));
            } catch {
              resolve(err({ code: 'UNAVAILABLE', message: `${what}: the master answered with malformed JSON` }));
            }
          } else resolve(err(problemToCallError(status, text)));
        });
        res.on('error', (e) => resolve(err({ code: 'UNAVAILABLE', message: `${what} failed: ${e.message}` })));
      });
      req.on('error', (e) => resolve(err({ code: 'UNAVAILABLE', message: `${what} failed: ${e.message}` })));
      req.end(body);
    });
  }

  close(): void {
    this.closed = true;
    this.session = undefined;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stream?.destroy();
    this.stream = undefined;
    this.callAgent.destroy();
  }

  private headers(body: string, streamId?: string): http.OutgoingHttpHeaders {
    const h: http.OutgoingHttpHeaders = { 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) };
    if (streamId) h['mesos-stream-id'] = streamId;
    if (this.auth) h.authorization = this.auth;
    return h;
  }

  /** The stream ended; `final` when the master ended it on purpose. Re-subscribes unless that, or closed. */
  private lost(info: FrameworkInfo, onEvent: (e: Event) => void, onClose: (reason: string) => void, reason: string, final: boolean): void {
    const frameworkId = this.frameworkId;
    this.session = undefined;
    this.stream = undefined;
    if (this.closed) return;
    if (final || !frameworkId) {
      this.closed = true;
      onClose(reason);
      return;
    }
    this.log.warn({ frameworkId, reason }, 'event stream lost; re-subscribing');
    const backoff = this.opts.backoff ?? { initialMs: 200, maxMs: 15_000 };
    let attempt = 0;
    const retry = (): void => {
      const delay = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt++;
      this.retryTimer = setTimeout(() => {
        if (this.closed) return;
        // The master that served the stream may be gone: try the next known one (a follower redirects to the leader).
        if (this.bases.length > 1) {
          this.baseIndex = (this.baseIndex + 1) % this.bases.length;
          this.base = this.bases[this.baseIndex] as string;
        }
        void this.openStream({ ...info, id: frameworkId }, onEvent, (r, f) => this.lost(info, onEvent, onClose, r, f)).then((result) => {
          if (this.closed) return;
          if (result.ok) {
            this.log.info({ frameworkId, attempts: attempt }, 're-subscribed');
          } else if (FINAL.has(result.error.code)) {
            this.closed = true;
            this.log.warn({ frameworkId, error: result.error }, 're-subscription refused; subscription over');
            onClose(result.error.message);
          } else {
            this.log.debug({ frameworkId, error: result.error, attempt }, 're-subscription failed; retrying');
            retry();
          }
        });
      }, delay);
    };
    retry();
  }

  /**
   * Opens one SUBSCRIBE stream. Resolves at its SUBSCRIBED record (or with the refusal); afterwards `onEnd` is
   * called exactly once when the stream ends, with `final` true when an ERROR record came before the end.
   */
  private openStream(info: FrameworkInfo, onEvent: (e: Event) => void, onEnd: (reason: string, final: boolean) => void, redirects = 0): Promise<Result<Session, CallError>> {
    const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfoToWire(info) } });
    return new Promise((resolve) => {
      let settled = false;
      let ended = false;
      let errorMessage: string | undefined;
      let watchdog: NodeJS.Timeout | undefined;
      let watchdogMs = 0;
      let frameworkId = info.id ?? '';
      // A master that accepts the connection but never says SUBSCRIBED must not hang the caller.
      const giveUp = setTimeout(() => req.destroy(new Error('no SUBSCRIBED from the master in time')), this.opts.subscribeTimeoutMs ?? 30_000);
      const settle = (r: Result<Session, CallError>): void => {
        clearTimeout(giveUp);
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      const end = (reason: string): void => {
        if (watchdog) clearTimeout(watchdog);
        if (!settled) {
          settle(err({ code: 'UNAVAILABLE', message: reason }));
          return;
        }
        if (ended) return;
        ended = true;
        onEnd(errorMessage ?? reason, errorMessage !== undefined);
      };
      const req = this.client.request(this.endpoint, { method: 'POST', headers: this.headers(body) }, (res) => {
        if (redirects < MAX_REDIRECTS && this.redirected(res.statusCode, res.headers.location)) {
          res.resume();
          clearTimeout(giveUp);
          // This request is done with; the redirected one reports to the caller and to onEnd.
          settled = true;
          ended = true;
          resolve(this.openStream(info, onEvent, onEnd, redirects + 1));
          return;
        }
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => settle(err(problemToCallError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')))));
          res.on('error', (e) => end(e.message));
          return;
        }
        const streamId = String(res.headers['mesos-stream-id'] ?? '');
        const reader = new RecordIoReader();
        const arm = (): void => {
          if (watchdogMs === 0) return;
          if (watchdog) clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            this.log.warn({ frameworkId, silentMs: watchdogMs }, 'no heartbeat from the master; dropping the stream');
            req.destroy(new Error('heartbeat timeout'));
          }, watchdogMs);
          watchdog.unref();
        };
        res.on('data', (chunk: Buffer) => {
          arm();
          let records: string[];
          try {
            records = reader.push(chunk);
          } catch (e) {
            req.destroy(e as Error);
            return;
          }
          for (const text of records) {
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              this.log.warn({ record: text.slice(0, 200) }, 'event record is not JSON; skipped');
              continue;
            }
            const event = eventFromWire(json, frameworkId);
            if (!event) continue;
            if (event.type === 'SUBSCRIBED') {
              frameworkId = event.frameworkId;
              watchdogMs = Math.max(1000, event.heartbeatIntervalSeconds * 1000 * (this.opts.missedHeartbeats ?? 5));
              arm();
              // Set here, not when the caller resumes: the stream may already have ended by then.
              this.frameworkId = frameworkId;
              this.session = { frameworkId, streamId };
              settle(ok({ frameworkId, streamId }));
            } else if (event.type === 'ERROR') {
              errorMessage = event.message;
            }
            onEvent(event);
          }
        });
        res.on('end', () => end('the master ended the event stream'));
        res.on('error', (e) => end(e.message));
        res.on('close', () => end('event stream closed'));
      });
      req.on('error', (e) => end(e.message));
      req.end(body);
      this.stream = req;
    });
  }
}

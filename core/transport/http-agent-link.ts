/**
 * The master's side of one remote agent: `AgentLink` over HTTP (see agent-wire.ts for the protocol).
 *
 * launch / kill / acknowledge are queued in call order and sent as batches, one request in flight: everything
 * called while a request is out goes in the next one. A batch that fails in transport (or with 5xx) is re-sent
 * with backoff under the same sequence number (the agent skips a number it already applied) until `giveUpMs`;
 * then it is dropped and logged — by then the agent has missed its heartbeats too and the master's liveness
 * check takes over. A 409 means the agent registered again since this link was made: the link closes itself
 * (the new registration made a new link). readFile is a plain request/response.
 */
import type { Clock } from '../clock/clock.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { Logger } from '../logging/logger.ts';
import type { AgentLink, FileChunk, TaskStats } from '../agent/protocol.ts';
import type { CallError, TaskInfo } from '../sdk/protocol.ts';
import { AgentPaths, CLUSTER_SECRET_HEADER, MAX_BATCH, type AgentMessage, type MessagesRequest, type PingRequest, type ReadFileRequest, type TaskStatsRequest } from './agent-wire.ts';
import { JsonHttpClient, problemCode, problemDetail } from './json-http-client.ts';

export interface HttpAgentLinkOptions {
  /** The agent's advertised base URL. */
  url: string;
  sessionId: string;
  /** The master's leadership epoch, sent with every message batch and ping (see agent-wire.ts, Fencing). */
  epoch?: number;
  agentLabel?: string;
  clusterSecret: string;
  clock: Clock;
  logger: Logger;
  /** Re-send backoff of a failed batch. Default 200 → 5000 ms. */
  retry?: { initialMs: number; maxMs: number };
  /** A batch still undelivered after this long is dropped. Default 60 s. */
  giveUpMs?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
}

export class HttpAgentLink implements AgentLink {
  readonly remote = true;
  readonly sessionId: string;
  readonly url: string;
  private readonly http: JsonHttpClient;
  private readonly log: Logger;
  private queue: AgentMessage[] = [];
  private sending = false;
  private flushScheduled = false;
  private seq = 0;
  private closed = false;

  constructor(private readonly opts: HttpAgentLinkOptions) {
    this.sessionId = opts.sessionId;
    this.url = opts.url;
    this.http = new JsonHttpClient({ baseUrl: opts.url, headers: { [CLUSTER_SECRET_HEADER]: opts.clusterSecret }, timeoutMs: opts.timeoutMs });
    this.log = opts.logger.child({ component: 'agent-link', agentUrl: this.http.baseUrl });
  }

  launch(frameworkId: string, task: TaskInfo): void {
    this.push({ type: 'LAUNCH', frameworkId, task });
  }

  kill(frameworkId: string, taskId: string, gracePeriodMs?: number): void {
    this.push(gracePeriodMs === undefined ? { type: 'KILL', frameworkId, taskId } : { type: 'KILL', frameworkId, taskId, gracePeriodMs });
  }

  acknowledge(taskId: string, uuid: string): void {
    this.push({ type: 'ACKNOWLEDGE', taskId, uuid });
  }

  async readFile(taskId: string, path: string, offset: number, length: number): Promise<Result<FileChunk, CallError>> {
    const body: ReadFileRequest = { taskId, path, offset, length };
    return this.request<FileChunk>(AgentPaths.readFile, body);
  }

  async taskStats(taskId: string): Promise<Result<TaskStats, CallError>> {
    const body: TaskStatsRequest = { taskId };
    return this.request<TaskStats>(AgentPaths.taskStats, body);
  }

  /** A plain request/response call: 200 → the body; 4xx → the agent's refusal; anything else → unavailable. */
  private async request<T>(path: string, body: unknown): Promise<Result<T, CallError>> {
    const r = await this.http.post(path, body);
    if (!r.ok) return err({ code: 'AGENT_UNAVAILABLE', message: `agent at ${this.http.baseUrl} did not answer: ${r.error.message}` });
    const res = r.value;
    if (res.status === 200) return ok(res.body as T);
    if (res.status >= 400 && res.status < 500) {
      const field = (res.body as { errors?: Array<{ field?: unknown }> } | undefined)?.errors?.[0]?.field;
      const e: CallError = { code: problemCode(res.body) ?? 'VALIDATION', message: problemDetail(res) };
      if (typeof field === 'string') e.field = field.replace(/^body\./, '');
      return err(e);
    }
    return err({ code: 'AGENT_UNAVAILABLE', message: `agent at ${this.http.baseUrl} answered ${problemDetail(res)}` });
  }

  /**
   * Whether the master reaches the agent that registers with this session at `url` (a wrong advertised address
   * would otherwise only show as launches that never arrive). Resolves with why not.
   */
  async probe(timeoutMs = 5000): Promise<Result<void, string>> {
    const body: PingRequest = this.opts.epoch === undefined ? { sessionId: this.sessionId } : { sessionId: this.sessionId, epoch: this.opts.epoch };
    const r = await this.http.post(AgentPaths.ping, body, timeoutMs);
    if (!r.ok) return err(r.error.message);
    if (r.value.status === 200) return ok(undefined);
    if (r.value.status === 409 && problemCode(r.value.body) === 'ORR_ERR_AGENT_EPOCH_STALE') return err('the agent follows a newer leader (this master was deposed)');
    if (r.value.status === 409) return err('another agent (or another session) answers there');
    if (r.value.status === 401) return err('the agent there refuses this cluster secret');
    return err(`it answered ${problemDetail(r.value)}`);
  }

  /** True once closed: everything sent on it from then on is dropped. */
  get isClosed(): boolean {
    return this.closed;
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    if (this.queue.length > 0) this.log.info({ reason, dropped: this.queue.length }, 'agent link closed with messages unsent');
    this.queue = [];
    this.http.close();
  }

  private push(message: AgentMessage): void {
    if (this.closed) {
      this.log.debug({ type: message.type }, 'message on a closed agent link dropped');
      return;
    }
    this.queue.push(message);
    if (this.sending || this.flushScheduled) return;
    // Calls of this turn travel together.
    this.flushScheduled = true;
    this.opts.clock.setTimeout(() => {
      this.flushScheduled = false;
      void this.flush();
    }, 0);
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const messages = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
        this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
        await this.deliver({ sessionId: this.sessionId, seq: ++this.seq, messages, ...(this.opts.epoch !== undefined && { epoch: this.opts.epoch }) });
      }
    } finally {
      this.sending = false;
    }
  }

  private async deliver(batch: MessagesRequest): Promise<void> {
    const retry = this.opts.retry ?? { initialMs: 200, maxMs: 5000 };
    const giveUpAt = this.opts.clock.now() + (this.opts.giveUpMs ?? 60_000);
    let delay = retry.initialMs;
    for (let attempt = 1; ; attempt++) {
      const r = await this.http.post(AgentPaths.messages, batch);
      if (r.ok && r.value.status < 300) return;
      if (r.ok && r.value.status === 409 && problemCode(r.value.body) === 'ORR_ERR_AGENT_EPOCH_STALE') {
        this.log.warn({ epoch: this.opts.epoch, messages: describe(batch.messages) }, 'agent refused messages: it follows a newer leader (this master was deposed); link closed');
        this.close('deposed');
        return;
      }
      if (r.ok && r.value.status === 409) {
        this.log.info({ sessionId: this.sessionId }, 'agent has a newer session; link closed');
        this.close('agent registered again');
        return;
      }
      if (r.ok && r.value.status >= 400 && r.value.status < 500) {
        // Refused as it is (401, 400): re-sending the same batch cannot help.
        this.log.error({ status: r.value.status, detail: problemDetail(r.value), messages: describe(batch.messages) }, 'agent refused messages; dropped');
        return;
      }
      const why = r.ok ? problemDetail(r.value) : r.error.message;
      if (this.closed || this.opts.clock.now() >= giveUpAt) {
        this.log.error({ attempts: attempt, why, messages: describe(batch.messages) }, 'messages to agent undeliverable; dropped');
        return;
      }
      if (attempt === 1) this.log.warn({ why }, 'messages to agent not delivered; retrying');
      await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, delay));
      delay = Math.min(delay * 2, retry.maxMs);
    }
  }
}

function describe(messages: AgentMessage[]): string[] {
  return messages.slice(0, 20).map((m) => `${m.type} ${m.type === 'LAUNCH' ? m.task.taskId : m.taskId}`);
}

/**
 * The agent's side of the link to its master: `MasterForAgents` over HTTP (see agent-wire.ts), plus what keeps
 * the link alive — heartbeats, and re-registration by itself when the master asks for it (a restarted master,
 * or one that marked this agent disconnected after a network cut).
 *
 *   registerAgent ─ new session ─ POST register ─(transport error / 5xx: backoff, retry)─▶ ok ─▶ heartbeats
 *   heartbeat every interval ──409 not registered──▶ onReregister() (the agent reports its tasks again), backoff
 *   statusUpdate ─ batched per turn, one request in flight; a failed batch is dropped (the agent's update
 *                  streams re-send until acknowledged); 409 ─▶ onReregister()
 *
 * Several masters (HA replicas): requests go to one of them; after a transport failure or a 5xx (e.g. 503 no leader
 * yet) the next one is tried. Any replica forwards agent calls to the leader, so the one in use need not lead; a new
 * leader does not hold this agent's session, answers 409, and the agent registers again with its tasks.
 *
 * Refusals (401 wrong secret, 400 invalid registration, 409 agent gone) end `registerAgent` with an error the
 * caller reports; the agent process then exits, as retrying the same registration cannot succeed.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import { err, ok, type Result } from '../errors/result.ts';
import type { Logger } from '../logging/logger.ts';
import type { AgentLink, AgentRegistration, MasterForAgents } from '../agent/protocol.ts';
import type { CallError, TaskStatus } from '../sdk/protocol.ts';
import { AgentPaths, CLUSTER_SECRET_HEADER, MAX_BATCH, type HeartbeatRequest, type RegisterRequest, type RegisterResponse, type UpdatesRequest } from './agent-wire.ts';
import { JsonHttpClient, problemCode, problemDetail, type JsonResponse } from './json-http-client.ts';

export interface HttpMasterClientOptions {
  /** The master's URL, or the URLs of its replicas (any of them; they forward to the leader). */
  masterUrl: string | string[];
  /** Where the master reaches this agent's HTTP server. */
  agentUrl: string;
  clusterSecret: string;
  clock: Clock;
  logger: Logger;
  /** Backoff of registration attempts the master did not answer. Default 500 → 15000 ms, doubling, with jitter. */
  registerRetry?: { initialMs: number; maxMs: number };
  /** Per request. Default 10 s. */
  timeoutMs?: number;
}

export class HttpMasterClient implements MasterForAgents {
  private readonly clients: JsonHttpClient[];
  private current = 0;
  private log: Logger;
  private session?: string;
  private agentId?: string;
  private heartbeatTimer?: TimerHandle;
  private heartbeatIntervalMs = 5000;
  private beating = false;
  private missed = 0;
  private reregistering = false;
  private onReregister?: () => Promise<Result<unknown, CallError>>;
  private updates: TaskStatus[] = [];
  private sendingUpdates = false;
  private flushScheduled = false;
  private stopped = false;
  /** Set by `flush` (shutdown): undelivered updates are retried here, since nothing else will re-send them. */
  private draining = false;
  private sleeping?: { timer: TimerHandle; wake: () => void };

  constructor(private readonly opts: HttpMasterClientOptions) {
    const urls = Array.isArray(opts.masterUrl) ? opts.masterUrl : [opts.masterUrl];
    if (urls.length === 0) throw new Error('no master URL');
    this.clients = urls.map((baseUrl) => new JsonHttpClient({ baseUrl, headers: { [CLUSTER_SECRET_HEADER]: opts.clusterSecret }, timeoutMs: opts.timeoutMs }));
    this.log = opts.logger.child({ component: 'master-client', master: this.http.baseUrl });
  }

  /** The replica in use. */
  private get http(): JsonHttpClient {
    return this.clients[this.current] as JsonHttpClient;
  }

  /** The replica requests go to now. */
  get masterUrl(): string {
    return this.http.baseUrl;
  }

  /** After a failure of the replica in use: try the next one (a no-op with one master). */
  private nextMaster(why: string): void {
    if (this.clients.length < 2) return;
    const from = this.http.baseUrl;
    this.current = (this.current + 1) % this.clients.length;
    this.log = this.opts.logger.child({ component: 'master-client', master: this.http.baseUrl });
    this.log.info({ from, why }, 'trying another master replica');
  }

  /** Whether a result says this replica cannot serve now (down, or no leader behind it). */
  private static unavailable(r: Result<JsonResponse, Error>): boolean {
    return !r.ok || r.value.status >= 500;
  }

  /** The session of the current (or in-progress) registration: the agent's server accepts messages of this one only. */
  get sessionId(): string | undefined {
    return this.session;
  }

  /** Called when the master asks the agent to register again; wire it to `Agent.reregister`. */
  setReregister(fn: () => Promise<Result<unknown, CallError>>): void {
    this.onReregister = fn;
  }

  /**
   * Registers, retrying (with backoff) for as long as the master does not answer; resolves with the master's
   * refusal if it refuses. The link argument is the local agent: the master reaches it at `agentUrl` instead.
   */
  async registerAgent(reg: AgentRegistration, _link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    this.stopHeartbeats();
    const sessionId = randomUUID();
    this.session = sessionId;
    const body: RegisterRequest = { sessionId, url: this.opts.agentUrl, registration: reg };
    const retry = this.opts.registerRetry ?? { initialMs: 500, maxMs: 15_000 };
    let delay = retry.initialMs;
    for (let attempt = 1; !this.stopped; attempt++) {
      const r = await this.http.post(AgentPaths.register, body);
      if (r.ok && r.value.status === 200) {
        const answer = r.value.body as RegisterResponse;
        this.agentId = answer.agentId;
        this.heartbeatIntervalMs = answer.heartbeatIntervalMs;
        this.log.info({ agentId: answer.agentId, masterId: answer.masterId, attempts: attempt, heartbeatIntervalMs: answer.heartbeatIntervalMs }, 'registered with the master');
        this.startHeartbeats();
        return ok({ agentId: answer.agentId });
      }
      if (r.ok && r.value.status >= 400 && r.value.status < 500 && r.value.status !== 408 && r.value.status !== 429) {
        this.log.error({ status: r.value.status, code: problemCode(r.value.body), detail: problemDetail(r.value) }, 'the master refused the registration');
        return err(callError(r.value));
      }
      const why = r.ok ? problemDetail(r.value) : r.error.message;
      if (attempt === 1 || attempt % 10 === 0) this.log.warn({ attempt, why, retryInMs: delay }, 'master not reachable; registration retried');
      this.nextMaster(why);
      // Jitter spreads the agents of a restarted master (Mesos: a random delay in [0, backoff]).
      await this.sleep(delay / 2 + Math.random() * (delay / 2));
      delay = Math.min(delay * 2, retry.maxMs);
    }
    return err({ code: 'UNAVAILABLE', message: 'agent stopping' });
  }

  statusUpdate(_agentId: string, status: TaskStatus): void {
    if (this.stopped) return;
    this.updates.push(status);
    if (this.sendingUpdates || this.flushScheduled) return;
    this.flushScheduled = true;
    this.opts.clock.setTimeout(() => {
      this.flushScheduled = false;
      void this.flushUpdates();
    }, 0);
  }

  async heartbeat(agentId: string): Promise<Result<void, CallError>> {
    const session = this.session;
    if (!session) return err({ code: 'AGENT_NOT_REGISTERED', message: 'not registered' });
    const body: HeartbeatRequest = { agentId, sessionId: session };
    const r = await this.http.post(AgentPaths.heartbeat, body, Math.max(1000, this.heartbeatIntervalMs * 2));
    if (HttpMasterClient.unavailable(r)) this.nextMaster(r.ok ? problemDetail(r.value) : r.error.message);
    if (!r.ok) return err({ code: 'UNAVAILABLE', message: r.error.message });
    if (r.value.status === 200) return ok(undefined);
    return err(callError(r.value));
  }

  /**
   * Resolves once the status updates handed over so far have been sent (answered or failed), or after `timeoutMs`:
   * a stopping agent gives its last updates (e.g. KILLED after --kill-tasks-on-stop) a chance to reach the master.
   */
  async flush(timeoutMs = 5000): Promise<void> {
    const deadline = this.opts.clock.now() + timeoutMs;
    this.draining = true;
    while ((this.updates.length > 0 || this.sendingUpdates || this.flushScheduled) && !this.stopped && this.opts.clock.now() < deadline) {
      await new Promise<void>((resolve) => this.opts.clock.setTimeout(resolve, 20));
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopHeartbeats();
    if (this.sleeping) {
      this.sleeping.timer.cancel();
      this.sleeping.wake();
    }
    for (const c of this.clients) c.close();
  }

  private startHeartbeats(): void {
    this.stopHeartbeats();
    if (this.stopped) return;
    this.missed = 0;
    this.heartbeatTimer = this.opts.clock.setInterval(() => void this.beat(), this.heartbeatIntervalMs);
  }

  private stopHeartbeats(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
  }

  private async beat(): Promise<void> {
    if (this.beating || !this.agentId) return;
    this.beating = true;
    try {
      const session = this.session;
      const r = await this.heartbeat(this.agentId);
      // Answered for a session this agent has replaced since (it registered again meanwhile): nothing to act on.
      if (session !== this.session) return;
      if (r.ok) {
        if (this.missed > 0) this.log.info({ missed: this.missed }, 'master reachable again');
        this.missed = 0;
      } else if (r.error.code === 'AGENT_NOT_REGISTERED') {
        this.reregister(r.error.message);
      } else {
        if (this.missed === 0) this.log.warn({ why: r.error.message }, 'heartbeat failed; master unreachable?');
        this.missed++;
      }
    } finally {
      this.beating = false;
    }
  }

  /** Registers again (once at a time) through the agent, so the registration reports what runs now. */
  private reregister(why: string): void {
    if (this.reregistering || this.stopped || !this.onReregister) return;
    this.reregistering = true;
    this.stopHeartbeats();
    this.log.warn({ why }, 'the master asks this agent to register again');
    const fn = this.onReregister;
    void (async () => {
      try {
        // A restarted master hears from all its agents at once: spread them (Mesos: a random delay in [0, b]).
        await this.sleep(Math.random() * Math.min(1000, this.heartbeatIntervalMs));
        if (this.stopped) return;
        const r = await fn();
        // A refusal (e.g. marked gone) is logged by the agent; heartbeats stay off, nothing is sent any more.
        if (!r.ok) this.log.error({ code: r.error.code, reason: r.error.message }, 're-registration refused; this agent is no longer part of the cluster');
      } catch (e) {
        this.log.error({ err: e }, 're-registration failed');
        this.startHeartbeats();
      } finally {
        this.reregistering = false;
      }
    })();
  }

  private async flushUpdates(): Promise<void> {
    if (this.sendingUpdates) return;
    this.sendingUpdates = true;
    try {
      while (!this.stopped && this.updates.length > 0 && this.agentId && this.session) {
        const updates = this.updates.length <= MAX_BATCH ? this.updates : this.updates.slice(0, MAX_BATCH);
        this.updates = this.updates.length <= MAX_BATCH ? [] : this.updates.slice(MAX_BATCH);
        const body: UpdatesRequest = { agentId: this.agentId, sessionId: this.session, updates };
        const r = await this.http.post(AgentPaths.updates, body);
        if (r.ok && r.value.status < 300) continue;
        // Dropped: each stream re-sends its head until the master acknowledges it.
        if (HttpMasterClient.unavailable(r)) this.nextMaster(r.ok ? problemDetail(r.value) : r.error.message);
        // A 409 for a session replaced meanwhile is stale: registering yet again would race the launches the
        // master is sending to the new session (they would be refused, and the tasks reported lost).
        if (r.ok && r.value.status === 409 && body.sessionId === this.session) this.reregister(problemDetail(r.value));
        else if (r.ok && r.value.status === 409) continue;
        else this.log.debug({ why: r.ok ? problemDetail(r.value) : r.error.message, updates: updates.length }, 'status updates not delivered; the agent re-sends them');
        if (this.draining && !(r.ok && r.value.status === 409)) {
          // Stopping: the agent's streams no longer re-send, so this is the last chance — keep the batch and retry
          // until `flush` gives up (its deadline) or `stop`.
          this.updates = [...updates, ...this.updates];
          await this.sleep(100);
        }
      }
    } finally {
      this.sendingUpdates = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.sleeping = undefined;
        resolve();
      };
      this.sleeping = { timer: this.opts.clock.setTimeout(wake, ms), wake };
    });
  }
}

function callError(res: JsonResponse): CallError {
  const e: CallError = { code: problemCode(res.body) ?? `HTTP_${res.status}`, message: problemDetail(res) };
  const field = (res.body as { errors?: Array<{ field?: unknown }> } | undefined)?.errors?.[0]?.field;
  if (typeof field === 'string') e.field = field;
  return e;
}

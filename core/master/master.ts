/**
 * The master: a router between the agents, the frameworks, the offer book and the allocator (Mesos' master
 * without the god file). It never decides placement — the pure DrfAllocator proposes grants, frameworks pick
 * what to launch — and it persists agents, frameworks and tasks through the registry store before it tells
 * anyone about a change.
 *
 *   agent ──statusUpdate──▶ master ──persist──▶ store ──ack──▶ agent
 *                             │
 *                             └─UPDATE (retried until ACKNOWLEDGE)──▶ framework
 *   allocator ──grants──▶ offer book ──OFFERS──▶ framework ──ACCEPT/DECLINE──▶ master ──launch──▶ agent
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { DrfAllocator } from '../allocator/drf-allocator.ts';
import type { AgentLink, AgentRegistration, FileChunk, MasterForAgents, TaskStats } from '../agent/protocol.ts';
import {
  isTerminal,
  type Call,
  type CallError,
  type FrameworkConnection,
  type FrameworkInfo,
  type MasterEndpoint,
  type Offer,
  type TaskReason,
  type TaskState,
  type TaskStatus,
} from '../sdk/protocol.ts';
import { flatten, IdSequence } from './ids.ts';
import { OfferBook } from './offer-book.ts';
import { TaskRegistry } from './task-registry.ts';
import { UpdateForwarder, type RetryPolicy } from './update-forwarder.ts';
import { planAccept } from './accept-plan.ts';
import { validateFrameworkInfo, validateId, refuseMs } from './validation.ts';
import { AgentState, Collections, persistedAgent, persistedFramework, persistedTask, TaskRecord, type AgentRecord, type FrameworkRecord, type RegistryStore } from './records.ts';
import { registerAgent } from './agent-registration.ts';
import { loadRegistry } from './registry-loader.ts';
import { AgentLiveness } from './agent-liveness.ts';

/** The answer to every call that succeeds: shared and frozen, as 100,000 acknowledgements need no objects of their own. */
const DONE: Result<void, CallError> = Object.freeze(ok(undefined));

export interface MasterObserver {
  allocationCycle?(ms: number, grants: number): void;
  /** A task changed state (after the change was persisted). */
  taskStatus?(task: TaskRecord, status: TaskStatus): void;
  /**
   * A framework acknowledged `status` at `now` (master clock): the end of its agent → master → framework trip,
   * which began at `status.timestamp` (the agent's clock, or the master's for updates the master decided).
   */
  updateAcknowledged?(status: TaskStatus, now: number): void;
}

export interface MasterOptions {
  clock: Clock;
  logger: Logger;
  store: RegistryStore;
  id?: string;
  allocationIntervalMs?: number;
  /** Unanswered offers are rescinded after this; 0 = never. */
  offerTimeoutMs?: number;
  completedTasksLimit?: number;
  /** After a master start, agents known from the registry have this long to re-register before their tasks are LOST. */
  agentReregisterTimeoutMs?: number;
  /** How often remote agents heartbeat (told to them at registration). Default 5000 ms. */
  agentHeartbeatIntervalMs?: number;
  /** A remote agent without a heartbeat for this long is DISCONNECTED (no offers on it). Default 15000 ms. */
  agentTimeoutMs?: number;
  /** A DISCONNECTED agent not back within this long has its tasks LOST. Default 60000 ms. */
  agentLostTimeoutMs?: number;
  updateRetry?: RetryPolicy;
  observer?: MasterObserver;
}

export interface MasterCounters {
  offersMade: number;
  offersAccepted: number;
  offersDeclined: number;
  offersRescinded: number;
  tasksLaunched: number;
  statusUpdates: number;
  allocationRuns: number;
}

export class Master implements MasterEndpoint, MasterForAgents {
  readonly id: string;
  readonly counters: MasterCounters = { offersMade: 0, offersAccepted: 0, offersDeclined: 0, offersRescinded: 0, tasksLaunched: 0, statusUpdates: 0, allocationRuns: 0 };
  readonly agents = new Map<string, AgentRecord>();
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly tasks: TaskRegistry;
  readonly allocator = new DrfAllocator();
  readonly offers: OfferBook;
  readonly startedAt: number;
  readonly clock: Clock;
  readonly store: RegistryStore;
  readonly log: Logger;
  readonly frameworkIds: IdSequence;
  readonly agentIds: IdSequence;
  readonly forwarder: UpdateForwarder;
  readonly agentReregisterTimeoutMs: number;
  readonly agentHeartbeatIntervalMs: number;
  readonly liveness: AgentLiveness;
  private readonly opts: MasterOptions;
  private allocationTimer?: TimerHandle;
  private allocationPending?: TimerHandle;
  private stopped = false;

  constructor(opts: MasterOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.store = opts.store;
    this.id = opts.id ?? randomUUID();
    this.log = opts.logger.child({ component: 'master', masterId: this.id });
    this.startedAt = opts.clock.now();
    this.tasks = new TaskRegistry(opts.completedTasksLimit ?? 10_000);
    this.frameworkIds = new IdSequence((n) => `${this.id}-${String(n).padStart(4, '0')}`);
    this.agentIds = new IdSequence((n) => `${this.id}-S${n}`);
    this.agentReregisterTimeoutMs = opts.agentReregisterTimeoutMs ?? 60_000;
    this.agentHeartbeatIntervalMs = opts.agentHeartbeatIntervalMs ?? 5000;
    const agentTimeoutMs = opts.agentTimeoutMs ?? 15_000;
    this.liveness = new AgentLiveness(this, {
      timeoutMs: agentTimeoutMs,
      lostAfterMs: opts.agentLostTimeoutMs ?? 60_000,
      checkEveryMs: Math.max(50, Math.min(this.agentHeartbeatIntervalMs, Math.floor(agentTimeoutMs / 4))),
    });
    this.offers = new OfferBook(opts.clock, flatten(`${this.id}-O`), opts.offerTimeoutMs ?? 30_000, (offer) => {
      this.counters.offersRescinded++;
      this.allocator.recover(offer.frameworkId, offer.agentId, offer.resources);
      this.frameworks.get(offer.frameworkId)?.conn?.send({ type: 'RESCIND', offerId: offer.id });
      this.scheduleAllocation();
    });
    this.forwarder = new UpdateForwarder(opts.clock, opts.updateRetry ?? { initialMs: 10_000, maxMs: 600_000 }, (fid) => this.frameworks.get(fid)?.conn, this.log);
  }

  /** Loads the registry (agents wait to re-register, frameworks to re-subscribe) and starts the offer cycle. */
  async start(): Promise<void> {
    await loadRegistry(this);
    this.allocationTimer = this.clock.setInterval(() => this.runAllocation(), this.opts.allocationIntervalMs ?? 1000);
    this.liveness.start();
    this.log.info({ agents: this.agents.size, frameworks: this.frameworks.size, tasks: this.tasks.size }, 'master started');
  }

  stop(): void {
    this.stopped = true;
    this.allocationTimer?.cancel();
    this.allocationPending?.cancel();
    this.offers.clear();
    for (const f of this.frameworks.values()) {
      f.failoverTimer?.cancel();
      f.conn?.close('master stopping');
    }
    this.liveness.stop();
    for (const a of this.agents.values()) {
      a.reregisterTimer?.cancel();
      a.link?.close?.('master stopping');
    }
    this.forwarder.stop();
  }

  // ── frameworks ────────────────────────────────────────────────────────────────────────────────────────────

  async subscribe(input: FrameworkInfo, conn: FrameworkConnection): Promise<Result<{ frameworkId: string; streamId: string }, CallError>> {
    const checked = validateFrameworkInfo(input);
    if (!checked.ok) return checked;
    const info = checked.value;
    let fw: FrameworkRecord | undefined;
    if (info.id !== undefined) {
      fw = this.frameworks.get(info.id);
      if (!fw) return err({ code: 'FRAMEWORK_NOT_FOUND', field: 'frameworkInfo.id', message: `framework ${info.id} is not known (removed after its failover timeout, or never registered)` });
      fw.failoverTimer?.cancel();
      fw.failoverTimer = undefined;
      if (fw.conn) fw.conn.close('replaced by a newer subscription');
      fw.info = { ...info, id: fw.id };
    } else {
      const id = this.frameworkIds.next();
      fw = { id, info: { ...info, id }, registeredAt: this.clock.now(), active: false, suppressed: false };
      this.frameworks.set(id, fw);
      this.allocator.addFramework(id, { role: info.role, weight: info.weight });
    }
    await this.store.put(Collections.frameworks, fw.id, persistedFramework(fw));
    fw.streamId = randomUUID();
    fw.conn = conn;
    fw.active = true;
    fw.disconnectedAt = undefined;
    this.allocator.activateFramework(fw.id);
    this.log.info({ frameworkId: fw.id, name: info.name, role: info.role }, 'framework subscribed');
    conn.send({ type: 'SUBSCRIBED', frameworkId: fw.id, heartbeatIntervalSeconds: 15 });
    this.forwarder.resendAll(this.tasks.ofFramework(fw.id));
    this.scheduleAllocation();
    return ok({ frameworkId: fw.id, streamId: fw.streamId });
  }

  disconnect(frameworkId: string, streamId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw || fw.streamId !== streamId) return;
    this.deactivateFramework(fw);
  }

  async call(frameworkId: string, streamId: string, c: Call): Promise<Result<void, CallError>> {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return err({ code: 'FRAMEWORK_NOT_FOUND', field: 'frameworkId', message: `framework ${frameworkId} is not registered` });
    if (!fw.active || fw.streamId !== streamId) return err({ code: 'FRAMEWORK_NOT_SUBSCRIBED', field: 'streamId', message: 'the call does not come from the current subscription' });
    const call = c as unknown as Record<string, unknown>;
    switch (c.type) {
      case 'ACCEPT':
        return this.accept(fw, call);
      case 'DECLINE':
        return this.decline(fw, call);
      case 'KILL':
        return this.killCall(fw, call);
      case 'ACKNOWLEDGE':
        return this.acknowledge(fw, call);
      case 'RECONCILE':
        return this.reconcile(fw, call);
      case 'REVIVE':
        this.allocator.revive(fw.id);
        fw.suppressed = false;
        this.scheduleAllocation();
        return DONE;
      case 'SUPPRESS':
        this.allocator.suppress(fw.id);
        fw.suppressed = true;
        for (const o of this.offers.ofFramework(fw.id)) this.rescind(o);
        return DONE;
      case 'TEARDOWN':
        await this.removeFramework(fw, 'teardown');
        return DONE;
      default:
        return err({ code: 'INVALID_FIELD', field: 'type', message: `unknown call type ${String((c as { type?: unknown }).type).slice(0, 64)}` });
    }
  }

  private accept(fw: FrameworkRecord, call: Record<string, unknown>): Result<void, CallError> | Promise<Result<void, CallError>> {
    const plan = planAccept(fw.id, call, { offer: (id) => this.offers.get(id), taskExists: (id) => this.tasks.has(id) });
    if (!plan.ok) return plan;
    const { offers, agentId, tasks, remaining } = plan.value;
    for (const o of offers) this.offers.take(o.id);
    this.counters.offersAccepted += offers.length;
    this.allocator.recover(fw.id, agentId, remaining, { refuseMs: plan.value.refuseMs, now: this.clock.now() });
    const now = this.clock.now();
    const records = tasks.map((info) => this.tasks.add(TaskRecord.fresh(info, fw.id, agentId, 'STAGING', now)));
    this.counters.tasksLaunched += records.length;
    // Only the records wait for Redis: a suspended async function keeps its arguments, and the call holds
    // every TaskInfo as the framework sent it.
    return this.launchOncePersisted(fw.id, agentId, records);
  }

  private async launchOncePersisted(frameworkId: string, agentId: string, records: TaskRecord[]): Promise<Result<void, CallError>> {
    const agent = this.agents.get(agentId);
    // Puts issued together share a batch and its promise: wait for each distinct one once.
    const writes = new Set<Promise<void>>();
    for (const r of records) writes.add(this.store.put(Collections.tasks, r.info.taskId, persistedTask(r)));
    await Promise.all(writes);
    for (const r of records) {
      if (agent?.link && agent.state === AgentState.ACTIVE) {
        agent.link.launch(frameworkId, r.info);
      } else {
        // The agent went away between the offer and the launch: the task never started.
        void this.masterUpdate(r, 'DROPPED', 'REASON_AGENT_DISCONNECTED', 'agent is not connected');
      }
    }
    this.scheduleAllocation();
    return DONE;
  }

  private decline(fw: FrameworkRecord, call: Record<string, unknown>): Result<void, CallError> {
    const ids = call.offerIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10_000) return err({ code: 'INVALID_FIELD', field: 'offerIds', message: 'offerIds must be a non-empty list' });
    const filter = refuseMs(call.filters);
    if (!filter.ok) return filter;
    for (let i = 0; i < ids.length; i++) {
      const o = typeof ids[i] === 'string' ? this.offers.get(ids[i]) : undefined;
      if (!o || o.frameworkId !== fw.id) return err({ code: 'OFFER_NOT_FOUND', field: `offerIds[${i}]`, message: `offer ${String(ids[i]).slice(0, 200)} is not outstanding for this framework` });
    }
    for (const id of ids as string[]) {
      const o = this.offers.take(id);
      if (!o) continue;
      this.counters.offersDeclined++;
      this.allocator.recover(fw.id, o.agentId, o.resources, { refuseMs: filter.value, now: this.clock.now() });
    }
    this.scheduleAllocation();
    return DONE;
  }

  private killCall(fw: FrameworkRecord, call: Record<string, unknown>): Result<void, CallError> {
    const id = validateId(call.taskId, 'taskId');
    if (!id.ok) return id;
    const rec = this.tasks.get(id.value);
    if (!rec || rec.frameworkId !== fw.id) return err({ code: 'TASK_NOT_FOUND', field: 'taskId', message: `task ${id.value} is not known for this framework` });
    const grace = call.killGracePeriodMs;
    if (grace !== undefined && (!Number.isInteger(grace) || (grace as number) < 0 || (grace as number) > 3_600_000)) {
      return err({ code: 'INVALID_FIELD', field: 'killGracePeriodMs', message: 'killGracePeriodMs must be an integer from 0 to 3600000' });
    }
    this.killTask(rec, grace as number | undefined);
    return DONE;
  }

  /** Kills a task wherever it runs; a terminal task is left alone. Used by frameworks and the operator API. */
  killTask(rec: TaskRecord, gracePeriodMs?: number): void {
    if (isTerminal(rec.state)) return;
    rec.killRequested = true;
    const agent = this.agents.get(rec.agentId);
    if (agent?.link && agent.state !== AgentState.GONE) {
      agent.link.kill(rec.frameworkId, rec.info.taskId, gracePeriodMs);
    } else {
      this.log.info({ taskId: rec.info.taskId, agentId: rec.agentId }, 'kill deferred until the agent re-registers');
    }
  }

  private acknowledge(fw: FrameworkRecord, call: Record<string, unknown>): Result<void, CallError> {
    const id = validateId(call.taskId, 'taskId');
    if (!id.ok) return id;
    const rec = this.tasks.get(id.value);
    if (!rec || rec.frameworkId !== fw.id) return err({ code: 'TASK_NOT_FOUND', field: 'taskId', message: `task ${id.value} is not known for this framework` });
    const acked = typeof call.uuid === 'string' ? this.forwarder.acknowledge(rec, call.uuid) : undefined;
    if (!acked) return err({ code: 'UPDATE_NOT_FOUND', field: 'uuid', message: 'no update with this uuid is waiting for acknowledgement' });
    this.opts.observer?.updateAcknowledged?.(acked, this.clock.now());
    if (isTerminal(acked.state)) this.taskDone(rec);
    return DONE;
  }

  private reconcile(fw: FrameworkRecord, call: Record<string, unknown>): Result<void, CallError> {
    const list = call.tasks ?? [];
    if (!Array.isArray(list) || list.length > 100_000) return err({ code: 'INVALID_FIELD', field: 'tasks', message: 'tasks must be a list' });
    const wanted: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const id = validateId((list[i] as { taskId?: unknown } | null)?.taskId, `tasks[${i}].taskId`);
      if (!id.ok) return id;
      wanted.push(id.value);
    }
    const reply = (rec: TaskRecord | undefined, taskId: string): void => {
      const status: TaskStatus = rec
        ? { taskId, frameworkId: fw.id, agentId: rec.agentId, state: rec.state, source: 'SOURCE_MASTER', timestamp: this.clock.now(), reason: 'REASON_RECONCILIATION', message: 'Reconciliation: Latest task state' }
        : { taskId, frameworkId: fw.id, agentId: '', state: 'UNKNOWN', source: 'SOURCE_MASTER', timestamp: this.clock.now(), reason: 'REASON_RECONCILIATION', message: 'Reconciliation: Task is unknown' };
      if (rec?.exitCode !== undefined) status.exitCode = rec.exitCode;
      // As Mesos' latest status does: a framework that restarted learns its tasks' health too.
      if (rec?.healthy !== undefined) status.healthy = rec.healthy;
      fw.conn?.send({ type: 'UPDATE', status });
    };
    if (wanted.length === 0) {
      for (const rec of this.tasks.ofFramework(fw.id)) if (!isTerminal(rec.state)) reply(rec, rec.info.taskId);
    } else {
      for (const id of wanted) {
        const rec = this.tasks.get(id);
        reply(rec && rec.frameworkId === fw.id ? rec : undefined, id);
      }
    }
    return DONE;
  }

  private deactivateFramework(fw: FrameworkRecord): void {
    fw.active = false;
    fw.conn = undefined;
    fw.streamId = undefined;
    fw.disconnectedAt = this.clock.now();
    this.allocator.deactivateFramework(fw.id);
    for (const o of this.offers.ofFramework(fw.id)) this.rescind(o, false);
    const timeout = fw.info.failoverTimeoutMs;
    this.log.info({ frameworkId: fw.id, failoverTimeoutMs: timeout }, 'framework disconnected');
    fw.failoverTimer?.cancel();
    fw.failoverTimer = this.clock.setTimeout(() => void this.removeFramework(fw, 'failover timeout expired'), timeout);
  }

  /** Kills the framework's tasks and forgets it (teardown, or no re-subscription within its failover timeout). */
  async removeFramework(fw: FrameworkRecord, why: string): Promise<void> {
    if (!this.frameworks.has(fw.id)) return;
    this.log.info({ frameworkId: fw.id, why }, 'framework removed');
    fw.failoverTimer?.cancel();
    for (const o of this.offers.ofFramework(fw.id)) this.rescind(o, false);
    for (const rec of this.tasks.ofFramework(fw.id)) {
      this.forwarder.drop(rec);
      if (isTerminal(rec.state)) this.tasks.markDone(rec);
      else this.killTask(rec);
    }
    this.frameworks.delete(fw.id);
    this.allocator.removeFramework(fw.id);
    fw.conn?.close(why);
    await this.store.delete(Collections.frameworks, fw.id);
    this.scheduleAllocation();
  }

  // ── agents ────────────────────────────────────────────────────────────────────────────────────────────────

  registerAgent(reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>> {
    return registerAgent(this, reg, link);
  }

  heartbeat(agentId: string): Promise<Result<void, CallError>> {
    const agent = this.agents.get(agentId);
    if (!agent?.link || (agent.state !== AgentState.ACTIVE && agent.state !== AgentState.DRAINING)) {
      return Promise.resolve(err({ code: 'AGENT_NOT_REGISTERED', field: 'agentId', message: `agent ${agentId} is not registered with this master (${agent?.state ?? 'unknown'}); register again` }));
    }
    agent.lastSeenAt = this.clock.now();
    return Promise.resolve(DONE);
  }

  /**
   * No new offers on the agent from now on (outstanding ones are rescinded); its tasks keep running and their
   * resources return to nobody. Persisted: the agent stays draining across re-registrations and master restarts.
   */
  async drainAgent(agentId: string): Promise<Result<AgentRecord, CallError>> {
    const agent = this.agents.get(agentId);
    if (!agent) return err({ code: 'AGENT_NOT_FOUND', field: 'id', message: `agent ${agentId} is not known` });
    if (agent.state === AgentState.GONE) return err({ code: 'CONFLICT', field: 'id', message: `agent ${agentId} is gone` });
    if (agent.draining) return ok(agent);
    agent.draining = true;
    if (agent.state === AgentState.ACTIVE) {
      agent.state = AgentState.DRAINING;
      this.allocator.deactivateAgent(agentId);
      for (const o of this.offers.onAgent(agentId)) this.rescind(o);
    }
    await this.store.put(Collections.agents, agentId, persistedAgent(agent));
    this.log.info({ agentId, hostname: agent.hostname, tasks: this.tasks.onAgent(agentId).filter((t) => !isTerminal(t.state)).length }, 'agent draining');
    return ok(agent);
  }

  statusUpdate(agentId: string, status: TaskStatus): void {
    void this.applyAgentUpdate(agentId, status).catch((e: unknown) => {
      // Not acknowledged: the agent re-sends it, and the next attempt may find the store back.
      this.log.warn({ agentId, taskId: status.taskId, err: e }, 'status update not persisted; agent will retry');
    });
  }

  private async applyAgentUpdate(agentId: string, status: TaskStatus): Promise<void> {
    const agent = this.agents.get(agentId);
    if (!agent?.link) {
      this.log.warn({ agentId, taskId: status.taskId }, 'status update from an unknown agent ignored');
      return;
    }
    agent.lastSeenAt = this.clock.now();
    const uuid = status.uuid;
    const rec = this.tasks.get(status.taskId);
    if (!uuid || !rec || rec.agentId !== agentId) {
      this.log.warn({ agentId, taskId: status.taskId, state: status.state }, 'status update for a task this master does not know');
      if (uuid) agent.link.acknowledge(status.taskId, uuid);
      return;
    }
    if (rec.lastAppliedUuid === uuid) {
      agent.link.acknowledge(status.taskId, uuid);
      return;
    }
    this.counters.statusUpdates++;
    const from = rec.state;
    const changed = this.tasks.apply(rec, status);
    if (changed && isTerminal(status.state)) this.release(rec);
    await this.store.put(Collections.tasks, rec.info.taskId, persistedTask(rec));
    this.tasks.markApplied(rec, uuid);
    agent.link.acknowledge(status.taskId, uuid);
    if (!changed) return;
    this.log.debug({ taskId: rec.info.taskId, from, to: status.state }, 'task state changed');
    this.opts.observer?.taskStatus?.(rec, status);
    // The agent's own status object when it names the right framework: the agent is done with it once acknowledged.
    const forwarded = status.frameworkId === rec.frameworkId ? status : { ...status, frameworkId: rec.frameworkId };
    if (this.frameworks.has(rec.frameworkId)) this.forwarder.enqueue(rec, forwarded);
    else if (isTerminal(status.state)) this.taskDone(rec);
  }

  /** A state the master itself decides (agent gone, launch impossible); sent reliably like agent updates. */
  async masterUpdate(rec: TaskRecord, state: TaskState, reason: TaskReason, message: string): Promise<void> {
    const status: TaskStatus = { taskId: rec.info.taskId, frameworkId: rec.frameworkId, agentId: rec.agentId, state, reason, message, source: 'SOURCE_MASTER', timestamp: this.clock.now(), uuid: randomUUID() };
    if (!this.tasks.apply(rec, status)) return;
    if (isTerminal(state)) this.release(rec);
    await this.store.put(Collections.tasks, rec.info.taskId, persistedTask(rec));
    this.opts.observer?.taskStatus?.(rec, status);
    if (this.frameworks.has(rec.frameworkId)) this.forwarder.enqueue(rec, status);
    else if (isTerminal(state)) this.taskDone(rec);
  }

  private release(rec: TaskRecord): void {
    if (this.agents.get(rec.agentId)?.state === AgentState.ACTIVE || this.agents.get(rec.agentId)?.state === AgentState.DRAINING) {
      this.allocator.recover(rec.frameworkId, rec.agentId, rec.info.resources);
    }
    this.scheduleAllocation();
  }

  private taskDone(rec: TaskRecord): void {
    this.tasks.markDone(rec);
    for (const id of this.tasks.evictCompleted()) {
      void this.store.delete(Collections.tasks, id).catch((e: unknown) => this.log.warn({ taskId: id, err: e }, 'completed task not deleted from the registry'));
    }
  }

  /** Reads a file of a task's sandbox through the agent that ran it. */
  async readTaskFile(taskId: string, path: string, offset: number, length: number): Promise<Result<FileChunk, CallError>> {
    const rec = this.tasks.get(taskId);
    if (!rec) return err({ code: 'TASK_NOT_FOUND', field: 'id', message: `task ${taskId} is not known` });
    const agent = this.agents.get(rec.agentId);
    const link = agent?.link;
    // A disconnected agent answers nothing: say so at once rather than after a request timeout.
    if (!link || agent.state === AgentState.DISCONNECTED || agent.state === AgentState.GONE) {
      return err({ code: 'AGENT_UNAVAILABLE', message: `agent ${rec.agentId} of task ${taskId} is not connected` });
    }
    return link.readFile(taskId, path, offset, length);
  }

  /** A task's resource usage, sampled by the agent that runs (or ran) it. */
  async readTaskStats(taskId: string): Promise<Result<TaskStats, CallError>> {
    const rec = this.tasks.get(taskId);
    if (!rec) return err({ code: 'TASK_NOT_FOUND', field: 'id', message: `task ${taskId} is not known` });
    const link = this.agents.get(rec.agentId)?.link;
    if (!link) return err({ code: 'AGENT_UNAVAILABLE', message: `agent ${rec.agentId} of task ${taskId} is not connected` });
    return link.taskStats(taskId);
  }

  // ── offers ────────────────────────────────────────────────────────────────────────────────────────────────

  rescind(offer: Offer, notify = true): void {
    if (!this.offers.take(offer.id)) return;
    this.counters.offersRescinded++;
    this.allocator.recover(offer.frameworkId, offer.agentId, offer.resources);
    if (notify) this.frameworks.get(offer.frameworkId)?.conn?.send({ type: 'RESCIND', offerId: offer.id });
  }

  /** Runs an allocation cycle soon, coalescing the many events (task ended, offer declined) of one moment. */
  scheduleAllocation(): void {
    if (this.allocationPending || this.stopped) return;
    this.allocationPending = this.clock.setTimeout(() => {
      this.allocationPending = undefined;
      this.runAllocation();
    }, 0);
  }

  runAllocation(): void {
    if (this.stopped) return;
    const t0 = performance.now();
    const grants = this.allocator.runCycle(this.clock.now());
    this.counters.allocationRuns++;
    this.opts.observer?.allocationCycle?.(performance.now() - t0, grants.length);
    const byFramework = new Map<string, Offer[]>();
    for (const g of grants) {
      const agent = this.agents.get(g.agentId);
      const fw = this.frameworks.get(g.frameworkId);
      if (!agent || !fw?.conn) {
        this.allocator.recover(g.frameworkId, g.agentId, g.resources);
        continue;
      }
      const offer = this.offers.create({ frameworkId: g.frameworkId, agentId: g.agentId, hostname: agent.hostname, resources: g.resources, attributes: agent.attributes });
      this.counters.offersMade++;
      let list = byFramework.get(g.frameworkId);
      if (!list) byFramework.set(g.frameworkId, (list = []));
      list.push(offer);
    }
    for (const [fid, offers] of byFramework) this.frameworks.get(fid)?.conn?.send({ type: 'OFFERS', offers });
  }
}

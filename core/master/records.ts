/** What the master keeps per agent, framework and task. The `persisted*` shapes are what goes to the registry store. */
import type { Attributes, Resources } from '../resources/types.ts';
import type { AgentLink } from '../agent/protocol.ts';
import type { FrameworkConnection, FrameworkInfo, TaskInfo, TaskReason, TaskState, TaskStatus } from '../sdk/protocol.ts';
import type { TimerHandle } from '../clock/clock.ts';

export const AgentState = {
  ACTIVE: 'ACTIVE',
  DRAINING: 'DRAINING',
  /** Known from the registry after a master start, not yet re-registered. */
  RECOVERING: 'RECOVERING',
  DISCONNECTED: 'DISCONNECTED',
  GONE: 'GONE',
} as const;
export type AgentState = (typeof AgentState)[keyof typeof AgentState];

export interface PersistedAgent {
  id: string;
  hostname: string;
  resources: Resources;
  attributes: Attributes;
  isolators: string[];
  version: string;
  registeredAt: number;
  /** Set by an operator (`POST /v1/agents/{id}/drain`): no new offers on it; its tasks keep running. Survives re-registration. */
  draining?: boolean;
}

export interface AgentRecord extends PersistedAgent {
  state: AgentState;
  lastSeenAt: number;
  link?: AgentLink;
  /** Fires when the agent failed to come back in time (after a master start, or after it was disconnected): its tasks are lost. */
  reregisterTimer?: TimerHandle;
}

export interface PersistedFramework {
  id: string;
  info: FrameworkInfo & { name: string; role: string; weight: number; failoverTimeoutMs: number };
  registeredAt: number;
}

export interface FrameworkRecord extends PersistedFramework {
  active: boolean;
  suppressed: boolean;
  streamId?: string;
  conn?: FrameworkConnection;
  disconnectedAt?: number;
  failoverTimer?: TimerHandle;
}

export interface StatusEntry {
  state: TaskState;
  timestamp: number;
  reason?: TaskReason;
  message?: string;
}

export interface PersistedTask {
  info: TaskInfo;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  reason?: TaskReason;
  message?: string;
  exitCode?: number;
  signal?: string;
  healthy?: boolean;
  /** Pid of the task's executor on its agent (also its process group id). */
  executorPid?: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  updatedAt: number;
  /** The last few transitions, newest last. */
  history: StatusEntry[];
}

/** Shared by every task with nothing waiting: frozen, so an accidental push fails loudly instead of leaking into all. */
export const NO_PENDING: readonly TaskStatus[] = Object.freeze([]);

/**
 * A task as the master holds it. A class rather than an object literal so that all (possibly 100,000) records
 * share one hidden class with every field in-object: literals that grew optional fields one by one ended with a
 * hidden class and an out-of-object property array of their own each (~600 bytes per task). Optional fields
 * are therefore always present, `undefined` when unset. Replace `pending` and `history`, never mutate them.
 */
export class TaskRecord implements PersistedTask {
  info: TaskInfo;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  reason?: TaskReason = undefined;
  message?: string = undefined;
  exitCode?: number = undefined;
  signal?: string = undefined;
  healthy?: boolean = undefined;
  executorPid?: number = undefined;
  createdAt: number;
  startedAt?: number = undefined;
  finishedAt?: number = undefined;
  updatedAt: number;
  history: StatusEntry[];
  /**
   * uuid of the last agent update applied and persisted, so a re-sent copy is acknowledged without being applied
   * twice. One is enough: the agent sends a task's next update only after the previous one was acknowledged.
   */
  lastAppliedUuid?: string = undefined;
  /** Updates waiting for the framework's acknowledgement, oldest first; only the head is in flight. */
  pending: readonly TaskStatus[] = NO_PENDING;
  pendingAttempts = 0;
  /** Position in the update forwarder's re-send schedule; -1 when nothing is in flight. */
  dueIndex = -1;
  killRequested = false;

  constructor(info: TaskInfo, frameworkId: string, agentId: string, state: TaskState, createdAt: number, updatedAt: number, history: StatusEntry[]) {
    this.info = info;
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.state = state;
    this.createdAt = createdAt;
    this.updatedAt = updatedAt;
    this.history = history;
  }

  /** A task the master accepted or adopted just now, in `state`. */
  static fresh(info: TaskInfo, frameworkId: string, agentId: string, state: TaskState, now: number): TaskRecord {
    return new TaskRecord(info, frameworkId, agentId, state, now, now, [{ state, timestamp: now }]);
  }

  static fromPersisted(p: PersistedTask): TaskRecord {
    const t = new TaskRecord(p.info, p.frameworkId, p.agentId, p.state, p.createdAt, p.updatedAt, p.history);
    if (p.reason !== undefined) t.reason = p.reason;
    if (p.message !== undefined) t.message = p.message;
    if (p.exitCode !== undefined) t.exitCode = p.exitCode;
    if (p.signal !== undefined) t.signal = p.signal;
    if (p.healthy !== undefined) t.healthy = p.healthy;
    if (p.executorPid !== undefined) t.executorPid = p.executorPid;
    if (p.startedAt !== undefined) t.startedAt = p.startedAt;
    if (p.finishedAt !== undefined) t.finishedAt = p.finishedAt;
    return t;
  }
}

export const HISTORY_LIMIT = 20;

/**
 * What the registry keeps of a task: the persisted fields, the optional ones only when set (JSON drops undefined),
 * in the order they always had. A class, not a literal, as it is made for every write and dropped at once: see
 * `OfferBook` on why hot short-lived objects avoid literals.
 */
class TaskSnapshot implements PersistedTask {
  info: TaskInfo;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  createdAt: number;
  updatedAt: number;
  history: StatusEntry[];
  reason?: TaskReason;
  message?: string;
  exitCode?: number;
  signal?: string;
  healthy?: boolean;
  executorPid?: number;
  startedAt?: number;
  finishedAt?: number;

  constructor(t: TaskRecord) {
    this.info = t.info;
    this.frameworkId = t.frameworkId;
    this.agentId = t.agentId;
    this.state = t.state;
    this.createdAt = t.createdAt;
    this.updatedAt = t.updatedAt;
    this.history = t.history;
    this.reason = t.reason;
    this.message = t.message;
    this.exitCode = t.exitCode;
    this.signal = t.signal;
    this.healthy = t.healthy;
    this.executorPid = t.executorPid;
    this.startedAt = t.startedAt;
    this.finishedAt = t.finishedAt;
  }
}

/** The task as persisted; meant for the registry store (JSON), so unset optional fields are `undefined`. */
export function persistedTask(t: TaskRecord): PersistedTask {
  return new TaskSnapshot(t);
}

export function persistedAgent(a: AgentRecord): PersistedAgent {
  const { id, hostname, resources, attributes, isolators, version, registeredAt, draining } = a;
  return draining ? { id, hostname, resources, attributes, isolators, version, registeredAt, draining } : { id, hostname, resources, attributes, isolators, version, registeredAt };
}

export function persistedFramework(f: FrameworkRecord): PersistedFramework {
  return { id: f.id, info: f.info, registeredAt: f.registeredAt };
}

/** The registry store the master persists through (implemented by core/coordination's RedisRegistryStore). */
export interface RegistryStore {
  put(collection: string, id: string, value: unknown): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  getAll<T>(collection: string): Promise<Map<string, T>>;
}

export const Collections = { agents: 'agents', frameworks: 'frameworks', tasks: 'tasks' } as const;

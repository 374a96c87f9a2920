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
}

export interface AgentRecord extends PersistedAgent {
  state: AgentState;
  lastSeenAt: number;
  link?: AgentLink;
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

export interface TaskRecord extends PersistedTask {
  /**
   * uuid of the last agent update applied and persisted, so a re-sent copy is acknowledged without being applied
   * twice. One is enough: the agent sends a task's next update only after the previous one was acknowledged.
   */
  lastAppliedUuid?: string;
  /** Updates waiting for the framework's acknowledgement, oldest first; only the head is in flight. */
  pending: TaskStatus[];
  pendingTimer?: TimerHandle;
  pendingAttempts: number;
  killRequested: boolean;
}

export const HISTORY_LIMIT = 20;

export function persistedTask(t: TaskRecord): PersistedTask {
  const p: PersistedTask = {
    info: t.info,
    frameworkId: t.frameworkId,
    agentId: t.agentId,
    state: t.state,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    history: t.history,
  };
  if (t.reason !== undefined) p.reason = t.reason;
  if (t.message !== undefined) p.message = t.message;
  if (t.exitCode !== undefined) p.exitCode = t.exitCode;
  if (t.signal !== undefined) p.signal = t.signal;
  if (t.healthy !== undefined) p.healthy = t.healthy;
  if (t.executorPid !== undefined) p.executorPid = t.executorPid;
  if (t.startedAt !== undefined) p.startedAt = t.startedAt;
  if (t.finishedAt !== undefined) p.finishedAt = t.finishedAt;
  return p;
}

export function persistedAgent(a: AgentRecord): PersistedAgent {
  const { id, hostname, resources, attributes, isolators, version, registeredAt } = a;
  return { id, hostname, resources, attributes, isolators, version, registeredAt };
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

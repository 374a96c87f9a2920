/** The shapes the UI reads from the core's API (api-spec/openapi.yaml: Agent, Framework, Task, …). */

export interface Resources {
  scalars: Record<string, number>;
  ranges: Record<string, Array<[number, number]>>;
  sets: Record<string, string[]>;
}

export type AgentState = 'ACTIVE' | 'DRAINING' | 'RECOVERING' | 'DISCONNECTED' | 'GONE';

export interface Agent {
  id: string;
  hostname: string;
  state: AgentState;
  resources: { total: Resources; used: Resources; offered: Resources };
  attributes: Record<string, string>;
  isolators: string[];
  version: string;
  registeredAt: string;
  lastSeenAt: string;
  tasks: number;
}

export interface Framework {
  id: string;
  name: string;
  role: string;
  weight: number;
  principal?: string;
  active: boolean;
  suppressed: boolean;
  dominantShare: number;
  failoverTimeoutMs: number;
  registeredAt: string;
  disconnectedAt?: string;
  tasks: number;
  offers: number;
  used: Resources;
}

export const TASK_STATES = ['PENDING', 'STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'UNREACHABLE', 'GONE', 'UNKNOWN'] as const;
export type TaskState = (typeof TASK_STATES)[number];

const TERMINAL: ReadonlySet<TaskState> = new Set(['FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'GONE']);
export const isTerminal = (s: TaskState): boolean => TERMINAL.has(s);

export interface Task {
  id: string;
  name: string;
  frameworkId: string;
  agentId?: string;
  hostname?: string;
  state: TaskState;
  reason?: string;
  message?: string;
  pendingReason?: string;
  exitCode?: number;
  signal?: string;
  healthy?: boolean;
  executorPid?: number;
  resources: Resources;
  command: { shell: boolean; value?: string; arguments?: string[]; env?: string[] };
  labels?: Record<string, string>;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  updatedAt: string;
  durationMs?: number;
  history: Array<{ state: TaskState; timestamp: string; reason?: string; message?: string }>;
}

export interface Leader {
  id: string;
  address: string;
  epoch: number;
  electedAt: string;
}

export interface ClusterState {
  masterId: string;
  startedAt: string;
  leader?: Leader;
  agents: Agent[];
  frameworks: Framework[];
  tasks: Task[];
  taskCounts: Record<string, number>;
}

export interface TaskList {
  total: number;
  tasks: Task[];
}

export interface FileChunk {
  data: string;
  offset: number;
  size: number;
}

export interface TaskRef {
  id: string;
  state: string;
  url: string;
}

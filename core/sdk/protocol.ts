/**
 * The framework protocol: what a framework (jobs, apps, the built-in execute framework, a third party)
 * exchanges with the master. Shaped after the Mesos v1 scheduler API (calls in, events out), with
 * camelCase names; the HTTP transport maps them to Mesos' snake_case JSON.
 *
 * This file is a leaf: it imports only types, so both the master and the SDK depend on it without a cycle.
 */
import type { Attributes, Resources } from '../resources/types.ts';
import type { Result } from '../errors/result.ts';

export const TaskState = {
  STAGING: 'STAGING',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  KILLING: 'KILLING',
  FINISHED: 'FINISHED',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
  ERROR: 'ERROR',
  LOST: 'LOST',
  DROPPED: 'DROPPED',
  UNREACHABLE: 'UNREACHABLE',
  GONE: 'GONE',
  UNKNOWN: 'UNKNOWN',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];
export const TASK_STATES = Object.values(TaskState);

/** Terminal states never change again (Mesos `isTerminalState`). UNREACHABLE and UNKNOWN are not terminal. */
export function isTerminal(state: TaskState): boolean {
  switch (state) {
    case 'FINISHED':
    case 'FAILED':
    case 'KILLED':
    case 'ERROR':
    case 'LOST':
    case 'DROPPED':
    case 'GONE':
      return true;
    case 'STAGING':
    case 'STARTING':
    case 'RUNNING':
    case 'KILLING':
    case 'UNREACHABLE':
    case 'UNKNOWN':
      return false;
  }
}

export const TaskReason = {
  COMMAND_EXECUTOR_FAILED: 'REASON_COMMAND_EXECUTOR_FAILED',
  CONTAINER_LAUNCH_FAILED: 'REASON_CONTAINER_LAUNCH_FAILED',
  CONTAINER_LIMITATION_MEMORY: 'REASON_CONTAINER_LIMITATION_MEMORY',
  EXECUTOR_TERMINATED: 'REASON_EXECUTOR_TERMINATED',
  TASK_INVALID: 'REASON_TASK_INVALID',
  TASK_KILLED_DURING_LAUNCH: 'REASON_TASK_KILLED_DURING_LAUNCH',
  TASK_UNKNOWN: 'REASON_TASK_UNKNOWN',
  FRAMEWORK_REMOVED: 'REASON_FRAMEWORK_REMOVED',
  AGENT_REMOVED: 'REASON_AGENT_REMOVED',
  AGENT_DISCONNECTED: 'REASON_AGENT_DISCONNECTED',
  AGENT_RESTARTED: 'REASON_AGENT_RESTARTED',
  INVALID_OFFERS: 'REASON_INVALID_OFFERS',
  RECONCILIATION: 'REASON_RECONCILIATION',
  MAX_COMPLETION_TIME_REACHED: 'REASON_MAX_COMPLETION_TIME_REACHED',
  TASK_HEALTH_CHECK_STATUS_UPDATED: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  FETCH_FAILED: 'REASON_FETCH_FAILED',
} as const;
export type TaskReason = (typeof TaskReason)[keyof typeof TaskReason];

export type StatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

/**
 * A file the agent fetches into the sandbox before the command starts (Mesos `CommandInfo.URI`): `http://`,
 * `https://`, `file://` or an absolute path. Archives (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip) are extracted
 * unless `extract` is false; `executable` marks the file executable (and disables extraction); `cache` reuses the
 * agent's copy of the same URI; `outputFile` names the file in the sandbox (default: the URI's last segment).
 */
export interface UriInfo {
  value: string;
  extract?: boolean;
  executable?: boolean;
  cache?: boolean;
  outputFile?: string;
}

export type HealthCheckType = 'HTTP' | 'TCP' | 'COMMAND';

/**
 * A health check the agent runs against a RUNNING task (Mesos `HealthCheck`, durations in ms). HTTP: GET
 * `http://127.0.0.1:<port><path>`, passes on 2xx/3xx; TCP: a connection is accepted; COMMAND: `/bin/sh -c command`
 * in the sandbox with the task's environment, passes on exit 0. The port is the `portIndex`-th port of the task's
 * `ports` resource. Failures before the first success and within `gracePeriodMs` of the start do not count.
 * Results travel in RUNNING updates carrying `healthy` (sent when health changes). Once `consecutiveFailures`
 * checks failed in a row (0 = never), the agent kills the task (KILLED, `healthy: false`,
 * REASON_TASK_HEALTH_CHECK_STATUS_UPDATED) unless `killOnFailure` is false: then it only reports it.
 */
export interface HealthCheck {
  type: HealthCheckType;
  /** HTTP: the path, default `/`. */
  path?: string;
  /** HTTP, TCP: which of the task's ports (default 0). */
  portIndex?: number;
  /** COMMAND: a shell command. */
  command?: string;
  /** Default 0 (Mesos' `delay_seconds` is 15 s; tasks here start in milliseconds). */
  delayMs?: number;
  /** Default 10000. */
  gracePeriodMs?: number;
  /** Default 10000. */
  intervalMs?: number;
  /** Default 20000. */
  timeoutMs?: number;
  /** Default 3; 0 = never kill nor report a threshold. */
  consecutiveFailures?: number;
  /** Default true. False: the framework decides (the apps service rate-limits its health kills). */
  killOnFailure?: boolean;
}

/** What to run: `value` through `/bin/sh -c` when `shell` is true, else `arguments` as argv (first is the program). */
export interface CommandInfo {
  shell: boolean;
  value?: string;
  arguments?: string[];
  env?: Record<string, string>;
  uris?: UriInfo[];
}

export interface TaskInfo {
  taskId: string;
  name: string;
  agentId: string;
  resources: Resources;
  command: CommandInfo;
  /** SIGTERM → SIGKILL delay; default 3000 ms (Mesos' command executor). */
  killGracePeriodMs?: number;
  labels?: Record<string, string>;
  /** Run by the agent; see `HealthCheck`. */
  healthCheck?: HealthCheck;
}

export interface TaskStatus {
  taskId: string;
  frameworkId: string;
  agentId: string;
  state: TaskState;
  source: StatusSource;
  /** ms since epoch */
  timestamp: number;
  reason?: TaskReason;
  message?: string;
  /** Present when the update is reliable: the framework must ACKNOWLEDGE it. Master-made updates carry none. */
  uuid?: string;
  exitCode?: number;
  signal?: string;
  /** From the task's health check: present on health updates and on a health kill. */
  healthy?: boolean;
  /** Consecutive failed health checks when the update was made (health updates only). */
  healthFailures?: number;
  executorPid?: number;
}

export interface Offer {
  id: string;
  frameworkId: string;
  agentId: string;
  hostname: string;
  resources: Resources;
  attributes: Attributes;
}

export interface FrameworkInfo {
  /** Set when re-subscribing with an existing id. */
  id?: string;
  name: string;
  role?: string;
  weight?: number;
  principal?: string;
  user?: string;
  /** How long the master keeps the framework's tasks after it disconnects. Default 0 (Mesos' default). */
  failoverTimeoutMs?: number;
}

export interface Filters {
  /** How long declined resources are withheld from this framework on that agent. Default 5 s. */
  refuseSeconds?: number;
}

export type Operation = { type: 'LAUNCH'; tasks: TaskInfo[] };

export type Call =
  | { type: 'ACCEPT'; offerIds: string[]; operations: Operation[]; filters?: Filters }
  | { type: 'DECLINE'; offerIds: string[]; filters?: Filters }
  | { type: 'KILL'; taskId: string; agentId?: string; killGracePeriodMs?: number }
  | { type: 'RECONCILE'; tasks: Array<{ taskId: string; agentId?: string }> }
  | { type: 'ACKNOWLEDGE'; agentId: string; taskId: string; uuid: string }
  | { type: 'REVIVE' }
  | { type: 'SUPPRESS' }
  | { type: 'TEARDOWN' };
export type CallType = Call['type'];

export type Event =
  | { type: 'SUBSCRIBED'; frameworkId: string; heartbeatIntervalSeconds: number }
  | { type: 'OFFERS'; offers: Offer[] }
  | { type: 'RESCIND'; offerId: string }
  | { type: 'UPDATE'; status: TaskStatus }
  | { type: 'HEARTBEAT' }
  | { type: 'FAILURE'; agentId: string; message: string }
  | { type: 'ERROR'; message: string };

/** A refusal of a call or subscription: a stable code, a message, and the offending field when there is one. */
export interface CallError {
  code: string;
  message: string;
  field?: string;
}

/** The master's side of one framework connection: where it sends events. */
export interface FrameworkConnection {
  send(event: Event): void;
  /** The master ended the subscription (teardown, replaced by a newer one, or shutting down). */
  close(reason: string): void;
}

/**
 * What the master offers frameworks. Implemented by the master; used by the SDK's transports.
 * Calls are ordered per framework; a call's promise resolves once the master has applied it.
 */
export interface MasterEndpoint {
  subscribe(info: FrameworkInfo, conn: FrameworkConnection): Promise<Result<{ frameworkId: string; streamId: string }, CallError>>;
  call(frameworkId: string, streamId: string, call: Call): Promise<Result<void, CallError>>;
  /** The connection dropped; the framework's failover timeout starts. */
  disconnect(frameworkId: string, streamId: string): void;
}

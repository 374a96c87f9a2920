/**
 * The master ⇄ agent protocol. In one process (`orrery up`) these are direct calls; across machines the same
 * interfaces are carried over HTTP. Types only: both sides import this file and nothing of each other.
 *
 * Status updates are acknowledged hop by hop: the agent checkpoints an update, sends it with `statusUpdate`,
 * and re-sends it (backing off) until the master calls `AgentLink.acknowledge(taskId, uuid)`; the master
 * acknowledges once it has persisted the task's new state. Per task only the oldest unacknowledged update is in
 * flight, so a framework sees a task's states in order.
 */
import type { Attributes, Resources } from '../resources/types.ts';
import type { Result } from '../errors/result.ts';
import type { CallError, TaskInfo, TaskState, TaskStatus } from '../sdk/protocol.ts';

export interface TaskReport {
  frameworkId: string;
  task: TaskInfo;
  /** The latest state the agent knows (terminal updates not yet acknowledged are still reported). */
  state: TaskState;
}

export interface AgentRegistration {
  /** Set when the agent recovered an id from its checkpoint (re-registration). */
  agentId?: string;
  hostname: string;
  resources: Resources;
  attributes: Attributes;
  /** Isolators in use, e.g. `['posix/process-group', 'filesystem/sandbox']`. */
  isolators: string[];
  version: string;
  /** Tasks the agent still runs or has unacknowledged updates for. */
  tasks: TaskReport[];
}

/** What the master exposes to agents. */
export interface MasterForAgents {
  /**
   * Admits the agent (or re-admits it: `reg.agentId` set) and reconciles the tasks it reports. Calling it again
   * later is a re-registration (after a master restart or a network cut); it replaces the previous link.
   */
  registerAgent(reg: AgentRegistration, link: AgentLink): Promise<Result<{ agentId: string }, CallError>>;
  /** A reliable update (it carries a uuid); the master answers later through `AgentLink.acknowledge`. */
  statusUpdate(agentId: string, status: TaskStatus): void;
  /**
   * The agent is alive. Remote agents (`AgentLink.remote`) call it every heartbeat interval; the master marks one
   * that stops calling disconnected, then its tasks LOST. `AGENT_NOT_REGISTERED` means: register again.
   * Optional: an in-process agent never calls it (its transport does, see core/transport).
   */
  heartbeat?(agentId: string): Promise<Result<void, CallError>>;
}

export type SandboxFile = 'stdout' | 'stderr';

export interface FileChunk {
  /** UTF-8 text of the bytes [offset, offset + length) that exist. */
  data: string;
  offset: number;
  /** Total size of the file in bytes at the time of reading. */
  size: number;
}

/**
 * A task's resource usage, sampled by its agent (Mesos' ResourceStatistics, camelCase). Which fields are present
 * depends on the isolation: `cgroups/v1`, `cgroups/v2` (counters of the task's cgroup: every process it ever ran)
 * or `posix` (sums over the live processes of its process group, sampled every poll interval).
 */
export interface TaskStats {
  taskId: string;
  /** When sampled, ms since epoch. */
  timestamp: number;
  /** False: the last sample, taken as the task ended. */
  running: boolean;
  /** The isolator that measured it, e.g. `cgroups/v1`, `posix/rss`. */
  isolation: string;
  cpusLimit?: number;
  cpusUserTimeSecs: number;
  cpusSystemTimeSecs: number;
  /** CFS periods, throttled periods and time (cgroups). */
  cpusNrPeriods?: number;
  cpusNrThrottled?: number;
  cpusThrottledTimeSecs?: number;
  /** Resident memory (anonymous + mapped files). */
  memRssBytes?: number;
  /** What counts against the limit: the cgroup's usage (resident + page cache), or the RSS under posix. */
  memTotalBytes?: number;
  memMaxTotalBytes?: number;
  memLimitBytes?: number;
  /** Processes killed by the kernel's OOM killer in the task's cgroup. */
  memOomKills?: number;
  processes?: number;
}

/** What an agent exposes to the master. */
export interface AgentLink {
  /**
   * True when the agent runs in another process: the master then expects heartbeats and treats their absence as
   * the agent's loss. An in-process agent (`orrery up`) cannot be cut off from its master and leaves it unset.
   */
  readonly remote?: boolean;
  /** The master no longer uses this link (a newer registration replaced it, or the master stops). */
  close?(reason: string): void;
  launch(frameworkId: string, task: TaskInfo): void;
  /** SIGTERM to the task's process group, SIGKILL after the grace period (task's own, else this, else 3 s). */
  kill(frameworkId: string, taskId: string, gracePeriodMs?: number): void;
  acknowledge(taskId: string, uuid: string): void;
  /** Reads part of a file in the task's sandbox; never a path outside it. */
  readFile(taskId: string, path: string, offset: number, length: number): Promise<Result<FileChunk, CallError>>;
  /** The task's resource usage now, or its last sample once it ended (TASK_NOT_FOUND when the agent has none). */
  taskStats(taskId: string): Promise<Result<TaskStats, CallError>>;
}

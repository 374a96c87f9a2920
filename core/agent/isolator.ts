import type { TaskInfo, TaskReason } from '../sdk/protocol.ts';
import type { TaskStats } from './protocol.ts';

export interface IsolationContext {
  frameworkId: string;
  task: TaskInfo;
  /** The launch's id: unique per run, the same after an agent restart (it is checkpointed with the task). */
  runId: string;
  /** Absolute path of the run's sandbox, already created. */
  sandbox: string;
}

/** What an isolator adds to the executor's command line and environment. */
export interface IsolatorLaunch {
  /**
   * Prepended to the command argv inside the shim; the wrapper must end by exec-ing its remaining arguments,
   * e.g. `['/bin/sh', '-c', 'echo $$ > /sys/fs/cgroup/memory/X/cgroup.procs && exec "$@"', 'cgroup-join']`,
   * so the command stays in the shim's process group and its exit status passes through.
   */
  wrapperArgs: string[];
  env: Record<string, string>;
  /**
   * POSIX sh commands the executor shim runs itself, before it forks the command (`$$` is the shim: the task's
   * process-group leader), e.g. `echo $$ > '/sys/fs/cgroup/memory/orrery/…/cgroup.procs'`: whatever the shim
   * joins, the command inherits, with no window in which it runs outside. All must succeed or the command never
   * starts (the shim exits 125 with the reason in the sandbox's stderr).
   */
  setup?: string[];
}

/** Why an isolator stopped a task; it then ends FAILED with this reason whatever its exit status. */
export interface Limitation {
  reason: TaskReason;
  message: string;
}

/** The usage an isolator can measure (TaskStats without the fields the agent fills in). */
export type IsolatorUsage = Partial<Omit<TaskStats, 'taskId' | 'timestamp' | 'running'>>;

/**
 * One isolation mechanism (Mesos' isolator). The agent calls `prepare` for every isolator, in order, after the
 * sandbox exists and before the executor starts (wrappers nest in that order), and `cleanup` once the task's
 * processes are all gone. Both may do I/O; a `prepare` failure fails the launch with REASON_CONTAINER_LAUNCH_FAILED.
 * The optional hooks, per task, in this order: `watch` once the executor runs (after a launch, or when an agent
 * restart re-attaches to it), `usage` any time until cleanup, `limitation` once the executor ended (before the
 * terminal state is decided), then `cleanup`. An isolator that enforces a limit itself (RSS polling, a cgroup's
 * OOM kill) kills the task's processes with SIGKILL and answers `limitation` afterwards.
 */
export interface Isolator {
  /** The name reported to the master, e.g. `posix/process-group`. */
  readonly name: string;
  prepare(ctx: IsolationContext): Promise<IsolatorLaunch>;
  /** The executor runs as `pgid` (the leader of the task's process group). */
  watch?(ctx: IsolationContext, pgid: number): void;
  usage?(ctx: IsolationContext): Promise<IsolatorUsage | undefined>;
  limitation?(ctx: IsolationContext): Promise<Limitation | undefined>;
  cleanup(ctx: IsolationContext): Promise<void>;
  /**
   * After an agent restart, once every checkpointed task was recovered: `runIds` are the runs still tracked.
   * Whatever the isolator holds for other runs (a cgroup left by a crash) is an orphan: kill and remove it.
   */
  recovered?(runIds: ReadonlySet<string>): Promise<void>;
  /** The agent stops: stop timers (tasks keep running unless the agent killed them). */
  close?(): void;
}

const NOTHING: IsolatorLaunch = { wrapperArgs: [], env: {} };

/**
 * The executor leads its own session and process group (a detached spawn), so a kill reaches every process of
 * the task and the task outlives an agent restart. The mechanism is the launch itself; nothing to wrap.
 */
export const processGroupIsolator: Isolator = {
  name: 'posix/process-group',
  prepare: async () => NOTHING,
  cleanup: async () => undefined,
};

/** The task runs with its sandbox as working directory, and sandbox reads never resolve outside it. */
export const sandboxFilesystemIsolator: Isolator = {
  name: 'filesystem/sandbox',
  prepare: async () => NOTHING,
  cleanup: async () => undefined,
};

/** The isolators every agent applies; resource isolators (isolation/select-isolators.ts) follow them. */
export function defaultIsolators(): Isolator[] {
  return [processGroupIsolator, sandboxFilesystemIsolator];
}

import type { TaskInfo } from '../sdk/protocol.ts';

export interface IsolationContext {
  frameworkId: string;
  task: TaskInfo;
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
}

/**
 * One isolation mechanism (Mesos' isolator). The agent calls `prepare` for every isolator, in order, after the
 * sandbox exists and before the executor starts (wrappers nest in that order), and `cleanup` once the task's
 * processes are all gone. Both may do I/O; a `prepare` failure fails the launch with REASON_CONTAINER_LAUNCH_FAILED.
 */
export interface Isolator {
  /** The name reported to the master, e.g. `posix/process-group`. */
  readonly name: string;
  prepare(ctx: IsolationContext): Promise<IsolatorLaunch>;
  cleanup(ctx: IsolationContext): Promise<void>;
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

/** The isolators every agent applies today; cgroups isolators join this list when the host allows them. */
export function defaultIsolators(): Isolator[] {
  return [processGroupIsolator, sandboxFilesystemIsolator];
}

import { constants } from 'node:os';
import { TaskReason, TaskState } from '../sdk/protocol.ts';

/** How an executor ended, as far as the agent could tell. */
export interface ExecutorExit {
  /** The number the shim wrote to `exit_status` (128+N when the command died of signal N); absent when it wrote none. */
  exitStatus?: number;
  /** The signal that ended the shim itself, when the agent is its parent and saw it. */
  signal?: NodeJS.Signals | null;
  /** A kill was requested before the executor ended: the task is KILLED whatever its status. */
  killRequested: boolean;
}

export interface TaskOutcome {
  state: typeof TaskState.FINISHED | typeof TaskState.FAILED | typeof TaskState.KILLED;
  reason?: TaskReason;
  message: string;
  exitCode?: number;
  signal?: string;
}

/** Maps an executor's end to the task's terminal state (Mesos' command executor rules). Pure. */
export function taskOutcome(exit: ExecutorExit): TaskOutcome {
  const { exitStatus, killRequested } = exit;
  const signal = exit.signal ?? (exitStatus !== undefined ? signalOfStatus(exitStatus) : undefined);
  if (killRequested) {
    const message = signal
      ? `Command terminated with signal ${signal}`
      : `Command exited with status ${exitStatus ?? 'unknown'} after a kill request`;
    return { state: TaskState.KILLED, message, ...(exitStatus !== undefined && { exitCode: exitStatus }), ...(signal && { signal }) };
  }
  if (exitStatus === 0) return { state: TaskState.FINISHED, message: 'Command exited with status 0', exitCode: 0 };
  if (exitStatus !== undefined) {
    return { state: TaskState.FAILED, message: `Command exited with status ${exitStatus}`, exitCode: exitStatus };
  }
  return {
    state: TaskState.FAILED,
    reason: TaskReason.EXECUTOR_TERMINATED,
    message: exit.signal ? `Executor terminated with signal ${exit.signal}` : 'Executor terminated without an exit status',
    ...(exit.signal && { signal: exit.signal }),
  };
}

/** `exit_status` holds one decimal integer; anything else counts as missing. */
export function parseExitStatus(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** A shell reports death by signal N as 128+N; only a kill request makes that reading trustworthy, so callers decide. */
function signalOfStatus(status: number): string | undefined {
  return status > 128 ? SIGNAL_NAMES.get(status - 128) : undefined;
}

/**
 * Runs: one firing of a job. The stored record, how task states map to run states, retry timing, and the
 * view the API returns. Pure.
 *
 *   QUEUED ──launch accepted──► STARTING ──TASK_RUNNING──► RUNNING ──► SUCCEEDED | FAILED | KILLED
 *     │                                                               (FAILED + retries left → new run, cause retry)
 *     ├─ lateness limit passed before launch ──► MISSED
 *     └─ killed before launch ──► KILLED            forbid while another run is active ──► SKIPPED (never QUEUED)
 */
import type { TaskState, TaskStatus } from '../../core/sdk/index.ts';
import type { Backoff, RunCause } from './job-model.ts';
import { RunState, isTerminalRunState } from './run-stats.ts';

/** Why the service killed a run's task; decides how the KILLED update is recorded. */
export const KillReason = { USER: 'user', TIMEOUT: 'timeout', REPLACED: 'replaced', DELETED: 'deleted' } as const;
export type KillReason = (typeof KillReason)[keyof typeof KillReason];

export interface RunRecord {
  /** Per-job sequence number, as a string ("1", "2", …): increasing, never reused while the job exists (a creation turned away, e.g. a duplicate trigger, leaves a gap). */
  id: string;
  job: string;
  cause: RunCause;
  /** 1 for the first attempt; a retry is a new run with attempt + 1. */
  attempt: number;
  state: RunState;
  /** Why the run is in its state, for people: the exit status, "timed out after 2000 ms", "missed: 3.2 s late". */
  reason?: string;
  /** When it was due: the fire time (schedule), when the parents made it ready (parent), the request (manual), the retry time (retry). */
  scheduledAt: number;
  queuedAt: number;
  /** The master accepted the launch. */
  launchedAt?: number;
  /** The task reported RUNNING. */
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  agentId?: string;
  hostname?: string;
  taskId?: string;
  /** The replica whose framework launches and watches this run. */
  owner: string;
  /** The first attempt's run id, on retries. */
  retryOf?: string;
  /** The parent run whose success made this child run ready. */
  triggeredBy?: { job: string; runId: string };
  /** Extra argv (manual runs, Chronos' `?arguments=`): appended to argv, or shell-quoted onto a shell command. */
  arguments?: string[];
  /** The service killed the task, and why (set before the kill is sent). */
  killReason?: KillReason;
  killDetail?: string;
  /** A retry of this failed run is due then (cancelled by a kill of the job). */
  nextRetryAt?: number;
  /** Started by the missed-run policy after downtime. */
  catchUp?: boolean;
}

export type RunDraft = Omit<RunRecord, 'id'>;

export const runKey = (job: string, runId: string): string => `${job}/${runId}`;

/** A task id that names its job and run, so an update can be routed without any lookup: `jobs:<job>:<run>:<nonce>`. */
export function taskIdFor(job: string, runId: string, nonce: string): string {
  return `jobs:${job}:${runId}:${nonce}`;
}

/** The job and run of a task id made by `taskIdFor`; undefined for other tasks. Job names never contain ':'. */
export function parseTaskId(taskId: string): { job: string; runId: string } | undefined {
  const parts = taskId.split(':');
  if (parts.length !== 4 || parts[0] !== 'jobs' || parts[1] === '' || parts[2] === '') return undefined;
  return { job: parts[1], runId: parts[2] };
}

/**
 * The run state a task update means, or undefined when it changes nothing (KILLING, UNREACHABLE).
 * A KILLED task whose kill the service sent for a timeout is a FAILED run (the run did not finish in time).
 */
export function runStateForTask(state: TaskState, killReason: KillReason | undefined): RunState | undefined {
  switch (state) {
    case 'STAGING':
    case 'STARTING':
      return RunState.STARTING;
    case 'RUNNING':
      return RunState.RUNNING;
    case 'FINISHED':
      return RunState.SUCCEEDED;
    case 'KILLED':
      return killReason === KillReason.TIMEOUT ? RunState.FAILED : RunState.KILLED;
    case 'FAILED':
    case 'ERROR':
    case 'LOST':
    case 'DROPPED':
    case 'GONE':
    case 'UNKNOWN':
      return RunState.FAILED;
    case 'KILLING':
    case 'UNREACHABLE':
      return undefined;
  }
}

/** The order runs move through; an update never moves a run backwards (reconciliation replays old states). */
const RANK: Record<RunState, number> = { QUEUED: 0, STARTING: 1, RUNNING: 2, SUCCEEDED: 3, FAILED: 3, KILLED: 3, MISSED: 3, SKIPPED: 3 };

/** True when moving from `from` to `to` is progress (terminal states are final). */
export function isForward(from: RunState, to: RunState): boolean {
  if (isTerminalRunState(from)) return false;
  return RANK[to] > RANK[from];
}

/** The reason recorded for a terminal task update. */
export function reasonForTask(status: TaskStatus, run: Pick<RunRecord, 'killReason' | 'killDetail'>, timeoutMs: number | null): string | undefined {
  if (status.state === 'KILLED' && run.killReason === KillReason.TIMEOUT) return `timed out after ${timeoutMs ?? '?'} ms`;
  if (status.state === 'KILLED' && run.killDetail) return run.killDetail;
  if (status.state === 'UNKNOWN') return 'the master does not know the task (lost while no replica watched it)';
  const parts = [status.message, status.reason].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(' — ') : undefined;
}

/** Delay before retrying after failed attempt `attempt` (1-based): initial × factor^(attempt-1), capped. */
export function retryDelayMs(backoff: Backoff, attempt: number): number {
  const raw = backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1);
  return Math.round(Math.min(backoff.maxMs, raw));
}

/** A failed attempt is retried while attempts remain; kills (user, replace, delete) are never retried, timeouts are. */
export function shouldRetry(run: Pick<RunRecord, 'state' | 'attempt'>, retries: number): boolean {
  return run.state === RunState.FAILED && run.attempt <= retries;
}

/** argv of a run: the job's command with the run's extra arguments (shell commands get them single-quoted). */
export function commandWithArguments(command: { shell: true; value: string } | { shell: false; arguments: string[] }, extra: readonly string[] | undefined): { shell: true; value: string } | { shell: false; arguments: string[] } {
  if (!extra || extra.length === 0) return command;
  if (!command.shell) return { shell: false, arguments: [...command.arguments, ...extra] };
  const quoted = extra.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return { shell: true, value: `${command.value} ${quoted}` };
}

const iso = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString());

export interface RunView {
  id: string;
  job: string;
  cause: RunCause;
  attempt: number;
  state: RunState;
  reason?: string;
  scheduledAt: string;
  queuedAt: string;
  launchedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  agentId?: string;
  hostname?: string;
  taskId?: string;
  retryOf?: string;
  triggeredBy?: { job: string; runId: string };
  arguments?: string[];
  catchUp?: boolean;
  nextRetryAt?: string;
  pendingReason?: string;
  links?: { task: string; stdout: string; stderr: string };
}

/** The API view of a run; `pendingReason` says why a QUEUED run has not launched yet. */
export function runView(r: RunRecord, pendingReason?: string): RunView {
  const v: RunView = { id: r.id, job: r.job, cause: r.cause, attempt: r.attempt, state: r.state, scheduledAt: iso(r.scheduledAt)!, queuedAt: iso(r.queuedAt)! };
  if (r.reason !== undefined) v.reason = r.reason;
  if (r.launchedAt !== undefined) v.launchedAt = iso(r.launchedAt);
  if (r.startedAt !== undefined) v.startedAt = iso(r.startedAt);
  if (r.finishedAt !== undefined) v.finishedAt = iso(r.finishedAt);
  if (r.startedAt !== undefined && r.finishedAt !== undefined) v.durationMs = r.finishedAt - r.startedAt;
  if (r.exitCode !== undefined) v.exitCode = r.exitCode;
  if (r.agentId !== undefined) v.agentId = r.agentId;
  if (r.hostname !== undefined) v.hostname = r.hostname;
  if (r.retryOf !== undefined) v.retryOf = r.retryOf;
  if (r.triggeredBy !== undefined) v.triggeredBy = r.triggeredBy;
  if (r.arguments !== undefined) v.arguments = r.arguments;
  if (r.catchUp) v.catchUp = true;
  if (r.nextRetryAt !== undefined) v.nextRetryAt = iso(r.nextRetryAt);
  if (pendingReason !== undefined && r.state === RunState.QUEUED) v.pendingReason = pendingReason;
  // A queued run's task id is not known to the master yet: no links until it is launched.
  if (r.taskId !== undefined && r.state !== RunState.QUEUED) {
    v.taskId = r.taskId;
    const task = `/v1/tasks/${r.taskId}`;
    v.links = { task, stdout: `${task}/files/stdout`, stderr: `${task}/files/stderr` };
  }
  return v;
}

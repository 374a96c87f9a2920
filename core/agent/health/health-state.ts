/**
 * Health check rules (Mesos' health checker, pure): defaults, the port a check targets, and what one probe
 * outcome does to a task's health — when to report (only on changes), when the failure threshold is reached.
 */
import { err, ok, type Result } from '../../errors/result.ts';
import type { HealthCheck, TaskInfo } from '../../sdk/protocol.ts';

export interface ResolvedHealthCheck {
  type: HealthCheck['type'];
  path: string;
  /** HTTP and TCP: the host port. */
  port?: number;
  command?: string;
  delayMs: number;
  gracePeriodMs: number;
  intervalMs: number;
  timeoutMs: number;
  /** 0 = no threshold. */
  consecutiveFailures: number;
  killOnFailure: boolean;
}

export interface ProbeOutcome {
  ok: boolean;
  cause?: string;
}

export interface HealthState {
  consecutiveFailures: number;
  /** Undefined until the first result that counts. */
  healthy?: boolean;
  everSucceeded: boolean;
  /** The threshold was reached (and acted on) since the last success. */
  thresholdReached: boolean;
}

export interface HealthReport {
  healthy: boolean;
  consecutiveFailures: number;
  cause?: string;
}

export interface HealthStep {
  state: HealthState;
  /** Set when the framework must hear of it. */
  report?: HealthReport;
  /** The failures just reached the threshold and the check kills. */
  kill: boolean;
}

export const INITIAL_HEALTH: HealthState = { consecutiveFailures: 0, everSucceeded: false, thresholdReached: false };

/** The n-th port of the task's `ports` resource, counting through its ranges in order. */
export function taskPort(task: Pick<TaskInfo, 'resources'>, index: number): number | undefined {
  let left = index;
  for (const [begin, end] of task.resources?.ranges?.ports ?? []) {
    if (left <= end - begin) return begin + left;
    left -= end - begin + 1;
  }
  return undefined;
}

const ms = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);

/** Mesos' defaults (grace 10 s, interval 10 s, timeout 20 s, 3 failures), the delay shortened to 0. */
export function resolveHealthCheck(task: Pick<TaskInfo, 'resources' | 'healthCheck'>): Result<ResolvedHealthCheck, string> {
  const c = task.healthCheck as HealthCheck;
  if (c.type !== 'HTTP' && c.type !== 'TCP' && c.type !== 'COMMAND') return err(`health check type must be HTTP, TCP or COMMAND, got ${String(c.type)}`);
  const resolved: ResolvedHealthCheck = {
    type: c.type,
    path: typeof c.path === 'string' && c.path.startsWith('/') ? c.path : '/',
    delayMs: ms(c.delayMs, 0),
    gracePeriodMs: ms(c.gracePeriodMs, 10_000),
    intervalMs: Math.max(1, ms(c.intervalMs, 10_000)),
    timeoutMs: Math.max(1, ms(c.timeoutMs, 20_000)),
    consecutiveFailures: Math.floor(ms(c.consecutiveFailures, 3)),
    killOnFailure: c.killOnFailure !== false,
  };
  if (c.type === 'COMMAND') {
    if (typeof c.command !== 'string' || c.command.trim() === '') return err('a COMMAND health check needs a command');
    resolved.command = c.command;
    return ok(resolved);
  }
  const index = c.portIndex ?? 0;
  const port = Number.isInteger(index) && index >= 0 ? taskPort(task, index) : undefined;
  if (port === undefined) return err(`health check portIndex ${String(index)}: the task has no such port in its ports resource`);
  resolved.port = port;
  return ok(resolved);
}

/** One probe outcome applied at `now`; `startedAt` is when the task became RUNNING. */
export function nextHealth(s: HealthState, outcome: ProbeOutcome, check: ResolvedHealthCheck, startedAt: number, now: number): HealthStep {
  if (outcome.ok) {
    const state: HealthState = { consecutiveFailures: 0, healthy: true, everSucceeded: true, thresholdReached: false };
    return s.healthy === true ? { state, kill: false } : { state, report: { healthy: true, consecutiveFailures: 0 }, kill: false };
  }
  // Mesos: failures before the first success within the grace period do not count.
  if (!s.everSucceeded && now - startedAt < check.gracePeriodMs) return { state: s, kill: false };
  const failures = s.consecutiveFailures + 1;
  const reached = check.consecutiveFailures > 0 && failures >= check.consecutiveFailures;
  const state: HealthState = { consecutiveFailures: failures, healthy: false, everSucceeded: s.everSucceeded, thresholdReached: s.thresholdReached || reached };
  const newlyReached = reached && !s.thresholdReached;
  // A check that does not kill reminds the framework at every multiple of the threshold, so one that missed the
  // first report (restarted meanwhile; it learns `healthy: false` from reconciliation) still hears of it.
  const reminder = reached && !check.killOnFailure && failures % check.consecutiveFailures === 0;
  const report = s.healthy !== false || newlyReached || reminder ? { healthy: false, consecutiveFailures: failures, cause: outcome.cause ?? 'failed' } : undefined;
  return { state, ...(report && { report }), kill: newlyReached && check.killOnFailure };
}

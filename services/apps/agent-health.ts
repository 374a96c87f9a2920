/**
 * An app's first health check runs on the agent (Marathon's MESOS_* checks): this maps it to the task's
 * `healthCheck` and folds the agent's health updates into the instance's results (pure). The agent never kills
 * for it (`killOnFailure: false`): it reports when `maxConsecutiveFailures` is reached, and the supervisor
 * replaces the instance within its health-kill rate limit. Further checks of the app still run in the service.
 */
import type { HealthCheck, TaskStatus } from '../../core/sdk/index.ts';
import type { HealthCheckSpec } from './app-spec.ts';
import type { HealthCheckResult } from './apps-model.ts';

export function agentHealthCheck(spec: HealthCheckSpec): HealthCheck {
  const check: HealthCheck = {
    type: spec.protocol,
    gracePeriodMs: Math.round(spec.gracePeriodSeconds * 1000),
    intervalMs: Math.max(1, Math.round(spec.intervalSeconds * 1000)),
    timeoutMs: Math.max(1, Math.round(spec.timeoutSeconds * 1000)),
    consecutiveFailures: spec.maxConsecutiveFailures,
    killOnFailure: false,
  };
  if (spec.path !== undefined) check.path = spec.path;
  if (spec.portIndex !== undefined) check.portIndex = spec.portIndex;
  if (spec.command !== undefined) check.command = spec.command;
  return check;
}

/** Identifies the check an instance was launched with, to tell whether the app's current first check is it. */
export function agentCheckKey(spec: HealthCheckSpec | undefined): string | undefined {
  return spec ? JSON.stringify(agentHealthCheck(spec)) : undefined;
}

/**
 * The result after a health update from the agent (`status.healthy` set). With `check` (the check the agent
 * runs), the report is anchored for `currentAgentResult`.
 */
export function applyAgentHealth(r: HealthCheckResult | undefined, status: Pick<TaskStatus, 'healthy' | 'healthFailures' | 'message'>, now: number, check?: HealthCheckSpec): HealthCheckResult {
  // A report ends the stretch since the previous one: what it implied until just before now stays.
  const prev = r ? currentAgentResult(r, now - 1) : { consecutiveFailures: 0 };
  const anchor = check ? { agentReport: { at: now, intervalMs: check.intervalSeconds * 1000, timeoutMs: check.timeoutSeconds * 1000 } } : {};
  if (status.healthy) return { ...prev, alive: true, consecutiveFailures: 0, firstSuccess: prev.firstSuccess ?? now, lastSuccess: now, ...anchor };
  // Without a count (a reconciliation answer), at least one failure is known.
  const failures = status.healthFailures ?? Math.max(1, prev.consecutiveFailures);
  return { ...prev, alive: false, consecutiveFailures: failures, lastFailure: now, lastFailureCause: status.message ?? 'failed', ...anchor };
}

/**
 * The agent's result as of `now`, for display. The agent reports a change at once (the first failure after a
 * success, the first success after failures) and otherwise stays silent, so after a healthy report every check
 * since has passed — `lastSuccess` is the last check time at the interval — and after an unhealthy one every
 * check since has failed: at least one more failure per max(interval, timeout) (a check that times out delays
 * the next). Only meaningful while the task runs and its agent is connected: the caller decides.
 */
export function currentAgentResult(r: HealthCheckResult, now: number): HealthCheckResult {
  const a = r.agentReport;
  if (!a || r.alive === undefined) return r;
  const elapsed = now - a.at;
  if (r.alive) {
    const checks = Math.floor(elapsed / a.intervalMs);
    return checks > 0 ? { ...r, lastSuccess: a.at + checks * a.intervalMs } : r;
  }
  const period = Math.max(a.intervalMs, a.timeoutMs);
  const checks = Math.floor(elapsed / period);
  return checks > 0 ? { ...r, consecutiveFailures: r.consecutiveFailures + checks, lastFailure: a.at + checks * period } : r;
}

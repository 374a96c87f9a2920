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

/** The result after a health update from the agent (`status.healthy` set). */
export function applyAgentHealth(r: HealthCheckResult | undefined, status: Pick<TaskStatus, 'healthy' | 'healthFailures' | 'message'>, now: number): HealthCheckResult {
  const prev = r ?? { consecutiveFailures: 0 };
  if (status.healthy) return { ...prev, alive: true, consecutiveFailures: 0, firstSuccess: prev.firstSuccess ?? now, lastSuccess: now };
  // Without a count (a reconciliation answer), at least one failure is known.
  const failures = status.healthFailures ?? Math.max(1, prev.consecutiveFailures);
  return { ...prev, alive: false, consecutiveFailures: failures, lastFailure: now, lastFailureCause: status.message ?? 'failed' };
}

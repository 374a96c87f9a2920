import { describe, expect, it } from 'vitest';
import { agentCheckKey, agentHealthCheck, applyAgentHealth, currentAgentResult } from './agent-health.ts';
import type { HealthCheckSpec } from './app-spec.ts';

const http: HealthCheckSpec = { protocol: 'HTTP', path: '/health', portIndex: 0, gracePeriodSeconds: 30, intervalSeconds: 0.2, timeoutSeconds: 1, maxConsecutiveFailures: 3 };

describe('agent-run app health checks', () => {
  it('maps the app check to a task health check that reports but never kills', () => {
    expect(agentHealthCheck(http)).toEqual({ type: 'HTTP', path: '/health', portIndex: 0, gracePeriodMs: 30_000, intervalMs: 200, timeoutMs: 1000, consecutiveFailures: 3, killOnFailure: false });
    expect(agentHealthCheck({ protocol: 'COMMAND', command: 'true', gracePeriodSeconds: 0, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 0 })).toMatchObject({ type: 'COMMAND', command: 'true', consecutiveFailures: 0 });
    expect(agentCheckKey(http)).toBe(agentCheckKey({ ...http }));
    expect(agentCheckKey(http)).not.toBe(agentCheckKey({ ...http, path: '/other' }));
    expect(agentCheckKey(undefined)).toBeUndefined();
  });

  it('folds agent updates into the check result, keeping the counts the agent sent', () => {
    const up = applyAgentHealth(undefined, { healthy: true }, 1000);
    expect(up).toEqual({ alive: true, consecutiveFailures: 0, firstSuccess: 1000, lastSuccess: 1000 });
    const down = applyAgentHealth(up, { healthy: false, healthFailures: 3, message: 'Health check failed: HTTP 500 from /health' }, 2000);
    expect(down).toMatchObject({ alive: false, consecutiveFailures: 3, firstSuccess: 1000, lastFailure: 2000, lastFailureCause: 'Health check failed: HTTP 500 from /health' });
    // A reconciliation answer carries no count: at least one failure is known, a known count is kept.
    expect(applyAgentHealth(undefined, { healthy: false }, 3000).consecutiveFailures).toBe(1);
    expect(applyAgentHealth(down, { healthy: false }, 3000).consecutiveFailures).toBe(3);
  });

  it('keeps the results current between reports: the agent reports changes only', () => {
    // interval 0.2 s, timeout 1 s. The QA case: lastSuccess stayed at firstSuccess while every check passed.
    const up = applyAgentHealth(undefined, { healthy: true }, 1000, http);
    expect(up.agentReport).toEqual({ at: 1000, intervalMs: 200, timeoutMs: 1000 });
    expect(currentAgentResult(up, 1150)).toBe(up);
    expect(currentAgentResult(up, 13_100)).toMatchObject({ alive: true, firstSuccess: 1000, lastSuccess: 13_000, consecutiveFailures: 0 });
    // Failing: at least one more failure per max(interval, timeout), as a check that times out delays the next.
    const down = applyAgentHealth(up, { healthy: false, healthFailures: 3, message: 'HTTP 500' }, 20_000, http);
    // The checks before the failure report passed: the last one an interval before it.
    expect(down.lastSuccess).toBe(19_800);
    expect(currentAgentResult(down, 22_500)).toMatchObject({ alive: false, consecutiveFailures: 5, lastFailure: 22_000, lastSuccess: 19_800 });
    // A reminder from the agent re-anchors the count.
    const reminded = applyAgentHealth(down, { healthy: false, healthFailures: 6, message: 'HTTP 500' }, 22_600, http);
    expect(currentAgentResult(reminded, 22_700).consecutiveFailures).toBe(6);
    // Results without a report from the agent (the service's own checks) and grace-period ones are left as they are.
    const own = { alive: true, consecutiveFailures: 0, lastSuccess: 5 };
    expect(currentAgentResult(own, 99_999)).toBe(own);
  });
});

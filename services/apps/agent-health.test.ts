import { describe, expect, it } from 'vitest';
import { agentCheckKey, agentHealthCheck, applyAgentHealth } from './agent-health.ts';
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
});

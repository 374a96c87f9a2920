import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import type { HealthCheckSpec } from './app-spec.ts';
import type { Instance } from './apps-model.ts';
import { HealthMonitor } from './health-monitor.ts';

const check: HealthCheckSpec = { protocol: 'HTTP', path: '/', portIndex: 0, gracePeriodSeconds: 2, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 2 };

function instance(): Instance {
  return { taskId: 't', appId: '/a', config: 'c', version: 'v', agentId: 'ag', hostname: 'h', attributes: {}, ports: [31000], stagedAt: 0, state: 'RUNNING', updatedAt: 0, health: [] };
}

function monitor(clock: ManualClock, outcomes: boolean[] = []) {
  const failed: string[] = [];
  const changes: Array<boolean | undefined> = [];
  const m = new HealthMonitor({
    clock,
    logger: silentLogger(),
    probe: async () => ({ ok: outcomes.shift() ?? false, cause: 'connection refused' }),
    address: (h) => h,
    onChange: (i) => changes.push(i.health[0]?.alive),
    onFailed: (i, cause) => {
      i.doomed = cause;
      failed.push(cause);
    },
  });
  return { m, failed, changes };
}

describe('HealthMonitor', () => {
  it('marks an instance that passed all its checks once, and says when a doomed one never did', () => {
    const clock = new ManualClock(0);
    const { m, failed } = monitor(clock);
    const never = instance();
    m.watch(never, [check], {}, true);
    m.agentResult(never, check, { healthy: false, healthFailures: 1, message: 'connection refused' });
    m.agentResult(never, check, { healthy: false, healthFailures: 2, message: 'connection refused' });
    expect(never.healthyOnce).toBeUndefined();
    expect(failed).toEqual(['HTTP check failed 2 times and never passed since the task started (grace period 2 s): connection refused']);

    const once = instance();
    m.watch(once, [check], {}, true);
    m.agentResult(once, check, { healthy: true });
    expect(once.healthyOnce).toBe(true);
    m.agentResult(once, check, { healthy: false, healthFailures: 2, message: 'HTTP 500' });
    expect(once.healthyOnce).toBe(true);
    expect(failed[1]).toBe('HTTP check failed 2 times: HTTP 500');
  });

  it('marks it from the checks the service runs too', async () => {
    const clock = new ManualClock(0);
    const { m, failed } = monitor(clock, [true]);
    const i = { ...instance(), startedAt: 0 };
    m.watch(i, [check], {}, false);
    clock.tick(0);
    await new Promise((r) => setImmediate(r));
    expect(i.healthyOnce).toBe(true);
    expect(i.health[0]).toMatchObject({ alive: true, lastSuccess: 0 });
    // Later results keep lastSuccess and lastFailure current (the service writes nothing per check).
    for (let k = 1; k <= 3; k++) {
      clock.tick(1000);
      await new Promise((r) => setImmediate(r));
    }
    expect(i.health[0]).toMatchObject({ alive: false, consecutiveFailures: 3, lastSuccess: 0, lastFailure: 3000 });
    expect(failed).toEqual(['HTTP check failed 2 times: connection refused']);
    m.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { nextRecord } from './app-record.ts';
import { validateAppSpec } from './app-spec.ts';
import type { AppRuntime, Instance } from './apps-model.ts';
import { AppsRegistry } from './apps-registry.ts';
import { appCounts, appStatus, taskView } from './app-views.ts';
import { applyAgentHealth } from './agent-health.ts';
import { recordFailure } from './launch-backoff.ts';

const CHECK = { protocol: 'HTTP', portIndex: 0, gracePeriodSeconds: 2, intervalSeconds: 1, maxConsecutiveFailures: 2 };

function app(def: Record<string, unknown>): AppRuntime {
  const spec = validateAppSpec({ id: '/qa/web', cmd: 'sleep 1000', ports: [{ port: 0 }], ...def });
  if (!spec.ok) throw new Error(JSON.stringify(spec.error));
  return new AppsRegistry().addApp(nextRecord(spec.value, undefined, 0));
}

function add(rt: AppRuntime, id: string, over: Partial<Instance> = {}): Instance {
  const i: Instance = { taskId: id, appId: rt.record.spec.id, config: rt.record.config, version: rt.record.version, agentId: 'a', hostname: 'h', attributes: {}, ports: [1], stagedAt: 0, state: 'RUNNING', updatedAt: 0, health: [], ...over };
  rt.instances.set(id, i);
  return i;
}

describe('app views', () => {
  it('says whether healthy applies: healthChecks 0 for an app without checks', () => {
    const plain = app({ instances: 2 });
    add(plain, 't1');
    add(plain, 't2');
    expect(appCounts(plain)).toMatchObject({ running: 2, healthy: 0, healthChecks: 0 });
    expect(appStatus(plain, appCounts(plain), 0)).toBe('RUNNING');
    const checked = app({ instances: 1, healthChecks: [CHECK] });
    add(checked, 't3', { health: [{ alive: true, consecutiveFailures: 0 }] });
    expect(appCounts(checked)).toMatchObject({ running: 1, healthy: 1, healthChecks: 1 });
  });

  it('is DELAYED, not RUNNING, while tasks keep failing and the wanted instances are not all up', () => {
    // The QA case: 1 instance whose checks never pass, relaunched after each failed launch.
    const rt = app({ instances: 1, healthChecks: [CHECK] });
    rt.backoff = recordFailure(rt.backoff, rt.record.spec, 10_000);
    expect(appStatus(rt, appCounts(rt), 10_500)).toBe('DELAYED');
    // Its next try runs (in its grace period): still DELAYED until it is healthy.
    add(rt, 'next', { health: [{ consecutiveFailures: 0 }] });
    expect(appStatus(rt, appCounts(rt), 12_000)).toBe('DELAYED');
    rt.instances.get('next')!.health = [{ alive: true, consecutiveFailures: 0 }];
    expect(appStatus(rt, appCounts(rt), 12_000)).toBe('RUNNING');
    // What the supervisor counted as up on its last pass decides (a task without checks RUNNING for a moment
    // only is not up: a crash loop).
    rt.ready = 0;
    expect(appStatus(rt, appCounts(rt), 12_000)).toBe('DELAYED');
    // Missing instances without failures wait for offers.
    const fresh = app({ instances: 2 });
    add(fresh, 'only');
    expect(appStatus(fresh, appCounts(fresh), 0)).toBe('WAITING');
  });

  it("shows the agent's check results as of now while the task runs, as reported once it is being killed", () => {
    const rt = app({ instances: 1, healthChecks: [CHECK] });
    const spec = rt.record.spec.healthChecks[0];
    const i = add(rt, 't', { health: [applyAgentHealth(undefined, { healthy: true }, 1000, spec)] });
    const results = (at: number) => (taskView(i, at).healthCheckResults as Array<Record<string, unknown>>)[0];
    expect(results(14_200)).toMatchObject({ alive: true, firstSuccess: new Date(1000).toISOString(), lastSuccess: new Date(14_000).toISOString() });
    i.killRequestedAt = 14_300;
    expect(results(20_000).lastSuccess).toBe(new Date(1000).toISOString());
  });
});

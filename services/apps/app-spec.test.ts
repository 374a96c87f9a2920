import { describe, expect, it } from 'vitest';
import { nextRecord, nextVersion, taskConfigHash } from './app-record.ts';
import { normalizeAppId, validateAppSpec, type AppSpec } from './app-spec.ts';
import { delayAfter, recordFailure, NO_BACKOFF, remainingMs, resetsBackoff, STABLE_MS } from './launch-backoff.ts';
import { applyOutcome, instanceHealthy } from './health-monitor.ts';

function valid(input: Record<string, unknown>): AppSpec {
  const r = validateAppSpec(input);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function issues(input: unknown): string[] {
  const r = validateAppSpec(input);
  return r.ok ? [] : r.error.map((i) => i.field);
}

describe('normalizeAppId', () => {
  it('makes ids absolute and refuses what is not a path of lowercase segments', () => {
    expect(normalizeAppId('prod/web')).toEqual({ ok: true, value: '/prod/web' });
    expect(normalizeAppId('/a.b/c-1').ok).toBe(true);
    for (const bad of ['/', '/Prod', '/a//b', '/a/', '/-a', '/a_b', '/a/../b', `/${'a'.repeat(200)}`, '/x/tasks', '/x/versions', '/restart']) {
      expect(normalizeAppId(bad).ok, bad).toBe(false);
    }
  });
});

describe('validateAppSpec', () => {
  it('fills Marathon defaults', () => {
    const s = valid({ id: 'web', cmd: 'serve' });
    expect(s).toMatchObject({
      id: '/web',
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      ports: [],
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      killSelection: 'YOUNGEST_FIRST',
      progressDeadlineSeconds: 600,
      autoRollback: false,
    });
  });

  it('fills health check defaults and checks the port index against the ports', () => {
    const s = valid({ id: '/w', cmd: 'x', ports: [{ name: 'http' }, { port: 8080 }], healthChecks: [{ path: '/health', portIndex: 1 }, { protocol: 'COMMAND', command: 'true' }] });
    expect(s.healthChecks[0]).toEqual({ protocol: 'HTTP', path: '/health', portIndex: 1, gracePeriodSeconds: 300, intervalSeconds: 60, timeoutSeconds: 20, maxConsecutiveFailures: 3 });
    expect(s.healthChecks[1]).toMatchObject({ protocol: 'COMMAND', command: 'true' });
    expect(issues({ id: '/w', cmd: 'x', ports: [{}], healthChecks: [{ portIndex: 1 }] })).toEqual(['body.healthChecks[0].portIndex']);
    expect(issues({ id: '/w', cmd: 'x', healthChecks: [{ protocol: 'TCP' }] })).toEqual(['body.healthChecks[0].portIndex']);
    expect(issues({ id: '/w', cmd: 'x', healthChecks: [{ protocol: 'COMMAND' }] })).toEqual(['body.healthChecks[0].command']);
    expect(issues({ id: '/w', cmd: 'x', ports: [{}], healthChecks: [{ intervalSeconds: 0, timeoutSeconds: 0 }] })).toEqual(['body.healthChecks[0].intervalSeconds', 'body.healthChecks[0].timeoutSeconds']);
  });

  it('names every offending field and accepts nothing unknown', () => {
    expect(
      issues({
        id: '/Bad',
        cmd: 'x',
        args: ['y'],
        instances: -1,
        colour: 'red',
        constraints: [['hostname', 'SOMETIMES'], ['rack', 'MAX_PER'], ['zone', 'LIKE', '(']],
        ports: [{ port: 80 }, { port: 80 }],
        upgradeStrategy: { minimumHealthCapacity: 2 },
        env: { 'BAD-NAME': 'x', OK: 1 },
        killSelection: 'RANDOM',
      }).sort(),
    ).toEqual(
      [
        'body.colour',
        'body.id',
        'body.args',
        'body.instances',
        'body.constraints[0][1]',
        'body.constraints[1][2]',
        'body.constraints[2][2]',
        'body.ports[1].port',
        'body.upgradeStrategy.minimumHealthCapacity',
        'body.env.BAD-NAME',
        'body.env.OK',
        'body.killSelection',
      ].sort(),
    );
    expect(issues({ id: '/x' })).toEqual(['body.cmd']);
    expect(issues([])).toEqual(['body']);
  });

  it("accepts EQUALS (the jobs' name) as IS, stored as IS so the two spellings are one config", () => {
    const eq = valid({ id: '/c', cmd: 'x', constraints: [['rack', 'EQUALS', 'a']] });
    const is = valid({ id: '/c', cmd: 'x', constraints: [['rack', 'IS', 'a']] });
    expect(eq.constraints).toEqual([{ field: 'rack', operator: 'IS', value: 'a' }]);
    expect(eq.constraints).toEqual(is.constraints);
    const r = validateAppSpec({ id: '/c', cmd: 'x', constraints: [['rack', 'EQUALS'], ['rack', 'SAME', 'a']] }, 'body');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toEqual([
        { field: 'body.constraints[0][2]', message: 'IS (EQUALS) needs a value' },
        { field: 'body.constraints[1][1]', message: "unknown operator 'SAME'; one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS, EQUALS (= IS)" },
      ]);
    }
  });

  it('accepts every constraint operator with its value rules', () => {
    const s = valid({ id: '/c', cmd: 'x', constraints: [['hostname', 'UNIQUE'], ['rack', 'GROUP_BY', '3'], ['rack', 'CLUSTER'], ['@zone', 'LIKE', 'a|b'], ['os', 'UNLIKE', 'win.*'], ['hostname', 'MAX_PER', '2'], ['rack', 'IS', 'a']] });
    expect(s.constraints.map((c) => c.operator)).toEqual(['UNIQUE', 'GROUP_BY', 'CLUSTER', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS']);
  });
});

describe('versions and task config', () => {
  const spec = valid({ id: '/v', cmd: 'x', instances: 2 });

  it('changes the task config for command changes and restarts, not for scaling or supervision settings', () => {
    const base = taskConfigHash(spec, 0);
    expect(taskConfigHash({ ...spec, instances: 9, backoffSeconds: 5, upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 } }, 0)).toBe(base);
    expect(taskConfigHash({ ...spec, env: { A: '1' } }, 0)).not.toBe(base);
    expect(taskConfigHash(spec, 1)).not.toBe(base);
  });

  it('keeps versions strictly increasing and tracks config and scaling changes', () => {
    expect(nextVersion(1000, new Date(5000).toISOString())).toBe(new Date(5001).toISOString());
    const r1 = nextRecord(spec, undefined, 1000);
    const r2 = nextRecord({ ...spec, instances: 3 }, r1, 2000);
    expect(r2.config).toBe(r1.config);
    expect(r2.versionInfo).toEqual({ lastConfigChangeAt: r1.version, lastScalingAt: r2.version });
    const r3 = nextRecord(r2.spec, r2, 3000, { restart: true });
    expect(r3.config).not.toBe(r2.config);
    // A rollback to r1's definition restores its task config (so its instances are kept).
    expect(nextRecord(r1.spec, r3, 4000, { restarts: r1.restarts }).config).toBe(r1.config);
  });
});

describe('launch backoff', () => {
  const p = { backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 };
  it('grows by the factor up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((n) => delayAfter(n, p))).toEqual([1000, 2000, 4000, 5000, 5000]);
    let s = NO_BACKOFF;
    s = recordFailure(s, p, 10_000);
    s = recordFailure(s, p, 11_000);
    expect(s).toEqual({ failures: 2, delayMs: 2000, until: 13_000, lastFailureAt: 11_000 });
    expect(remainingMs(s, 12_500)).toBe(500);
    expect(remainingMs(s, 14_000)).toBe(0);
  });

  it('is reset only by an instance launched after the last failure that stayed up', () => {
    const s = recordFailure(NO_BACKOFF, p, 50_000);
    // A sibling up since long before the failure proves nothing about the instance that keeps dying.
    expect(resetsBackoff(s, 0, 1000, 60_000)).toBe(false);
    expect(resetsBackoff(s, 51_000, 51_500, 51_500 + STABLE_MS - 1)).toBe(false);
    expect(resetsBackoff(s, 51_000, 51_500, 51_500 + STABLE_MS)).toBe(true);
    expect(resetsBackoff(NO_BACKOFF, 51_000, 51_500, 100_000)).toBe(false);
  });
});

describe('health results', () => {
  const check = { protocol: 'HTTP' as const, gracePeriodSeconds: 10, intervalSeconds: 1, timeoutSeconds: 1, maxConsecutiveFailures: 3 };
  it('ignores failures in the grace period until the first success, then counts them', () => {
    let r = applyOutcome({ consecutiveFailures: 0 }, { ok: false, cause: 'refused' }, check, 0, 5000);
    expect(r).toMatchObject({ consecutiveFailures: 0, lastFailureCause: 'refused' });
    expect(r.alive).toBeUndefined();
    r = applyOutcome(r, { ok: true }, check, 0, 6000);
    expect(r).toMatchObject({ alive: true, firstSuccess: 6000 });
    r = applyOutcome(r, { ok: false, cause: 'HTTP 500' }, check, 0, 7000);
    expect(r).toMatchObject({ alive: false, consecutiveFailures: 1 });
    expect(applyOutcome({ consecutiveFailures: 0 }, { ok: false }, check, 0, 10_000)).toMatchObject({ alive: false, consecutiveFailures: 1 });
  });

  it('is healthy only when every check passes', () => {
    expect(instanceHealthy({ health: [] })).toBeUndefined();
    expect(instanceHealthy({ health: [{ alive: true, consecutiveFailures: 0 }, { consecutiveFailures: 0 }] })).toBeUndefined();
    expect(instanceHealthy({ health: [{ alive: true, consecutiveFailures: 0 }, { alive: false, consecutiveFailures: 1 }] })).toBe(false);
    expect(instanceHealthy({ health: [{ alive: true, consecutiveFailures: 0 }] })).toBe(true);
  });
});

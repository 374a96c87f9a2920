import { describe, expect, it } from 'vitest';
import { INITIAL_HEALTH, nextHealth, resolveHealthCheck, taskPort, type HealthStep, type ProbeOutcome, type ResolvedHealthCheck } from './health-state.ts';

const resources = (ports: Array<[number, number]>) => ({ scalars: { cpus: 1 }, ranges: { ports }, sets: {} });
const check = (over: Partial<ResolvedHealthCheck> = {}): ResolvedHealthCheck => ({ type: 'COMMAND', path: '/', command: 'true', delayMs: 0, gracePeriodMs: 1000, intervalMs: 100, timeoutMs: 100, consecutiveFailures: 3, killOnFailure: true, ...over });
const pass: ProbeOutcome = { ok: true };
const fail: ProbeOutcome = { ok: false, cause: 'exit 1' };

/** Runs outcomes at t = 0, 100, 200… from a task started at 0; returns what each step reported and killed. */
function run(outcomes: ProbeOutcome[], c = check(), startAt = 0): HealthStep[] {
  let state = INITIAL_HEALTH;
  return outcomes.map((o, i) => {
    const step = nextHealth(state, o, c, 0, startAt + i * 100);
    state = step.state;
    return step;
  });
}

describe('taskPort / resolveHealthCheck', () => {
  it('counts ports through the ranges in order', () => {
    const task = { resources: resources([[31000, 31001], [31005, 31005]]) };
    expect([0, 1, 2, 3].map((i) => taskPort(task, i))).toEqual([31000, 31001, 31005, undefined]);
  });

  it("applies Mesos' defaults and refuses a port the task does not have", () => {
    const r = resolveHealthCheck({ resources: resources([[31000, 31000]]), healthCheck: { type: 'HTTP' } });
    expect(r).toEqual({ ok: true, value: { type: 'HTTP', path: '/', port: 31000, delayMs: 0, gracePeriodMs: 10_000, intervalMs: 10_000, timeoutMs: 20_000, consecutiveFailures: 3, killOnFailure: true } });
    expect(resolveHealthCheck({ resources: resources([]), healthCheck: { type: 'TCP', portIndex: 0 } })).toMatchObject({ ok: false, error: expect.stringContaining('portIndex 0') });
    expect(resolveHealthCheck({ resources: resources([]), healthCheck: { type: 'COMMAND' } })).toMatchObject({ ok: false });
  });
});

describe('nextHealth', () => {
  it('reports only changes: the first success, then the first failure, then recovery', () => {
    const steps = run([pass, pass, fail, fail, pass, pass], check({ gracePeriodMs: 0, consecutiveFailures: 0 }));
    expect(steps.map((s) => s.report)).toEqual([
      { healthy: true, consecutiveFailures: 0 },
      undefined,
      { healthy: false, consecutiveFailures: 1, cause: 'exit 1' },
      undefined,
      { healthy: true, consecutiveFailures: 0 },
      undefined,
    ]);
    expect(steps.some((s) => s.kill)).toBe(false);
  });

  it('ignores failures before the first success within the grace period, counts them after', () => {
    const steps = run(Array(15).fill(fail), check({ gracePeriodMs: 1000 }));
    expect(steps.slice(0, 10).every((s) => !s.report && s.state.consecutiveFailures === 0)).toBe(true);
    expect(steps[10].report).toEqual({ healthy: false, consecutiveFailures: 1, cause: 'exit 1' });
    expect(steps[12]).toMatchObject({ kill: true, report: { healthy: false, consecutiveFailures: 3 } });
  });

  it('once healthy, failures count at once; the threshold kills once, or is reported once when the check does not kill', () => {
    const kills = run([pass, fail, fail, fail, fail]);
    expect(kills.map((s) => s.kill)).toEqual([false, false, false, true, false]);
    const reports = run([pass, fail, fail, fail, fail, fail, fail, pass, fail, fail, fail], check({ killOnFailure: false }));
    expect(reports.every((s) => !s.kill)).toBe(true);
    // Reported at 3, reminded at 6.
    expect(reports.map((s) => s.report?.consecutiveFailures ?? null)).toEqual([0, 1, null, 3, null, null, 6, 0, 1, null, 3]);
  });
});

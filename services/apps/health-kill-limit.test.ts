import { describe, expect, it } from 'vitest';
import { healthKillLimit, type HealthKillLimitInput } from './health-kill-limit.ts';

const check = { intervalSeconds: 1, maxConsecutiveFailures: 3 };
const base: HealthKillLimitInput = { checks: [check], wanted: 10, failingHealthyOnce: 0, kills: [], share: 0.1, pauseShare: 0.5, now: 100_000 };

describe('healthKillLimit', () => {
  it('allows max(1, share × wanted) kills per detection window (interval × failures)', () => {
    expect(healthKillLimit(base).budget).toBe(1);
    expect(healthKillLimit({ ...base, wanted: 30 }).budget).toBe(3);
    // A kill 2 s ago is inside the 3 s window; one 4 s ago is not.
    expect(healthKillLimit({ ...base, kills: [98_000] })).toMatchObject({ budget: 0, kills: [98_000] });
    expect(healthKillLimit({ ...base, kills: [96_000] })).toMatchObject({ budget: 1, kills: [] });
    expect(healthKillLimit({ ...base, checks: [] }).budget).toBe(0);
  });

  it('pauses while at least half (and 2) of the instances that were healthy fail at once, and one window after', () => {
    const paused = healthKillLimit({ ...base, failingHealthyOnce: 5 });
    expect(paused).toMatchObject({ budget: 0, pausedUntil: 103_000 });
    expect(paused.paused).toMatch(/5 of 10 instances unhealthy at once/);
    expect(healthKillLimit({ ...base, failingHealthyOnce: 4 }).budget).toBe(1);
    const after = healthKillLimit({ ...base, pausedUntil: 103_000, now: 102_000 });
    expect(after.budget).toBe(0);
    expect(after.paused).toMatch(/paused until/);
    expect(healthKillLimit({ ...base, pausedUntil: 103_000, now: 103_000 })).toEqual({ budget: 1, kills: [] });
  });

  it('never pauses for a single failing instance: a 1-instance app is not a fault of the checker', () => {
    expect(healthKillLimit({ ...base, wanted: 1, failingHealthyOnce: 1 }).budget).toBe(1);
    expect(healthKillLimit({ ...base, wanted: 2, failingHealthyOnce: 2 }).budget).toBe(0);
  });
});

import { describe, it, expect } from 'vitest';
import {
  type RunRecord,
  computeRunStats,
  emptyCounters,
  foldOutcome,
  isTerminalRunState,
  jobStatus,
  percentile,
  RUN_STATES,
} from './run-stats.ts';

const T = Date.UTC(2026, 0, 1);
const run = (state: RunRecord['state'], finishedAt?: number, startedAt?: number, scheduledAt?: number): RunRecord => ({
  state,
  finishedAt,
  startedAt,
  scheduledAt,
});

describe('computeRunStats', () => {
  it('a job that never ran is fresh, with no percentiles', () => {
    const s = computeRunStats([], { disabled: false });
    expect(s).toMatchObject({ status: 'fresh', successCount: 0, errorCount: 0, errorsSinceLastSuccess: 0, running: 0 });
    expect(s.duration).toBeUndefined();
    expect(s.lastSuccess).toBeUndefined();
  });

  it('counts outcomes and errors since the last success, in order of finish whatever the input order', () => {
    const runs = [
      run('FAILED', T + 5000),
      run('SUCCEEDED', T + 1000),
      run('KILLED', T + 6000),
      run('FAILED', T + 500),
      run('SUCCEEDED', T + 3000),
    ];
    const s = computeRunStats(runs, { disabled: false });
    expect(s).toMatchObject({
      successCount: 2,
      errorCount: 3,
      errorsSinceLastSuccess: 2,
      lastSuccess: T + 3000,
      lastError: T + 6000,
      status: 'failure',
    });
    expect(computeRunStats([...runs, run('SUCCEEDED', T + 7000)], { disabled: false })).toMatchObject({
      errorsSinceLastSuccess: 0,
      status: 'success',
    });
  });

  it('missed and skipped runs are counted apart and are not outcomes', () => {
    const s = computeRunStats([run('SUCCEEDED', T), run('MISSED', T + 10), run('SKIPPED', T + 20)], { disabled: false });
    expect(s).toMatchObject({ successCount: 1, errorCount: 0, missedCount: 1, skippedCount: 1, status: 'success' });
    expect(computeRunStats([run('MISSED', T)], { disabled: false }).status).toBe('fresh');
  });

  it('status: disabled over running over the last outcome', () => {
    const history = [run('FAILED', T), run('RUNNING', undefined, T + 10), run('QUEUED')];
    expect(computeRunStats(history, { disabled: false })).toMatchObject({ status: 'running', running: 1, queued: 1 });
    expect(computeRunStats(history, { disabled: true })).toMatchObject({ status: 'disabled', running: 1 });
    expect(computeRunStats([run('FAILED', T), run('QUEUED')], { disabled: false }).status).toBe('failure');
    expect(jobStatus(false, 0, undefined)).toBe('fresh');
  });

  it('duration percentiles use start → end of succeeded runs; start delay is separate', () => {
    // 100 succeeded runs lasting 1..100 s, each started 2 s after its slot; failures are ignored for durations.
    const runs: RunRecord[] = [];
    for (let i = 1; i <= 100; i++) {
      const scheduled = T + i * 1_000_000;
      runs.push(run('SUCCEEDED', scheduled + 2000 + i * 1000, scheduled + 2000, scheduled));
    }
    runs.push(run('FAILED', T + 5, T, T));
    const s = computeRunStats(runs, { disabled: false });
    expect(s.duration).toEqual({ count: 100, p50: 50_000, p90: 90_000, p99: 99_000, max: 100_000 });
    expect(s.startDelay).toMatchObject({ count: 101, p50: 2000 });
  });

  it('uses persisted counters when given (history may be trimmed)', () => {
    const counters = { successCount: 40, errorCount: 2, errorsSinceLastSuccess: 0, lastSuccess: T + 99, lastError: T };
    expect(computeRunStats([run('SUCCEEDED', T + 99)], { disabled: false, counters })).toMatchObject({ ...counters, status: 'success' });
    expect(computeRunStats([], { disabled: false, counters: { ...counters, lastError: T + 100 } }).status).toBe('failure');
  });
});

describe('helpers', () => {
  it('foldOutcome advances counters one run at a time', () => {
    let c = emptyCounters();
    c = foldOutcome(c, run('FAILED', T));
    c = foldOutcome(c, run('FAILED', T + 1));
    expect(c).toEqual({ successCount: 0, errorCount: 2, errorsSinceLastSuccess: 2, lastError: T + 1 });
    c = foldOutcome(c, run('SKIPPED', T + 2));
    c = foldOutcome(c, run('SUCCEEDED', T + 3));
    expect(c).toEqual({ successCount: 1, errorCount: 2, errorsSinceLastSuccess: 0, lastError: T + 1, lastSuccess: T + 3 });
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(() => percentile([], 50)).toThrow();
  });

  it('terminal run states', () => {
    expect(RUN_STATES.filter(isTerminalRunState)).toEqual(['SUCCEEDED', 'FAILED', 'KILLED', 'MISSED', 'SKIPPED']);
  });
});

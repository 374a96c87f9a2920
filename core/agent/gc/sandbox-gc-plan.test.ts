import { describe, expect, it } from 'vitest';
import { planSandboxGc, type FinishedSandbox } from './sandbox-gc-plan.ts';

const box = (taskId: string, finishedAt: number, bytes = 10): FinishedSandbox => ({ taskId, sandbox: `/w/${taskId}`, finishedAt, bytes });

describe('planSandboxGc', () => {
  it('removes sandboxes past the age budget and says when the next one is due', () => {
    const plan = planSandboxGc([box('a', 0), box('b', 500), box('c', 900)], 1000, { maxAgeMs: 400, maxBytes: Infinity });
    expect(plan.remove.map((e) => e.taskId)).toEqual(['a', 'b']);
    expect(plan.nextDueAt).toBe(1300);
  });

  it('removes the oldest first until the rest fit the size budget', () => {
    const plan = planSandboxGc([box('a', 0, 50), box('b', 1, 30), box('c', 2, 30)], 10, { maxAgeMs: 1e9, maxBytes: 60 });
    expect(plan.remove.map((e) => e.taskId)).toEqual(['a']);
    const tight = planSandboxGc([box('a', 0, 50), box('b', 1, 30), box('c', 2, 30)], 10, { maxAgeMs: 1e9, maxBytes: 29 });
    expect(tight.remove.map((e) => e.taskId)).toEqual(['a', 'b', 'c']);
    expect(tight.nextDueAt).toBeUndefined();
  });

  it('keeps everything within both budgets', () => {
    expect(planSandboxGc([box('a', 0)], 5, { maxAgeMs: 10, maxBytes: 100 })).toEqual({ remove: [], nextDueAt: 10 });
    expect(planSandboxGc([], 5, { maxAgeMs: 10, maxBytes: 100 })).toEqual({ remove: [] });
  });
});

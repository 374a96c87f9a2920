import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock/clock.ts';
import { TriggerWaker } from './trigger-waker.ts';

function setup(horizonMs = 60_000) {
  const clock = new ManualClock(1_000_000);
  const promoted: Array<[string, number]> = [];
  const errors: string[] = [];
  let answer: boolean | Error = true;
  const waker = new TriggerWaker({
    clock,
    horizonMs,
    promote: async (id) => {
      promoted.push([id, clock.now()]);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    onError: (id) => errors.push(id),
  });
  return { clock, waker, promoted, errors, answer: (a: boolean | Error) => (answer = a) };
}

describe('TriggerWaker', () => {
  it('promotes each armed trigger once, at its instant', async () => {
    const { clock, waker, promoted } = setup();
    waker.arm('o@1@1001000@a', 1_001_000);
    waker.arm('o@1@1001000@a', 1_001_000);
    waker.arm('o@1@1000500@b', 1_000_500);
    expect(waker.size).toBe(2);
    clock.tick(499);
    expect(promoted).toEqual([]);
    clock.tick(1);
    expect(promoted).toEqual([['o@1@1000500@b', 1_000_500]]);
    clock.tick(500);
    expect(promoted.map(([id]) => id)).toEqual(['o@1@1000500@b', 'o@1@1001000@a']);
    expect(waker.size).toBe(0);
  });

  it('arms nothing for triggers due already or beyond the horizon', () => {
    const { clock, waker, promoted } = setup(10_000);
    waker.arm('due', 1_000_000);
    waker.arm('past', 999_000);
    waker.arm('far', 1_010_001);
    waker.arm('edge', 1_010_000);
    expect(waker.size).toBe(1);
    clock.tick(20_000);
    expect(promoted.map(([id]) => id)).toEqual(['edge']);
  });

  it('forgets disarmed triggers and everything once stopped', () => {
    const { clock, waker, promoted } = setup();
    waker.arm('a', 1_000_100);
    waker.arm('b', 1_000_200);
    waker.disarm('a');
    clock.tick(150);
    waker.stop();
    waker.arm('c', 1_000_300);
    clock.tick(1000);
    expect(promoted).toEqual([]);
  });

  it('reports a failed promotion and carries on', async () => {
    const { clock, waker, errors, answer } = setup();
    answer(new Error('redis down'));
    waker.arm('a', 1_000_100);
    clock.tick(100);
    await Promise.resolve();
    await Promise.resolve();
    expect(errors).toEqual(['a']);
  });
});

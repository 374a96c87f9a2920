import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock/clock.ts';
import { TriggerWaker } from './trigger-waker.ts';

function setup(horizonMs = 60_000) {
  const clock = new ManualClock(1_000_000);
  const promoted: Array<[string, number]> = [];
  const errors: string[] = [];
  /** Ids that are no longer delayed (promotion answers false). */
  const gone = new Set<string>();
  let failure: Error | undefined;
  const waker = new TriggerWaker({
    clock,
    horizonMs,
    promote: async (id) => {
      promoted.push([id, clock.now()]);
      if (failure) throw failure;
      return !gone.has(id);
    },
    onError: (id) => errors.push(id),
  });
  return { clock, waker, promoted, errors, gone, fail: (e: Error) => (failure = e) };
}

/** Lets the promotions started by a timer run to their end. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('TriggerWaker', () => {
  it('promotes at each instant, once per instant, and never before it', async () => {
    const { clock, waker, promoted } = setup();
    waker.arm('o@1@1001000@a', 1_001_000);
    waker.arm('o@1@1001000@a', 1_001_000);
    waker.arm('o@1@1001000@c', 1_001_000);
    waker.arm('o@1@1000500@b', 1_000_500);
    expect(waker.size).toBe(3);
    clock.tick(499);
    await settle();
    expect(promoted).toEqual([]);
    clock.tick(1);
    await settle();
    expect(promoted).toEqual([['o@1@1000500@b', 1_000_500]]);
    clock.tick(500);
    await settle();
    // One promotion wakes the worker, whose fetch promotes every due trigger: `c` needs no call of its own.
    expect(promoted.map(([id]) => id)).toEqual(['o@1@1000500@b', 'o@1@1001000@a']);
    expect(waker.size).toBe(0);
  });

  it('tries the next trigger of the instant when one is no longer delayed', async () => {
    const { clock, waker, promoted, gone } = setup();
    for (const id of ['a', 'b', 'c']) waker.arm(id, 1_000_100);
    gone.add('a');
    clock.tick(100);
    await settle();
    expect(promoted.map(([id]) => id)).toEqual(['a', 'b']);
  });

  it('arms nothing for triggers due already or beyond the horizon', async () => {
    const { clock, waker, promoted } = setup(10_000);
    waker.arm('due', 1_000_000);
    waker.arm('past', 999_000);
    waker.arm('far', 1_010_001);
    waker.arm('edge', 1_010_000);
    expect(waker.size).toBe(1);
    clock.tick(20_000);
    await settle();
    expect(promoted.map(([id]) => id)).toEqual(['edge']);
  });

  it('forgets disarmed triggers, and everything once stopped', async () => {
    const { clock, waker, promoted } = setup();
    waker.arm('a', 1_000_100);
    waker.arm('b', 1_000_200);
    waker.arm('b2', 1_000_200);
    waker.disarm('a');
    waker.disarm('b');
    clock.tick(150);
    await settle();
    expect(promoted).toEqual([]);
    waker.stop();
    waker.arm('c', 1_000_300);
    clock.tick(1000);
    await settle();
    expect(promoted).toEqual([]);
  });

  it('reports a failed promotion once and leaves the instant to BullMQ', async () => {
    const { clock, waker, errors, promoted, fail } = setup();
    fail(new Error('redis down'));
    waker.arm('a', 1_000_100);
    waker.arm('b', 1_000_100);
    clock.tick(100);
    await settle();
    expect(errors).toEqual(['a']);
    expect(promoted.map(([id]) => id)).toEqual(['a']);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../clock/clock.ts';
import { DueHeap, type DueItem } from './due-heap.ts';

interface Item extends DueItem {
  name: string;
}

const item = (name: string): Item => ({ name, dueIndex: -1 });

describe('DueHeap', () => {
  it('calls back each item once when its time comes, earliest first, and forgets removed or moved ones', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const heap = new DueHeap<Item>(clock, (i) => fired.push(`${i.name}@${clock.now()}`));
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item);
    heap.schedule(a, 300);
    heap.schedule(b, 100);
    heap.schedule(c, 200);
    heap.schedule(d, 200);
    heap.remove(c);
    heap.schedule(a, 150);
    expect(heap.size).toBe(3);
    clock.tick(1000);
    expect(fired).toEqual(['b@100', 'a@150', 'd@200']);
    expect(heap.size).toBe(0);
    expect([a, b, c, d].every((i) => i.dueIndex === -1)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets a callback queue its item again (a retry with backoff)', () => {
    const clock = new ManualClock(0);
    const times: number[] = [];
    const it1 = item('x');
    const heap = new DueHeap<Item>(clock, (i) => {
      times.push(clock.now());
      if (times.length < 4) heap.schedule(i, clock.now() + 100 * 2 ** times.length);
    });
    heap.schedule(it1, 100);
    clock.tick(10_000);
    expect(times).toEqual([100, 300, 700, 1500]);
  });

  it('clear cancels everything', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const heap = new DueHeap<Item>(clock, (i) => fired.push(i.name));
    const a = item('a');
    heap.schedule(a, 10);
    heap.clear();
    clock.tick(100);
    expect(fired).toEqual([]);
    expect(a.dueIndex).toBe(-1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fires in due order whatever the order of schedules and removals', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(1000), fc.boolean()), { maxLength: 200 }), (ops) => {
        const clock = new ManualClock(0);
        const fired: Array<[string, number]> = [];
        const heap = new DueHeap<Item>(clock, (i) => fired.push([i.name, clock.now()]));
        const items = Array.from({ length: 31 }, (_, k) => item(`i${k}`));
        const due = new Map<string, number>();
        for (const [k, at, remove] of ops) {
          if (remove) {
            heap.remove(items[k]);
            due.delete(items[k].name);
          } else {
            heap.schedule(items[k], at);
            due.set(items[k].name, at);
          }
        }
        clock.tick(2000);
        expect(fired.map(([n]) => n).sort()).toEqual([...due.keys()].sort());
        for (const [n, at] of fired) expect(at).toBe(due.get(n));
        for (let k = 1; k < fired.length; k++) expect(fired[k][1]).toBeGreaterThanOrEqual(fired[k - 1][1]);
      }),
      { numRuns: 200 },
    );
  });
});

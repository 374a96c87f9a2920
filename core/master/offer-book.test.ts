import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../clock/clock.ts';
import { res } from '../allocator/test-support.ts';
import type { Offer } from '../sdk/protocol.ts';
import { OfferBook } from './offer-book.ts';

const fields = (frameworkId: string, agentId: string) => ({ frameworkId, agentId, hostname: `host-${agentId}`, resources: res('cpus:1'), attributes: {} });

describe('OfferBook', () => {
  it('finds, takes and lists offers by framework and agent; ids it never made are not found', () => {
    const book = new OfferBook(new ManualClock(), 'm1-O', 0, () => undefined);
    const a = book.create(fields('f1', 'a1'));
    const b = book.create(fields('f2', 'a1'));
    const c = book.create(fields('f1', 'a2'));
    expect([a.id, b.id, c.id]).toEqual(['m1-O1', 'm1-O2', 'm1-O3']);
    expect(book.get('m1-O2')).toBe(b);
    for (const id of ['m1-O02', 'm1-O', 'm1-O4', 'm2-O1', 'm1-O1x', 'O1', '']) expect(book.get(id)).toBeUndefined();
    expect(book.ofFramework('f1').map((o) => o.id).sort()).toEqual([a.id, c.id]);
    expect(book.onAgent('a1').map((o) => o.id).sort()).toEqual([a.id, b.id]);
    expect(book.countOfFramework('f2')).toBe(1);
    expect(book.take(a.id)).toBe(a);
    expect(book.take(a.id)).toBeUndefined();
    expect(book.size).toBe(2);
    book.clear();
    expect(book.size).toBe(0);
    expect(book.get(b.id)).toBeUndefined();
    expect(book.create(fields('f1', 'a1')).id).toBe('m1-O4');
  });

  it('rescinds exactly the offers left unanswered for the timeout, oldest first, with one timer', () => {
    const clock = new ManualClock();
    const rescinded: string[] = [];
    const book = new OfferBook(clock, 'm-O', 10_000, (o) => rescinded.push(o.id));
    const first = book.create(fields('f', 'a1'));
    clock.tick(4000);
    const second = book.create(fields('f', 'a2'));
    const third = book.create(fields('f', 'a3'));
    expect(clock.pendingTimers()).toBe(1);
    book.take(second.id);
    clock.tick(5999);
    expect(rescinded).toEqual([]);
    clock.tick(1);
    expect(rescinded).toEqual([first.id]);
    expect(book.get(first.id)).toBeUndefined();
    clock.tick(3999);
    expect(rescinded).toEqual([first.id]);
    clock.tick(1);
    expect(rescinded).toEqual([first.id, third.id]);
    expect(book.size).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    const later = book.create(fields('f', 'a1'));
    clock.tick(10_000);
    expect(rescinded).toEqual([first.id, third.id, later.id]);
  });

  it('behaves like a map from id to offer under any mix of creates and takes (table growth and deletion included)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(-1), fc.nat(400)), { maxLength: 600 }), (ops) => {
        const book = new OfferBook(new ManualClock(), 'x-O', 0, () => undefined);
        const model = new Map<string, Offer>();
        const made: string[] = [];
        for (const op of ops) {
          if (op === -1 || made.length === 0) {
            const o = book.create(fields('f', `a${made.length % 7}`));
            model.set(o.id, o);
            made.push(o.id);
          } else {
            const id = made[op % made.length];
            expect(book.take(id)).toBe(model.get(id));
            model.delete(id);
          }
          expect(book.size).toBe(model.size);
        }
        for (const id of made) expect(book.get(id)).toBe(model.get(id));
        expect(book.ofFramework('f').length).toBe(model.size);
      }),
      { numRuns: 200 },
    );
  });
});

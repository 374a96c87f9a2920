import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  type ChildTriggerState,
  allParentsSatisfied,
  emptyTriggerState,
  onChildRunDropped,
  onChildStarted,
  onParentSucceeded,
  onParentsChanged,
} from './trigger-state.ts';

type Def = { name: string; parents: string[] };

/** A tiny stand-in for the store: applies returned states and remembers which children became ready. */
class Harness {
  readonly state = new Map<string, ChildTriggerState>();
  readonly launched: string[] = [];
  constructor(public defs: Def[]) {}

  succeed(parent: string): string[] {
    const children = this.defs.filter((d) => d.parents.includes(parent));
    const { updates, ready } = onParentSucceeded(this.state, parent, children);
    for (const u of updates) this.state.set(u.child, u);
    this.launched.push(...ready);
    return ready;
  }
  start(child: string): void {
    this.state.set(child, onChildStarted(this.state, child));
  }
  drop(child: string): void {
    this.state.set(child, onChildRunDropped(this.state, child));
  }
  edit(child: string, parents: string[]): void {
    this.defs = this.defs.map((d) => (d.name === child ? { ...d, parents } : d));
    this.state.set(child, onParentsChanged(this.state, child, parents));
  }
  satisfied(child: string): string[] {
    return this.state.get(child)?.satisfied ?? [];
  }
}

// a → {b, c} → d
const diamondDefs = (): Def[] => [
  { name: 'b', parents: ['a'] },
  { name: 'c', parents: ['a'] },
  { name: 'd', parents: ['b', 'c'] },
];

describe('dependency trigger rule', () => {
  it('a single-parent child is ready at each parent success', () => {
    const h = new Harness(diamondDefs());
    expect(h.succeed('a')).toEqual(['b', 'c']);
  });

  it('d is ready only after both b and c succeeded', () => {
    const h = new Harness(diamondDefs());
    expect(h.succeed('b')).toEqual([]);
    expect(h.satisfied('d')).toEqual(['b']);
    expect(h.succeed('c')).toEqual(['d']);
  });

  it('b twice and c once give one run of d', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    const second = onParentSucceeded(h.state, 'b', h.defs);
    expect(second).toEqual({ updates: [], ready: [] }); // nothing changed, nothing to write
    h.succeed('b');
    h.succeed('c');
    expect(h.launched.filter((n) => n === 'd')).toEqual(['d']);
  });

  it('successes while d waits to start are absorbed, not queued', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    h.succeed('c');
    h.succeed('b');
    h.succeed('c');
    expect(h.launched.filter((n) => n === 'd')).toHaveLength(1);
    h.start('d');
    expect(h.satisfied('d')).toEqual([]);
    h.succeed('c');
    h.succeed('b');
    expect(h.launched.filter((n) => n === 'd')).toHaveLength(2);
  });

  it('a failing c keeps d waiting; fixed and succeeding, c makes d ready', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    // c fails: failures are not an input of the rule, so the state is unchanged.
    expect(h.satisfied('d')).toEqual(['b']);
    expect(h.launched).not.toContain('d');
    expect(h.succeed('c')).toEqual(['d']);
  });

  it('a parent success after d started counts toward the next run', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    h.succeed('c');
    h.start('d');
    h.succeed('b'); // while d runs
    expect(h.satisfied('d')).toEqual(['b']);
    expect(h.succeed('c')).toEqual(['d']);
  });

  it('a manual run of d consumes what was satisfied', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    h.start('d'); // manual
    expect(h.succeed('c')).toEqual([]);
    expect(h.satisfied('d')).toEqual(['c']);
  });

  it('a dropped run leaves the parents satisfied; the next parent success makes d ready again', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    h.succeed('c');
    h.drop('d'); // e.g. skipped by `forbid`
    expect(h.state.get('d')).toEqual({ child: 'd', satisfied: ['b', 'c'], awaitingStart: false });
    expect(h.succeed('b')).toEqual(['d']);
  });

  it('editing parents prunes the satisfied set and never launches by itself', () => {
    const h = new Harness(diamondDefs());
    h.succeed('b');
    h.succeed('x'); // not a parent yet: ignored
    h.edit('d', ['c', 'x']);
    expect(h.satisfied('d')).toEqual([]);
    h.succeed('c');
    expect(h.satisfied('d')).toEqual(['c']);
    h.edit('d', ['c']);
    expect(h.launched).not.toContain('d');
    expect(h.succeed('c')).toEqual(['d']);
  });

  it('ignores entries that do not list the parent, and keeps the satisfied set in parent order', () => {
    const state = new Map<string, ChildTriggerState>([['d', { child: 'd', satisfied: ['c'], awaitingStart: false }]]);
    const r = onParentSucceeded(state, 'b', [{ name: 'd', parents: ['b', 'c', 'e'] }, { name: 'z', parents: ['q'] }]);
    expect(r.updates).toEqual([{ child: 'd', satisfied: ['b', 'c'], awaitingStart: false }]);
    expect(state.get('d')!.satisfied).toEqual(['c']); // input untouched
  });

  it('a child with no parents is never satisfied', () => {
    expect(allParentsSatisfied(emptyTriggerState('x'), [])).toBe(false);
  });

  it('property: a child is launched at most once per start, and only after every parent succeeded since', () => {
    const parents = ['p1', 'p2', 'p3'];
    const event = fc.oneof(fc.constantFrom(...parents).map((p) => ({ kind: 'ok' as const, p })), fc.constant({ kind: 'start' as const }));
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const h = new Harness([{ name: 'c', parents }]);
        let sinceStart = new Set<string>();
        let pending = false;
        for (const e of events) {
          if (e.kind === 'start') {
            if (!pending) continue; // only a launched run starts
            h.start('c');
            sinceStart = new Set();
            pending = false;
          } else {
            const ready = h.succeed(e.p);
            sinceStart.add(e.p);
            if (ready.length > 0) {
              expect(pending).toBe(false);
              expect(sinceStart.size).toBe(parents.length);
              pending = true;
            }
            if (!pending) expect(sinceStart.size).toBeLessThan(parents.length);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

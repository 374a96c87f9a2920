import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CronExpressionParser } from 'cron-parser';
import { hasBacklog, latenessVerdict, MAX_MISSED_RECORDS, planCatchUp } from './trigger-plan.ts';
import { parseSchedule, type Schedule } from './schedule.ts';

const sched = (text: string, tz = 'UTC'): Schedule => {
  const s = parseSchedule(text, tz);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
};
const at = (iso: string) => Date.parse(iso);

/** cron-parser's own list of occurrences in (from, to]. */
function cronSlots(expr: string, from: number, to: number): number[] {
  const it = CronExpressionParser.parse(expr, { currentDate: new Date(from), tz: 'UTC' });
  const out: number[] = [];
  for (let t = it.next().getTime(); t <= to; t = it.next().getTime()) out.push(t);
  return out;
}

describe('planCatchUp', () => {
  const from = at('2026-03-01T10:00:00Z');
  const to = at('2026-03-01T11:00:00Z');
  const slots = cronSlots('*/5 * * * *', from, to);

  it('skip: runs none and records every missed occurrence', () => {
    const p = planCatchUp(sched('*/5 * * * *'), from, to, 'skip', 5)!;
    expect(p.run).toEqual([]);
    expect(p.missed).toEqual(slots);
    expect(p.unrecorded).toBe(0);
    expect(p.through).toBe(slots.at(-1));
  });

  it('once: runs the newest, records the others', () => {
    const p = planCatchUp(sched('*/5 * * * *'), from, to, 'once', 5)!;
    expect(p.run).toEqual([slots.at(-1)]);
    expect(p.missed).toEqual(slots.slice(0, -1));
  });

  it('all: runs the oldest `limit`, records the rest', () => {
    const p = planCatchUp(sched('*/5 * * * *'), from, to, 'all', 5)!;
    expect(p.run).toEqual(slots.slice(0, 5));
    expect(p.missed).toEqual(slots.slice(5));
  });

  it('is undefined when nothing was missed', () => {
    expect(planCatchUp(sched('0 0 * * *'), from, to, 'once', 5)).toBeUndefined();
  });

  it('records at most the newest 100 and counts the older ones (a per-second cron down for a day)', () => {
    const day = 86_400_000;
    const p = planCatchUp(sched('* * * * * *'), from, from + day, 'skip', 5)!;
    expect(p.missed).toHaveLength(MAX_MISSED_RECORDS);
    expect(p.missed.at(-1)).toBe(from + day);
    expect(p.countCapped).toBe(true);
    expect(p.unrecorded).toBeGreaterThanOrEqual(10_000 - MAX_MISSED_RECORDS);
  });

  it('never runs and records the same occurrence, and covers exactly (cursor, until] when not capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * 3600 }), fc.constantFrom('skip', 'once', 'all') as fc.Arbitrary<'skip' | 'once' | 'all'>, fc.integer({ min: 0, max: 30 }), (downSeconds, policy, limit) => {
        const until = from + downSeconds * 1000;
        const p = planCatchUp(sched('*/7 * * * *'), from, until, policy, limit);
        const expected = cronSlots('*/7 * * * *', from, until);
        if (!p) return expected.length === 0;
        const all = [...p.run, ...p.missed].sort((a, b) => a - b);
        return new Set(all).size === all.length && JSON.stringify(all) === JSON.stringify(expected) && p.through === expected.at(-1);
      }),
    );
  });
});

describe('lateness and backlog', () => {
  it('judges an occurrence against the lateness limit', () => {
    expect(latenessVerdict(1000, 1900, 1000)).toBeUndefined();
    expect(latenessVerdict(1000, 1900, null)).toBeUndefined();
    expect(latenessVerdict(1000, 4300, 1000)).toBe('missed: 3.3 s late, over the lateness limit of 1.0 s');
  });

  it('sees a backlog only when a later occurrence is older than the grace period', () => {
    const s = sched('R/2026-01-01T00:00:00Z/PT10S');
    const t0 = at('2026-01-01T00:00:00Z');
    expect(hasBacklog(s, t0, t0 + 5_000, 2000)).toBe(false);
    expect(hasBacklog(s, t0, t0 + 11_000, 2000)).toBe(false);
    expect(hasBacklog(s, t0, t0 + 12_000, 2000)).toBe(true);
    expect(hasBacklog(sched('R1/2026-01-01T00:00:00Z/PT10S'), t0, t0 + 60_000, 2000)).toBe(false);
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  type IsoSchedule,
  type Schedule,
  formatInstant,
  formatSchedule,
  isValidTimeZone,
  nextFireTime,
  nextFireTimes,
  occurrencesBetween,
  parseSchedule,
  previousFireTime,
} from './schedule.ts';

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad test date ${iso}`);
  return t;
};
const isoList = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());

function parsed(text: string, tz?: string, now?: number): Schedule {
  const r = parseSchedule(text, tz, now);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error.message}`);
  return r.value;
}

function parsedIso(text: string, tz?: string, now?: number): IsoSchedule {
  const s = parsed(text, tz, now);
  if (s.kind !== 'iso8601') throw new Error(`expected ${text} to be an ISO 8601 interval`);
  return s;
}

function parseError(text: string, tz?: string) {
  const r = parseSchedule(text, tz);
  if (r.ok) throw new Error(`expected ${text} to be rejected`);
  return r.error;
}

describe('cron schedules', () => {
  it('*/5 fires every five minutes, strictly after `after`', () => {
    const s = parsed('*/5 * * * *');
    expect(isoList(nextFireTimes(s, at('2026-01-01T00:02:00Z'), 3))).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:15:00.000Z',
    ]);
    // A fire time equal to `after` was already handled by the caller.
    expect(nextFireTime(s, at('2026-01-01T00:05:00Z'))).toBe(at('2026-01-01T00:10:00Z'));
    expect(nextFireTime(s, at('2026-01-01T00:04:59.999Z'))).toBe(at('2026-01-01T00:05:00Z'));
  });

  it('six fields mean a leading seconds field', () => {
    const s = parsed('*/15 * * * * *');
    expect(isoList(nextFireTimes(s, at('2026-01-01T00:00:10.500Z'), 4))).toEqual([
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:30.000Z',
      '2026-01-01T00:00:45.000Z',
      '2026-01-01T00:01:00.000Z',
    ]);
  });

  it('reads the expression in the job time zone, and supports aliases', () => {
    const berlin = parsed('0 9 * * *', 'Europe/Berlin');
    expect(nextFireTime(berlin, at('2026-01-10T00:00:00Z'))).toBe(at('2026-01-10T08:00:00Z')); // CET +1
    expect(nextFireTime(berlin, at('2026-07-10T00:00:00Z'))).toBe(at('2026-07-10T07:00:00Z')); // CEST +2
    const daily = parsed('@daily', 'America/New_York');
    expect(nextFireTime(daily, at('2026-01-01T12:00:00Z'))).toBe(at('2026-01-02T05:00:00Z'));
    expect(formatSchedule(daily)).toBe('@daily');
  });

  it('normalises whitespace and keeps day names containing H', () => {
    const s = parsed('  0  9 * *   MON-THU ');
    expect(formatSchedule(s)).toBe('0 9 * * MON-THU');
    // 2026-01-01 is a Thursday; Friday is skipped.
    expect(isoList(nextFireTimes(s, at('2026-01-01T00:00:00Z'), 2))).toEqual(['2026-01-01T09:00:00.000Z', '2026-01-05T09:00:00.000Z']);
  });

  /*
   * DST, Europe/Berlin, `30 2 * * *` — what cron-parser 5 computes (it works through Luxon):
   * - 2026-03-29, spring forward: clocks jump 02:00 CET → 03:00 CEST, so 02:30 does not exist.
   *   cron-parser fires at 01:30Z = 03:30 CEST: the run is not lost, it comes an hour later on
   *   the wall clock, and the next day is back at 02:30 CEST (00:30Z).
   * - 2026-10-25, fall back: clocks go 03:00 CEST → 02:00 CET, so 02:30 happens twice (00:30Z
   *   and 01:30Z). cron-parser fires once, at the first (CEST, 00:30Z); the repeated 02:30 CET is
   *   not a fire time.
   * ISO schedules with calendar periods use the same two rules (zoned-time.ts `instantOf`).
   */
  it('spring forward: the missing 02:30 fires at 03:30 local', () => {
    const s = parsed('30 2 * * *', 'Europe/Berlin');
    expect(isoList(nextFireTimes(s, at('2026-03-27T12:00:00Z'), 3))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:30:00.000Z', // 03:30 CEST (02:30 does not exist)
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('fall back: the doubled 02:30 fires once, at the first one', () => {
    const s = parsed('30 2 * * *', 'Europe/Berlin');
    expect(isoList(nextFireTimes(s, at('2026-10-23T12:00:00Z'), 3))).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // first 02:30 (CEST); the second, 01:30Z (CET), is skipped
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
    expect(occurrencesBetween(s, at('2026-10-24T22:00:00Z'), at('2026-10-25T22:00:00Z'), 10)).toEqual([at('2026-10-25T00:30:00Z')]);
  });

  it('rejects bad expressions naming the field and value', () => {
    const e = parseError('61 * * * *');
    expect(e.field).toBe('schedule');
    expect(e.message).toContain('minute');
    expect(e.message).toContain('61');
    expect(parseError('0 25 * * *').message).toContain('hour field "25"');
    expect(parseError('0 0 0 * * 8').message).toContain('day of week field "8"');
    expect(parseError('60 * * * * *').message).toContain('second field "60"');
    expect(parseError('* * * *').message).toContain('4 fields');
    expect(parseError('* * * * * * *').message).toContain('7 fields');
    expect(parseError('0 0 31 4 *').message).toContain('0 0 31 4 *'); // April has no 31st
    expect(parseError('H * * * *').message).toContain('H (random value)');
    expect(parseError('every day at noon').field).toBe('schedule');
    expect(parseError('@sometimes').field).toBe('schedule');
    expect(parseError('   ').message).toBe('schedule is empty');
  });

  it('rejects unknown time zones rather than falling back to UTC', () => {
    expect(parseError('* * * * *', 'Mars/Olympus_Mons')).toEqual({ field: 'timeZone', message: expect.stringContaining('Mars/Olympus_Mons') });
    expect(parseError('* * * * *', '').field).toBe('timeZone');
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Nowhere')).toBe(false);
    expect(isValidTimeZone(' UTC')).toBe(false);
  });

  it('formatInstant shows a fire time in the job time zone', () => {
    expect(formatInstant(at('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
    expect(formatInstant(at('2026-01-05T04:00:00.250Z'), 'America/St_Johns')).toBe('2026-01-05T00:30:00.250-03:30');
    expect(formatInstant(at('2026-01-05T04:00:00Z'), 'UTC')).toBe('2026-01-05T04:00:00Z');
  });

  it('previousFireTime includes an occurrence exactly at the bound', () => {
    const s = parsed('*/5 * * * *');
    expect(previousFireTime(s, at('2026-01-01T00:05:00Z'))).toBe(at('2026-01-01T00:05:00Z'));
    expect(previousFireTime(s, at('2026-01-01T00:09:59Z'))).toBe(at('2026-01-01T00:05:00Z'));
  });
});

describe('ISO 8601 repeating intervals', () => {
  it('R/…/PT24H fires daily from the start, and follows the grid after a past start', () => {
    const s = parsed('R/2026-12-01T02:00:00Z/PT24H');
    expect(s).toMatchObject({ kind: 'iso8601', repeat: null, start: at('2026-12-01T02:00:00Z'), periodMs: 86_400_000 });
    expect(isoList(nextFireTimes(s, at('2026-11-01T00:00:00Z'), 2))).toEqual(['2026-12-01T02:00:00.000Z', '2026-12-02T02:00:00.000Z']);
    expect(nextFireTime(s, at('2026-12-10T03:00:00Z'))).toBe(at('2026-12-11T02:00:00Z'));
    expect(nextFireTime(s, at('2026-12-10T02:00:00Z'))).toBe(at('2026-12-11T02:00:00Z'));
    expect(nextFireTime(s, at('2036-12-10T02:00:00Z') - 1)).toBe(at('2036-12-10T02:00:00Z'));
  });

  it('R5 fires five times in total, then never again', () => {
    const s = parsed('R5/2026-12-01T02:00:00Z/PT15M');
    const all = nextFireTimes(s, at('2026-01-01T00:00:00Z'), 10);
    expect(isoList(all)).toEqual([
      '2026-12-01T02:00:00.000Z',
      '2026-12-01T02:15:00.000Z',
      '2026-12-01T02:30:00.000Z',
      '2026-12-01T02:45:00.000Z',
      '2026-12-01T03:00:00.000Z',
    ]);
    expect(nextFireTimes(s, all[2], 10)).toEqual(all.slice(3));
    expect(nextFireTime(s, all[4])).toBeUndefined();
    expect(previousFireTime(s, at('2030-01-01T00:00:00Z'))).toBe(all[4]);
    expect(previousFireTime(s, all[0] - 1)).toBeUndefined();
  });

  it('R0 (an exhausted Chronos job) parses and never fires', () => {
    const s = parsed('R0/2026-12-01T02:00:00Z/PT15M');
    expect(nextFireTimes(s, 0, 5)).toEqual([]);
    expect(previousFireTime(s, at('2030-01-01T00:00:00Z'))).toBeUndefined();
    expect(formatSchedule(s)).toBe('R0/2026-12-01T02:00:00Z/PT15M');
  });

  it('P1M counts months from the start, clamping to month ends without drifting', () => {
    const s = parsed('R/2026-01-31T10:00:00Z/P1M');
    expect(isoList(nextFireTimes(s, 0, 5))).toEqual([
      '2026-01-31T10:00:00.000Z',
      '2026-02-28T10:00:00.000Z',
      '2026-03-31T10:00:00.000Z',
      '2026-04-30T10:00:00.000Z',
      '2026-05-31T10:00:00.000Z',
    ]);
    expect(nextFireTime(parsed('R/2028-01-31T00:00:00Z/P1M'), at('2028-02-01T00:00:00Z'))).toBe(at('2028-02-29T00:00:00Z'));
    expect(isoList(nextFireTimes(parsed('R/2028-02-29T00:00:00Z/P1Y'), 0, 5))).toEqual([
      '2028-02-29T00:00:00.000Z',
      '2029-02-28T00:00:00.000Z',
      '2030-02-28T00:00:00.000Z',
      '2031-02-28T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
    // Far past the start the grid is found directly, not by stepping.
    expect(nextFireTime(s, at('2126-03-15T00:00:00Z'))).toBe(at('2126-03-31T10:00:00Z'));
  });

  it('P1D keeps the wall-clock time across DST; PT24H keeps the interval', () => {
    const day = parsed('R/2026-03-27T09:00:00/P1D', 'Europe/Berlin');
    expect(isoList(nextFireTimes(day, 0, 4))).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z', // still 09:00 local, now CEST
      '2026-03-30T07:00:00.000Z',
    ]);
    const hours = parsed('R/2026-03-27T09:00:00/PT24H', 'Europe/Berlin');
    expect(isoList(nextFireTimes(hours, 0, 4))).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T08:00:00.000Z', // 10:00 CEST
      '2026-03-30T08:00:00.000Z',
    ]);
  });

  it('P1D through a missing or doubled wall time agrees with cron-parser', () => {
    const berlin = 'Europe/Berlin';
    const spring = parsed('R/2026-03-27T02:30:00/P1D', berlin);
    expect(nextFireTimes(spring, 0, 4)).toEqual(nextFireTimes(parsed('30 2 * * *', berlin), at('2026-03-27T00:00:00Z'), 4));
    const fall = parsed('R/2026-10-23T02:30:00/P1D', berlin);
    expect(nextFireTimes(fall, 0, 4)).toEqual(nextFireTimes(parsed('30 2 * * *', berlin), at('2026-10-23T00:00:00Z'), 4));
  });

  it('a start offset is honoured; without one the start is read in the job time zone', () => {
    expect(parsedIso('R/2026-12-01T02:00:00+05:30/PT1H', 'Europe/Berlin').start).toBe(at('2026-11-30T20:30:00Z'));
    expect(parsedIso('R/2026-12-01T02:00:00/PT1H', 'Europe/Berlin').start).toBe(at('2026-12-01T01:00:00Z'));
    expect(parsedIso('R/2026-12-01/PT1H', 'America/New_York').start).toBe(at('2026-12-01T05:00:00Z'));
    expect(parsedIso('R/2018-09-01T02:00:00.000-07:00/P1D', 'America/Los_Angeles').start).toBe(at('2018-09-01T09:00:00Z'));
    expect(parsedIso('R/2026-01-01T00:00:00Z/P1W').periodMs).toBeUndefined(); // weeks are calendar days
    expect(parsedIso('R/2026-01-01T00:00:00Z/PT1.5S').periodMs).toBe(1500);
  });

  it("accepts Chronos' start shorthands only when given `now`", () => {
    const now = at('2026-05-05T12:34:56Z');
    expect(parsedIso('R//PT1H', 'UTC', now).start).toBe(now);
    expect(parsedIso('R/T05:50Z/PT24H', 'UTC', now).start).toBe(at('2026-05-05T05:50:00Z'));
    expect(parseError('R//PT1H').message).toContain('start is empty');
    expect(parseError('R/T05:50Z/PT24H').message).toContain('no date');
  });

  it('rejects bad intervals naming the part', () => {
    const month = parseError('R/2026-13-01/PT1H');
    expect(month.field).toBe('schedule');
    expect(month.message).toContain('2026-13-01');
    expect(month.message).toContain('month 13');
    expect(parseError('R/2026-02-30T00:00:00Z/PT1H').message).toContain('day 30');
    expect(parseError('R/2026-01-01T24:00:00Z/PT1H').message).toContain('hour 24');
    expect(parseError('R/2026-01-01T00:00:00+25:00/PT1H').message).toContain('offset hour 25');
    expect(parseError('R/tomorrow/PT1H').message).toContain('"tomorrow"');
    expect(parseError('R/2026-01-01T00:00:00Z/P0D').message).toContain('zero');
    expect(parseError('R/2026-01-01T00:00:00Z/PT0S').message).toContain('zero');
    expect(parseError('R/2026-01-01T00:00:00Z/-PT1H').message).toContain('negative');
    expect(parseError('R/2026-01-01T00:00:00Z/P-1D').message).toContain('negative');
    expect(parseError('R/2026-01-01T00:00:00Z/P').message).toContain('"P"');
    expect(parseError('R/2026-01-01T00:00:00Z/PT').message).toContain('"PT"');
    expect(parseError('R/2026-01-01T00:00:00Z/P1DT').message).toContain('"P1DT"');
    expect(parseError('R/2026-01-01T00:00:00Z/PT1.5M').message).toContain('not an ISO 8601 duration');
    expect(parseError('R/2026-01-01T00:00:00Z/PT0.5S').message).toContain('shorter than 1 second');
    expect(parseError('R/2026-01-01T00:00:00Z/1H').message).toContain('"1H"');
    expect(parseError('R/2026-01-01T00:00:00Z').message).toContain('R[n]/<start>/<period>');
    expect(parseError('R/a/b/c').message).toContain('R[n]/<start>/<period>');
    expect(parseError('Rx/2026-01-01T00:00:00Z/PT1H').message).toContain('"Rx"');
    expect(parseError('R-1/2026-01-01T00:00:00Z/PT1H').message).toContain('"R-1"');
  });
});

describe('occurrencesBetween (missed runs after downtime)', () => {
  it('lists (from, to], oldest first, capped', () => {
    const s = parsed('*/10 * * * *');
    const from = at('2026-01-01T00:00:00Z');
    const to = at('2026-01-01T01:00:00Z');
    expect(isoList(occurrencesBetween(s, from, to, 100))).toEqual([
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:20:00.000Z',
      '2026-01-01T00:30:00.000Z',
      '2026-01-01T00:40:00.000Z',
      '2026-01-01T00:50:00.000Z',
      '2026-01-01T01:00:00.000Z',
    ]);
    expect(occurrencesBetween(s, from, to, 2)).toEqual([at('2026-01-01T00:10:00Z'), at('2026-01-01T00:20:00Z')]);
    expect(occurrencesBetween(s, to, from, 10)).toEqual([]);
    expect(occurrencesBetween(s, from, to, 0)).toEqual([]);
  });

  it('respects the repeat bound of ISO schedules', () => {
    const s = parsed('R3/2026-01-01T00:00:00Z/PT1H');
    expect(occurrencesBetween(s, at('2025-12-31T23:00:00Z'), at('2026-01-02T00:00:00Z'), 100)).toHaveLength(3);
  });
});

describe('properties', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
  const start = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }).map((t) => t - (t % 1000));
  const period = fc
    .record({
      y: fc.integer({ min: 0, max: 2 }),
      m: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 40 }),
      h: fc.integer({ min: 0, max: 30 }),
      s: fc.integer({ min: 0, max: 5000 }),
    })
    .filter((p) => p.y + p.m + p.d + p.h > 0 || p.s > 0)
    .map((p) => {
      const date = `${p.y ? `${p.y}Y` : ''}${p.m ? `${p.m}M` : ''}${p.d ? `${p.d}D` : ''}`;
      const time = `${p.h ? `${p.h}H` : ''}${p.s ? `${p.s}S` : ''}`;
      return `P${date}${time ? `T${time}` : ''}`;
    });

  it('formatSchedule round-trips ISO schedules, and fire times are increasing, strictly after `after`', () => {
    fc.assert(
      fc.property(start, period, fc.constantFrom(...zones), fc.option(fc.nat(20)), fc.integer({ min: -1e10, max: 1e11 }), (st, p, tz, repeat, delta) => {
        const text = `R${repeat ?? ''}/${new Date(st).toISOString()}/${p}`;
        const s = parsed(text, tz);
        expect(parsed(formatSchedule(s), tz)).toEqual(s);
        const after = st + delta;
        const times = nextFireTimes(s, after, 5);
        times.forEach((t, i) => expect(t).toBeGreaterThan(i === 0 ? after : times[i - 1]));
        if (times.length > 0) expect(previousFireTime(s, times[0])).toBe(times[0]);
      }),
      { numRuns: 200 },
    );
  });

  it('exact periods stay on the grid start + k·period', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 1e11 }), (st, sec, delta) => {
        const s = parsed(`R/${new Date(st).toISOString()}/PT${sec}S`);
        const t = nextFireTime(s, st + delta)!;
        expect((t - st) % (sec * 1000)).toBe(0);
        expect(t - sec * 1000).toBeLessThanOrEqual(st + delta);
      }),
      { numRuns: 200 },
    );
  });
});

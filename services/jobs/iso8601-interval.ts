/**
 * Chronos' ISO 8601 repeating interval `R[n]/<start>/<period>`: parsing and the occurrence grid.
 *
 * Occurrence k (k = 0, 1, …) is `start + k·period`, computed from `start` every time rather than
 * by stepping from the previous one, so `P1M` from Jan 31 gives Feb 28, Mar 31, Apr 30 (no drift
 * to the 28th). Calendar parts (Y, M, W, D) move the wall clock in the schedule's time zone, so
 * `P1D` keeps 02:00 local across DST (as Joda does for Chronos); time parts (H, M, S) are exact
 * durations, so `PT24H` drifts by an hour across DST. Chronos instead rewrote the schedule after
 * every launch (start moved forward, `Rn` decremented); here the definition never changes and
 * the grid is the cursor.
 */
import { type Result, ok, err } from '../../core/errors/result.ts';
import { daysInMonth, instantOf, localOf, wallClockAt, type WallClock } from './zoned-time.ts';

/** A parsed ISO 8601 duration. `weeks` and `days` are calendar days; `exactMs` is H/M/S. */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  /** Hours, minutes and seconds (with fraction) as milliseconds. */
  exactMs: number;
}

export interface IsoInterval {
  /** Total number of occurrences; null = forever (`R/`). `R0` = none left (Chronos: exhausted job). */
  repeat: number | null;
  /** First occurrence, ms since epoch. */
  start: number;
  duration: IsoDuration;
}

const MIN_PERIOD_MS = 1000;
const MAX_PERIOD_MS = 1000 * 365.2425 * 86_400_000;
const APPROX_MONTH_MS = (365.2425 / 12) * 86_400_000;

const DURATION_RE =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/;

/** Parses `PnYnMnWnDTnHnMnS` (weeks may combine with other parts, as Joda accepts; only seconds may have a fraction). */
export function parseDuration(text: string): Result<IsoDuration, string> {
  if (text.startsWith('-') || text.includes('-')) return err(`period "${text}" is negative; it must be positive`);
  const m = DURATION_RE.exec(text);
  if (m === null || text === 'P' || text.endsWith('T')) {
    return err(`period "${text}" is not an ISO 8601 duration such as PT15M, P1D or P1M`);
  }
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  const fraction = m[8] === undefined ? 0 : Math.round(Number(`0.${m[8]}`) * 1000);
  const d: IsoDuration = {
    years: n(1),
    months: n(2),
    weeks: n(3),
    days: n(4),
    exactMs: n(5) * 3_600_000 + n(6) * 60_000 + n(7) * 1000 + fraction,
  };
  const approx = approxMs(d);
  if (approx === 0) return err(`period "${text}" is zero; it must be positive`);
  if (approx < MIN_PERIOD_MS) return err(`period "${text}" is shorter than 1 second`);
  if (approx > MAX_PERIOD_MS) return err(`period "${text}" is longer than 1000 years`);
  return ok(d);
}

/** True when the period has no calendar part, i.e. every step is the same number of ms. */
export function isExact(d: IsoDuration): boolean {
  return d.years === 0 && d.months === 0 && d.weeks === 0 && d.days === 0;
}

function approxMs(d: IsoDuration): number {
  return (d.years * 12 + d.months) * APPROX_MONTH_MS + (d.weeks * 7 + d.days) * 86_400_000 + d.exactMs;
}

const START_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const TIME_ONLY_RE = /^T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function checkRange(text: string, what: string, v: number, lo: number, hi: number): string | undefined {
  return v < lo || v > hi ? `start "${text}": ${what} ${v} is not in ${lo}-${hi}` : undefined;
}

function offsetMs(text: string, designator: string): Result<number, string> {
  if (designator === 'Z') return ok(0);
  const sign = designator.startsWith('-') ? -1 : 1;
  const digits = designator.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  const bad = checkRange(text, 'offset hour', hours, 0, 23) ?? checkRange(text, 'offset minute', minutes, 0, 59);
  return bad === undefined ? ok(sign * (hours * 3_600_000 + minutes * 60_000)) : err(bad);
}

/**
 * Parses the start of an interval. Without an offset the wall-clock time is read in `tz`
 * (with the DST rules of `instantOf`). Chronos' date-less start (`T05:50Z`, its issue #807) takes
 * the date of `now` in `tz`; an empty start means `now` (Chronos: "runs immediately"). Both need `now`.
 */
export function parseStart(text: string, tz: string, now?: number): Result<number, string> {
  if (text === '') {
    return now === undefined ? err('start is empty; give an ISO 8601 date-time such as 2026-12-01T02:00:00Z') : ok(now);
  }
  let date: { year: number; month: number; day: number };
  let time: string[];
  const full = START_RE.exec(text);
  if (full !== null) {
    date = { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) };
    time = full.slice(4, 9);
  } else {
    const timeOnly = TIME_ONLY_RE.exec(text);
    if (timeOnly === null) return err(`start "${text}" is not an ISO 8601 date-time such as 2026-12-01T02:00:00Z`);
    if (now === undefined) return err(`start "${text}" has no date`);
    const today = wallClockAt(now, tz);
    date = { year: today.year, month: today.month, day: today.day };
    time = timeOnly.slice(1, 6);
  }
  const w: WallClock = {
    ...date,
    hour: time[0] === undefined ? 0 : Number(time[0]),
    minute: time[1] === undefined ? 0 : Number(time[1]),
    second: time[2] === undefined ? 0 : Number(time[2]),
    millisecond: time[3] === undefined ? 0 : Math.floor(Number(`0.${time[3]}`) * 1000),
  };
  const bad =
    checkRange(text, 'month', w.month, 1, 12) ??
    checkRange(text, 'day', w.day, 1, daysInMonth(w.year, w.month)) ??
    checkRange(text, 'hour', w.hour, 0, 23) ??
    checkRange(text, 'minute', w.minute, 0, 59) ??
    checkRange(text, 'second', w.second, 0, 59);
  if (bad !== undefined) return err(bad);
  const designator = time[4];
  if (designator === undefined) return ok(instantOf(localOf(w), tz));
  const offset = offsetMs(text, designator);
  return offset.ok ? ok(localOf(w) - offset.value) : offset;
}

export type IsoIntervalError = { part: 'repeat' | 'start' | 'period' | 'shape'; message: string };

/** Parses `R[n]/<start>/<period>`. Precondition: `tz` is valid. */
export function parseIsoInterval(text: string, tz: string, now?: number): Result<IsoInterval, IsoIntervalError> {
  const parts = text.split('/');
  if (parts.length !== 3) {
    return err({ part: 'shape', message: `schedule "${text}" is not R[n]/<start>/<period> (e.g. R/2026-12-01T02:00:00Z/PT24H)` });
  }
  const [r, startText, periodText] = parts;
  const rm = /^R(\d*)$/.exec(r);
  if (rm === null) return err({ part: 'repeat', message: `repetitions "${r}" must be R (forever) or Rn with n ≥ 0` });
  const repeat = rm[1] === '' ? null : Number(rm[1]);
  if (repeat !== null && !Number.isSafeInteger(repeat)) {
    return err({ part: 'repeat', message: `repetitions "${r}" is too large` });
  }
  const start = parseStart(startText, tz, now);
  if (!start.ok) return err({ part: 'start', message: start.error });
  const duration = parseDuration(periodText);
  if (!duration.ok) return err({ part: 'period', message: duration.error });
  return ok({ repeat, start: start.value, duration: duration.value });
}

/** The instant of occurrence `k` (k ≥ 0), ignoring the repeat bound. */
export function occurrence(iv: IsoInterval, tz: string, k: number): number {
  const d = iv.duration;
  if (isExact(d)) return iv.start + k * d.exactMs;
  const w = wallClockAt(iv.start, tz);
  const monthIndex = w.month - 1 + k * (d.years * 12 + d.months);
  const year = w.year + Math.floor(monthIndex / 12);
  const month = (((monthIndex % 12) + 12) % 12) + 1;
  // Month arithmetic clamps to the month's last day (Jan 31 + P1M = Feb 28), as Joda does.
  const day = Math.min(w.day, daysInMonth(year, month)) + k * (d.weeks * 7 + d.days);
  return instantOf(localOf({ ...w, year, month, day }), tz) + k * d.exactMs;
}

/** Smallest k with occurrence(k) > after (may be ≥ repeat; callers bound it). */
export function firstIndexAfter(iv: IsoInterval, tz: string, after: number): number {
  if (after < iv.start) return 0;
  const d = iv.duration;
  if (isExact(d)) return Math.floor((after - iv.start) / d.exactMs) + 1;
  // Estimate from the average period length, then correct: occurrence() is strictly increasing in k.
  let k = Math.max(0, Math.floor((after - iv.start) / approxMs(d)) - 1);
  while (k > 0 && occurrence(iv, tz, k) > after) k--;
  while (occurrence(iv, tz, k) <= after) k++;
  return k;
}

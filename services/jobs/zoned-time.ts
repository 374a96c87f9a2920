/**
 * Wall-clock time in an IANA time zone, computed with `Intl` only (no dependency).
 *
 * A "local" number below is a wall-clock reading encoded as if it were UTC
 * (`Date.UTC(y, m - 1, d, h, mi, s, ms)`), so calendar arithmetic can use `Date.UTC`'s
 * normalisation (day 32 → next month) and only the final step needs the zone.
 */

/** Wall-clock fields; `month` is 1-12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

const isUtc = (tz: string): boolean => tz === 'UTC' || tz === 'Etc/UTC' || tz === 'Etc/GMT' || tz === 'GMT';

/** True when `Intl` knows the zone (IANA names such as `Europe/Berlin`, `UTC`). Unknown names are never mapped to GMT (Chronos' Java pitfall). */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === '' || tz !== tz.trim()) return false;
  try {
    formatterFor(tz);
    return true;
  } catch (e) {
    // Intl signals an unknown zone with a RangeError; anything else is not ours to hide.
    if (e instanceof RangeError) return false;
    throw e;
  }
}

/** Wall-clock fields of instant `t` in `tz`. Precondition: `isValidTimeZone(tz)`. */
export function wallClockAt(t: number, tz: string): WallClock {
  const millisecond = ((t % 1000) + 1000) % 1000;
  if (isUtc(tz)) {
    const d = new Date(t);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond,
    };
  }
  const out: Record<string, number> = {};
  for (const part of formatterFor(tz).formatToParts(new Date(t))) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return {
    year: out.year,
    month: out.month,
    day: out.day,
    hour: out.hour,
    minute: out.minute,
    second: out.second,
    millisecond,
  };
}

/** Encodes wall-clock fields as a local number (see the file comment). Fields may overflow; `Date.UTC` normalises them. */
export function localOf(w: WallClock): number {
  const d = new Date(0);
  // setUTCFullYear avoids Date.UTC's 0-99 → 1900s mapping.
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}

/** Offset of `tz` from UTC at instant `t`, in ms (Berlin in summer: +7_200_000). */
export function offsetAt(t: number, tz: string): number {
  if (isUtc(tz)) return 0;
  return localOf(wallClockAt(t, tz)) - t;
}

/**
 * The instant at which the wall clock in `tz` shows `local`.
 * DST rules, chosen to match what cron-parser 5 does for cron schedules:
 * - in a gap (spring forward, the wall time does not exist) the time moves forward by the gap
 *   (Berlin 2026-03-29 02:30 → 03:30 CEST = 01:30Z);
 * - in an overlap (fall back, the wall time occurs twice) the earlier instant wins
 *   (Berlin 2026-10-25 02:30 → 02:30 CEST = 00:30Z), so a daily job fires once.
 * Assumes at most one offset change within a day either side, true of every real zone.
 */
export function instantOf(local: number, tz: string): number {
  if (isUtc(tz)) return local;
  const before = offsetAt(local - DAY_MS, tz);
  const after = offsetAt(local + DAY_MS, tz);
  const candidates = [local - before, local - after].filter((t) => offsetAt(t, tz) === local - t);
  if (candidates.length > 0) return Math.min(...candidates);
  return local - before;
}

/** Days in `month` (1-12) of `year`, Gregorian. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return new Date(Date.UTC(2001, month, 0)).getUTCDate();
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Schedule math for jobs: cron expressions (via cron-parser 5) and Chronos' ISO 8601 repeating
 * intervals (`R[n]/<start>/<period>`, see iso8601-interval.ts). Pure: every function takes the
 * instant it reasons about; nothing reads the system clock.
 *
 * "After" is strict everywhere: a fire time equal to `after` is not returned, so a caller that
 * passes the last fire time it handled never sees it twice.
 */
import { CronExpressionParser } from 'cron-parser';
import { type Result, ok, err } from '../../core/errors/result.ts';
import {
  type IsoDuration,
  firstIndexAfter,
  isExact,
  occurrence,
  parseIsoInterval,
} from './iso8601-interval.ts';
import { isValidTimeZone, offsetAt, wallClockAt } from './zoned-time.ts';

export { isValidTimeZone };

export type CronSchedule = {
  kind: 'cron';
  /** 5 fields, 6 fields (leading seconds) or a cron-parser alias such as `@daily`; whitespace normalised. */
  expression: string;
  tz: string;
};

export type IsoSchedule = {
  kind: 'iso8601';
  /**
   * Total number of occurrences counted from `start`; null = forever (`R/`). `R0` parses and
   * never fires: in Chronos it is the state of an exhausted job, which the service shows disabled.
   */
  repeat: number | null;
  /** First occurrence, ms since epoch. */
  start: number;
  /** Set when the period has no calendar part (no Y/M/W/D), i.e. every step is exactly this long. */
  periodMs?: number;
  /** The ISO 8601 duration as written, e.g. PT15M, P1D, P1M. */
  period: string;
  duration: IsoDuration;
  /** Calendar parts of the period step in this zone; a start without an offset is read in it. */
  tz: string;
};

export type Schedule = CronSchedule | IsoSchedule;

export interface ScheduleError {
  field: 'schedule' | 'timeZone';
  message: string;
}

const CRON_FIELDS_5 = ['minute', 'hour', 'day of month', 'month', 'day of week'];
const CRON_FIELDS_6 = ['second', ...CRON_FIELDS_5];
/** Any fixed instant works: validation only needs cron-parser to find one next occurrence. */
const VALIDATION_DATE = Date.UTC(2026, 0, 1);
/** Jenkins' `H` picks a random value unless seeded; every replica must compute the same fire times, so it is refused. */
const HASHED_VALUE = /(^|,)H(?=$|[(/,])/i;

/**
 * Parses a schedule written as a cron expression or as `R[n]/<start>/<period>`.
 * `tz` (IANA, default UTC) is the job's time zone. `now` is needed only for Chronos' start
 * shorthands (empty start = now, date-less start = today in `tz`); without it they are rejected.
 */
export function parseSchedule(text: string, tz = 'UTC', now?: number): Result<Schedule, ScheduleError> {
  if (!isValidTimeZone(tz)) {
    return err({ field: 'timeZone', message: `time zone "${tz}" is not a known IANA time zone (e.g. Europe/Berlin, UTC)` });
  }
  const trimmed = text.trim();
  if (trimmed === '') return err({ field: 'schedule', message: 'schedule is empty' });
  // No cron field starts with R, so anything that does is meant as an ISO 8601 interval.
  if (/^R/i.test(trimmed)) return parseIso(trimmed, tz, now);
  return parseCron(trimmed, tz);
}

function parseIso(text: string, tz: string, now: number | undefined): Result<Schedule, ScheduleError> {
  const parsed = parseIsoInterval(text, tz, now);
  if (!parsed.ok) return err({ field: 'schedule', message: parsed.error.message });
  const { repeat, start, duration } = parsed.value;
  const period = text.slice(text.lastIndexOf('/') + 1);
  const s: IsoSchedule = { kind: 'iso8601', repeat, start, period, duration, tz };
  if (isExact(duration)) s.periodMs = duration.exactMs;
  return ok(s);
}

function parseCron(text: string, tz: string): Result<Schedule, ScheduleError> {
  const expression = text.split(/\s+/).join(' ');
  const fields = expression.split(' ');
  if (!expression.startsWith('@')) {
    if (fields.length !== 5 && fields.length !== 6) {
      return err({
        field: 'schedule',
        message: `cron expression "${expression}" has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week) or 6 (with leading seconds)`,
      });
    }
    const names = fields.length === 6 ? CRON_FIELDS_6 : CRON_FIELDS_5;
    const hashed = fields.findIndex((f) => HASHED_VALUE.test(f));
    if (hashed >= 0) {
      return err({
        field: 'schedule',
        message: `cron ${names[hashed]} field "${fields[hashed]}" uses H (random value), which is not supported: fire times must be the same on every replica`,
      });
    }
  }
  const problem = cronProblem(expression, tz);
  if (problem === undefined) return ok({ kind: 'cron', expression, tz });
  return err({ field: 'schedule', message: nameBadField(fields) ?? `cron expression "${expression}" is invalid: ${problem}` });
}

/** cron-parser's complaint about `expression`, or undefined when it parses and fires at least once. */
function cronProblem(expression: string, tz: string): string | undefined {
  try {
    CronExpressionParser.parse(expression, { currentDate: new Date(VALIDATION_DATE), tz }).next();
    return undefined;
  } catch (e) {
    // cron-parser reports every kind of invalid expression by throwing an Error.
    if (e instanceof Error) return e.message;
    throw e;
  }
}

/** cron-parser's messages give the bad value but not the field; find the field by checking each one alone. */
function nameBadField(fields: string[]): string | undefined {
  if (fields.length !== 5 && fields.length !== 6) return undefined;
  const names = fields.length === 6 ? CRON_FIELDS_6 : CRON_FIELDS_5;
  for (let i = 0; i < fields.length; i++) {
    const alone = fields.map((f, j) => (j === i ? f : '*')).join(' ');
    const p = cronProblem(alone, 'UTC');
    if (p !== undefined) return `cron ${names[i]} field "${fields[i]}" is invalid: ${p}`;
  }
  return undefined;
}

/** Fire times strictly after `after`, in increasing order, never beyond the repeat count. */
function* fireTimesAfter(s: Schedule, after: number): Generator<number, void, void> {
  if (s.kind === 'cron') {
    const it = CronExpressionParser.parse(s.expression, { currentDate: new Date(after), tz: s.tz });
    for (;;) yield it.next().getTime();
  }
  for (let k = firstIndexAfter(s, s.tz, after); s.repeat === null || k < s.repeat; k++) {
    yield occurrence(s, s.tz, k);
  }
}

/** Fire times strictly after `after`, up to `count` of them (fewer when an `Rn` schedule runs out). */
export function nextFireTimes(s: Schedule, after: number, count: number): number[] {
  const out: number[] = [];
  if (count <= 0) return out;
  for (const t of fireTimesAfter(s, after)) {
    out.push(t);
    if (out.length >= count) break;
  }
  return out;
}

/** The first fire time strictly after `after`; undefined when an `Rn` schedule is exhausted. */
export function nextFireTime(s: Schedule, after: number): number | undefined {
  return nextFireTimes(s, after, 1)[0];
}

/**
 * Occurrences in (from, to], oldest first, at most `cap` of them — the slots missed while the
 * service was down. When more than `cap` fell in the window the newest are cut off; the caller's
 * missed-run policy decides what to run and records the rest (`previousFireTime` finds the newest).
 */
export function occurrencesBetween(s: Schedule, from: number, to: number, cap: number): number[] {
  const out: number[] = [];
  if (cap <= 0 || to <= from) return out;
  for (const t of fireTimesAfter(s, from)) {
    if (t > to) break;
    out.push(t);
    if (out.length >= cap) break;
  }
  return out;
}

/** The last fire time at or before `atOrBefore`; undefined when none (before the start of an ISO schedule). */
export function previousFireTime(s: Schedule, atOrBefore: number): number | undefined {
  if (s.kind === 'cron') {
    // prev() is strict, so start 1 ms later to include an occurrence exactly at `atOrBefore`.
    const it = CronExpressionParser.parse(s.expression, { currentDate: new Date(atOrBefore + 1), tz: s.tz });
    return it.prev().getTime();
  }
  let k = firstIndexAfter(s, s.tz, atOrBefore) - 1;
  if (s.repeat !== null) k = Math.min(k, s.repeat - 1);
  return k < 0 ? undefined : occurrence(s, s.tz, k);
}

/**
 * The schedule as text. An ISO start is written with the offset in force in `tz` at that instant
 * (`Z` when it is 0), so `parseSchedule(formatSchedule(s), s.tz)` gives `s` back.
 */
export function formatSchedule(s: Schedule): string {
  if (s.kind === 'cron') return s.expression;
  return `R${s.repeat ?? ''}/${formatInstant(s.start, s.tz)}/${s.period}`;
}

/** `t` as an ISO 8601 date-time with the offset in force in `tz` (`Z` when 0), e.g. for previews in the job's zone. */
export function formatInstant(t: number, tz: string): string {
  const w = wallClockAt(t, tz);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const ms = w.millisecond === 0 ? '' : `.${String(w.millisecond).padStart(3, '0')}`;
  const offset = Math.round(offsetAt(t, tz) / 60_000);
  const zone =
    offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${p2(Math.floor(Math.abs(offset) / 60))}:${p2(Math.abs(offset) % 60)}`;
  return `${String(w.year).padStart(4, '0')}-${p2(w.month)}-${p2(w.day)}T${p2(w.hour)}:${p2(w.minute)}:${p2(w.second)}${ms}${zone}`;
}

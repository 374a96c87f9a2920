/**
 * What to do with occurrences: on time, late, or missed while no replica ran. Pure (time passed in).
 *
 * Vocabulary: the **cursor** of a job is the newest occurrence already handled (run, missed or skipped),
 * kept in Redis; occurrences after it are still to handle. Normally each occurrence reaches the worker
 * through its BullMQ delayed job a few ms after its time and is judged alone (`latenessVerdict`). When
 * occurrences older than the grace period are still unhandled — every replica was down, or the worker
 * stalled — they form a **backlog**, and the job's missed-run policy decides for all of them at once
 * (`planCatchUp`): `skip` runs none, `once` runs the newest, `all` runs the oldest `missedRunLimit`.
 * The rest are recorded MISSED (the newest 100 individually; the count of older ones in the reason).
 *
 * The lateness limit applies to occurrences judged alone; catch-up runs are late by definition (the
 * user asked for them with `once`/`all`) and get the limit counted from the catch-up instead.
 */
import { MissedRunPolicy } from './job-model.ts';
import { nextFireTime, occurrencesBetween, previousFireTime, type Schedule } from './schedule.ts';

/** At most this many missed occurrences get their own MISSED run record per catch-up. */
export const MAX_MISSED_RECORDS = 100;
/** Counting missed occurrences stops here (a per-second cron down for a day has 86,400). */
const COUNT_CAP = 10_000;

export interface CatchUpPlan {
  /** Occurrences to run now, oldest first. */
  run: number[];
  /** Occurrences recorded MISSED, oldest first. */
  missed: number[];
  /** Missed occurrences not recorded individually (older than those in `missed`). */
  unrecorded: number;
  /** True when there were at least COUNT_CAP occurrences and `unrecorded` is a lower bound. */
  countCapped: boolean;
  /** The newest occurrence in the backlog: the cursor after the catch-up. */
  through: number;
}

/** The newest `n` occurrences in (after, upTo], oldest first. */
function newest(s: Schedule, after: number, upTo: number, n: number): number[] {
  const out: number[] = [];
  let t = upTo;
  while (out.length < n) {
    const p = previousFireTime(s, t);
    if (p === undefined || p <= after) break;
    out.push(p);
    t = p - 1;
  }
  return out.reverse();
}

/**
 * The catch-up for occurrences in (cursor, until], or undefined when there are none.
 * `limit` bounds `all` (missedRunLimit).
 */
export function planCatchUp(s: Schedule, cursor: number, until: number, policy: MissedRunPolicy, limit: number): CatchUpPlan | undefined {
  const oldest = occurrencesBetween(s, cursor, until, COUNT_CAP);
  if (oldest.length === 0) return undefined;
  const countCapped = oldest.length >= COUNT_CAP;
  const through = countCapped ? previousFireTime(s, until)! : oldest[oldest.length - 1];
  const total = oldest.length;
  let run: number[];
  let missedFrom: number;
  switch (policy) {
    case MissedRunPolicy.SKIP:
      run = [];
      missedFrom = cursor;
      break;
    case MissedRunPolicy.ONCE:
      run = [through];
      missedFrom = cursor;
      break;
    case MissedRunPolicy.ALL:
      run = oldest.slice(0, Math.max(0, limit));
      missedFrom = run.length > 0 ? run[run.length - 1] : cursor;
      break;
  }
  const ran = new Set(run);
  const missed = newest(s, missedFrom, through, MAX_MISSED_RECORDS + run.length).filter((t) => !ran.has(t)).slice(-MAX_MISSED_RECORDS);
  const unrecorded = Math.max(0, total - run.length - missed.length);
  return { run, missed, unrecorded, countCapped, through };
}

/** True when occurrences older than `graceMs` follow `after` and are due: the worker fell behind (or nobody ran). */
export function hasBacklog(s: Schedule, after: number, now: number, graceMs: number): boolean {
  const next = nextFireTime(s, after);
  return next !== undefined && next <= now - graceMs;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * Whether an occurrence judged alone may still start: undefined when it may, else the MISSED reason.
 * `dueAt` is the occurrence (or, for catch-up runs, the catch-up instant).
 */
export function latenessVerdict(dueAt: number, now: number, latenessLimitMs: number | null): string | undefined {
  if (latenessLimitMs === null) return undefined;
  const late = now - dueAt;
  if (late <= latenessLimitMs) return undefined;
  return `missed: ${seconds(late)} late, over the lateness limit of ${seconds(latenessLimitMs)}`;
}

/** The reason written on MISSED catch-up records. */
export function catchUpMissedReason(policy: MissedRunPolicy, plan: CatchUpPlan, isOldestRecorded: boolean): string {
  const base = `missed while no replica was running (missedRunPolicy ${policy})`;
  if (!isOldestRecorded || plan.unrecorded === 0) return base;
  return `${base}; ${plan.countCapped ? 'at least ' : ''}${plan.unrecorded} older occurrences are not recorded one by one`;
}

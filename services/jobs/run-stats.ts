/**
 * Statistics over a job's run history and the status the UI shows for the job. Pure.
 *
 * Counting follows Chronos (services.md §2.8, §2.11) with two fixes: a duration is end − start of
 * the run itself (Chronos measured from the due time, so queueing showed up as run time, and its
 * "mean" was the median), and the delay from scheduled time to start is reported separately.
 */

/** States of a run (one firing of a job). The same strings as the API enum. */
export const RunState = {
  QUEUED: 'QUEUED',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
  /** The trigger could not start within the job's lateness limit, or fell to the missed-run policy. */
  MISSED: 'MISSED',
  /** Not started on purpose, e.g. the concurrency policy `forbid` while a run was still running. */
  SKIPPED: 'SKIPPED',
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];
export const RUN_STATES = Object.values(RunState);

/** Terminal run states never change again. */
export function isTerminalRunState(state: RunState): boolean {
  switch (state) {
    case 'SUCCEEDED':
    case 'FAILED':
    case 'KILLED':
    case 'MISSED':
    case 'SKIPPED':
      return true;
    case 'QUEUED':
    case 'STARTING':
    case 'RUNNING':
      return false;
  }
}

/**
 * Status of a job for the UI. Lowercase, as Chronos' `jobs/summary` and graph exports spell them,
 * so the compatibility routes can pass them through.
 */
export const JobStatus = {
  FRESH: 'fresh',
  RUNNING: 'running',
  SUCCESS: 'success',
  FAILURE: 'failure',
  DISABLED: 'disabled',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** The part of a run that statistics need. Times are ms since epoch. */
export interface RunRecord {
  state: RunState;
  scheduledAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

/**
 * Outcome counters, as Chronos keeps on the job. The store persists them so they outlive history
 * trimming; `foldOutcome` advances them one finished run at a time.
 */
export interface JobCounters {
  successCount: number;
  errorCount: number;
  errorsSinceLastSuccess: number;
  lastSuccess?: number;
  lastError?: number;
  /**
   * Run-time percentiles of the last DURATION_WINDOW succeeded runs, as the store last wrote them beside the
   * counters (so lists of jobs show them without reading any run); `foldOutcome` leaves them alone.
   */
  duration?: Percentiles;
}

export const emptyCounters = (): JobCounters => ({ successCount: 0, errorCount: 0, errorsSinceLastSuccess: 0 });

/**
 * Applies one finished run. SUCCEEDED is a success; FAILED and KILLED are errors (Chronos reports
 * kills as failures); MISSED and SKIPPED are not outcomes and leave the counters alone. Each
 * attempt is its own run, so a failed attempt that is retried counts as an error (Chronos counted
 * only the final one). Precondition: runs are applied in order of `finishedAt`.
 */
export function foldOutcome(c: JobCounters, run: RunRecord): JobCounters {
  const at = run.finishedAt;
  if (run.state === 'SUCCEEDED') {
    return { ...c, successCount: c.successCount + 1, errorsSinceLastSuccess: 0, lastSuccess: at ?? c.lastSuccess };
  }
  if (run.state === 'FAILED' || run.state === 'KILLED') {
    return { ...c, errorCount: c.errorCount + 1, errorsSinceLastSuccess: c.errorsSinceLastSuccess + 1, lastError: at ?? c.lastError };
  }
  return c;
}

/**
 * A job's duration percentiles cover this many of its newest succeeded runs. The store keeps their run times
 * apart from the history, so a list of jobs reads one short list per job (not every run record), and
 * trimming the history does not change them.
 */
export const DURATION_WINDOW = 100;

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface RunStats extends JobCounters {
  missedCount: number;
  skippedCount: number;
  /** Runs in QUEUED. */
  queued: number;
  /** Runs in STARTING or RUNNING. */
  running: number;
  /** finishedAt − startedAt of succeeded runs, ms; undefined when there are none. */
  duration?: Percentiles;
  /** startedAt − scheduledAt of started runs (lateness plus queueing), ms. */
  startDelay?: Percentiles;
  status: JobStatus;
}

/** Nearest-rank percentile (p in 0-100) of an ascending array. Precondition: non-empty. */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) throw new Error('percentile of an empty list');
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length, Math.max(1, rank)) - 1];
}

/** Count, p50, p90, p99 and max of `values` (any order); undefined when there are none. */
export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  return { count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1] };
}

/**
 * The status shown for a job: `disabled` whatever its runs (the definition wins, so disabling is
 * visible at once; `running` in the stats still says a run is in flight), else `running` while a
 * run is starting or running, else the outcome of the last finished run, else `fresh`.
 */
export function jobStatus(disabled: boolean, running: number, last: 'success' | 'failure' | undefined): JobStatus {
  if (disabled) return 'disabled';
  if (running > 0) return 'running';
  return last ?? 'fresh';
}

/** The last outcome from the counters, as Chronos compares lastSuccess with lastError; a tie counts as a failure. */
function lastOutcome(c: JobCounters): 'success' | 'failure' | undefined {
  if (c.lastSuccess === undefined && c.lastError === undefined) return undefined;
  if (c.lastError === undefined) return 'success';
  if (c.lastSuccess === undefined) return 'failure';
  return c.lastSuccess > c.lastError ? 'success' : 'failure';
}

/**
 * Stats over `runs` (any order). Counts come from `counters` when the store passes its persisted
 * ones (history may be trimmed), else from the runs themselves; percentiles always come from the
 * runs given.
 */
export function computeRunStats(runs: Iterable<RunRecord>, opts: { disabled: boolean; counters?: JobCounters }): RunStats {
  const list = [...runs];
  let missedCount = 0;
  let skippedCount = 0;
  let queued = 0;
  let running = 0;
  const durations: number[] = [];
  const delays: number[] = [];
  for (const r of list) {
    if (r.state === 'MISSED') missedCount++;
    else if (r.state === 'SKIPPED') skippedCount++;
    else if (r.state === 'QUEUED') queued++;
    else if (r.state === 'STARTING' || r.state === 'RUNNING') running++;
    if (r.state === 'SUCCEEDED' && r.startedAt !== undefined && r.finishedAt !== undefined) {
      durations.push(r.finishedAt - r.startedAt);
    }
    if (r.startedAt !== undefined && r.scheduledAt !== undefined) delays.push(r.startedAt - r.scheduledAt);
  }
  // Stable sort keeps input order for equal times; runs without an end are not outcomes.
  const finished = list
    .filter((r) => r.finishedAt !== undefined && isTerminalRunState(r.state))
    .sort((a, b) => a.finishedAt! - b.finishedAt!);
  const counters = opts.counters ?? finished.reduce(foldOutcome, emptyCounters());
  const last = lastOutcome(counters);
  return {
    ...counters,
    missedCount,
    skippedCount,
    queued,
    running,
    duration: percentiles(durations),
    startDelay: percentiles(delays),
    status: jobStatus(opts.disabled, running, last),
  };
}

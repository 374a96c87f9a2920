/**
 * What the API returns for jobs: the definition as written (so a GET can be edited and POSTed back),
 * plus read-only state — version, times, status, next run, children and counters. Pure.
 */
import { jobInputOf, type JobInput, type StoredJob } from './job-model.ts';
import { computeRunStats, type JobCounters, type JobStatus, type Percentiles, type RunRecord as StatRun } from './run-stats.ts';
import { formatInstant, nextFireTimes, type Schedule } from './schedule.ts';

export interface JobStatsView {
  successCount: number;
  errorCount: number;
  errorsSinceLastSuccess: number;
  lastSuccess?: string;
  lastError?: string;
  queued: number;
  running: number;
  /** Only on `GET /v1/jobs/{name}`: from the kept history. */
  missedCount?: number;
  skippedCount?: number;
  /** Run time of the last succeeded runs (run-stats.ts DURATION_WINDOW), in lists too; absent before the first success. */
  duration?: Percentiles;
  /** Only on `GET /v1/jobs/{name}`: from the kept history. */
  startDelay?: Percentiles;
}

export type JobView = JobInput & {
  command: string | string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  status: JobStatus;
  nextRunAt?: string;
  children: string[];
  stats: JobStatsView;
};

const iso = (t: number): string => new Date(t).toISOString();

export interface JobState {
  status: JobStatus;
  counters: JobCounters;
  activity: { queued: number; running: number };
  children: string[];
  nextRunAt?: number;
}

export function jobView(job: StoredJob, state: JobState): JobView {
  const c = state.counters;
  const stats: JobStatsView = { successCount: c.successCount, errorCount: c.errorCount, errorsSinceLastSuccess: c.errorsSinceLastSuccess, ...state.activity };
  if (c.lastSuccess !== undefined) stats.lastSuccess = iso(c.lastSuccess);
  if (c.lastError !== undefined) stats.lastError = iso(c.lastError);
  if (c.duration !== undefined) stats.duration = c.duration;
  const view: JobView = {
    ...jobInputOf(job),
    version: job.revision,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    status: state.status,
    children: state.children,
    stats,
  };
  if (state.nextRunAt !== undefined) view.nextRunAt = iso(state.nextRunAt);
  return view;
}

/**
 * Adds the history-based figures (start-delay percentiles, missed/skipped counts) and the duration
 * percentiles computed from the window itself (exact even while the stored ones lag a concurrent write).
 */
export function withHistoryStats(view: JobView, runs: StatRun[], duration: Percentiles | undefined, disabled: boolean, counters: JobCounters): JobView {
  const s = computeRunStats(runs, { disabled, counters });
  const stats: JobStatsView = { ...view.stats, missedCount: s.missedCount, skippedCount: s.skippedCount };
  if (s.startDelay) stats.startDelay = s.startDelay;
  if (duration) stats.duration = duration;
  return { ...view, stats };
}

export interface SchedulePreview {
  job: string;
  schedule?: string;
  timeZone: string;
  disabled: boolean;
  parents: string[];
  /** Each fire time in UTC and on the job's wall clock (with the offset in force then, DST included). */
  times: Array<{ at: string; local: string }>;
}

/** The next `count` fire times strictly after `now` (a dry run: nothing is scheduled). */
export function schedulePreview(job: StoredJob, s: Schedule | undefined, now: number, count: number): SchedulePreview {
  const times = s ? nextFireTimes(s, now, count).map((t) => ({ at: iso(t), local: formatInstant(t, job.timeZone) })) : [];
  const out: SchedulePreview = { job: job.name, timeZone: job.timeZone, disabled: job.disabled, parents: job.parents, times };
  if (job.schedule !== undefined) out.schedule = job.schedule;
  return out;
}

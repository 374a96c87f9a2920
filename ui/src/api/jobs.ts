/**
 * Shapes of the jobs API (`/v1/jobs…`; api-spec: Job, JobRun, JobSchedule, JobGraph), named from the generated
 * schema.ts (see types.ts), and its calls.
 */
import type { components } from './schema.ts';
import { request } from './http.ts';
import type { ResponseOf } from './types.ts';

export type Job = components['schemas']['Job'];
export type JobStatus = Job['status'];
/** Counters, and on GET /v1/jobs/{name} only: missed/skipped counts and start delays from the kept history. */
export type JobStats = Job['stats'];
/** GET /v1/jobs. */
export type JobList = ResponseOf<'listJobs', 200>;

export type Run = components['schemas']['JobRun'];
/** GET /v1/jobs/{name}/runs. */
export type RunList = ResponseOf<'listJobRuns', 200>;
/** GET /v1/jobs/{name}/schedule. */
export type JobSchedule = ResponseOf<'previewJobSchedule', 200>;
/** GET /v1/jobs/graph. */
export type JobGraph = ResponseOf<'getJobGraph', 200>;

export const jobPath = (name: string, rest = ''): string => `/v1/jobs/${encodeURIComponent(name)}${rest}`;

export const jobActions = {
  runNow: (name: string) => request<ResponseOf<'startJobRun', 202>>('POST', jobPath(name, '/runs'), {}),
  kill: (name: string) => request<ResponseOf<'killJobRuns', 202>>('POST', jobPath(name, '/kill')),
  enable: (name: string) => request<ResponseOf<'enableJob', 200>>('POST', jobPath(name, '/enable')),
  disable: (name: string) => request<ResponseOf<'disableJob', 200>>('POST', jobPath(name, '/disable')),
  remove: (name: string, force = false) => request<ResponseOf<'deleteJob', 200>>('DELETE', `${jobPath(name)}${force ? '?force=true' : ''}`),
  /** 200 replaced, 201 created: a Job either way. */
  put: (body: Record<string, unknown>) => request<ResponseOf<'putJob', 200> | ResponseOf<'putJob', 201>>('POST', '/v1/jobs', body),
};

/** The job's definition as a POST body: what a GET returned minus the read-only fields (version kept as the guard). */
export function definitionOf(job: Job): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, status: _s, nextRunAt: _n, children: _ch, stats: _st, ...definition } = job;
  return definition;
}

/** The later of the last success and the last error. */
export function lastRunAt(s: JobStats): string | undefined {
  if (!s.lastSuccess) return s.lastError;
  if (!s.lastError) return s.lastSuccess;
  return s.lastSuccess > s.lastError ? s.lastSuccess : s.lastError;
}

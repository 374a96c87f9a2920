/** Shapes of the jobs API (`/v1/jobs…`, api-spec: Job, JobRun, JobSchedule, JobGraph) and its calls. */
import type { JobStatus } from '../components/job-badges.tsx';
import { request } from './http.ts';

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface JobStats {
  successCount: number;
  errorCount: number;
  errorsSinceLastSuccess: number;
  lastSuccess?: string;
  lastError?: string;
  queued: number;
  running: number;
  /** Only on GET /v1/jobs/{name}: from the kept history. */
  missedCount?: number;
  skippedCount?: number;
  /** Run time of the last 100 succeeded runs, ms; in lists too; absent before the first success. */
  duration?: Percentiles;
  /** Only on GET /v1/jobs/{name}: due time to start of the runs in the history, ms. */
  startDelay?: Percentiles;
}

export interface Job {
  name: string;
  description?: string;
  owner?: string;
  labels?: Record<string, string>;
  command: string | string[];
  schedule?: string;
  timeZone: string;
  parents?: string[];
  cpus: number;
  mem: number;
  disk: number;
  gpus?: number;
  resources?: string;
  env?: Record<string, string>;
  uris?: unknown[];
  constraints?: string[][];
  retries: number;
  backoff: { initialMs?: number; factor?: number; maxMs?: number };
  timeoutMs?: number | null;
  killGracePeriodMs?: number;
  concurrencyPolicy: 'allow' | 'forbid' | 'replace';
  latenessLimitMs?: number | null;
  missedRunPolicy: 'skip' | 'once' | 'all';
  missedRunLimit?: number;
  disabled: boolean;
  historyLimit: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  status: JobStatus;
  nextRunAt?: string;
  children: string[];
  stats: JobStats;
}

export interface JobList {
  total: number;
  jobs: Job[];
}

export interface Run {
  id: string;
  job: string;
  cause: 'schedule' | 'parent' | 'manual' | 'retry';
  attempt: number;
  state: string;
  reason?: string;
  scheduledAt: string;
  queuedAt: string;
  launchedAt?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  agentId?: string;
  hostname?: string;
  taskId?: string;
  retryOf?: string;
  triggeredBy?: { job: string; runId: string };
  catchUp?: boolean;
  nextRetryAt?: string;
  pendingReason?: string;
  links?: { task: string; stdout: string; stderr: string };
}

export interface RunList {
  total: number;
  runs: Run[];
}

export interface JobSchedule {
  job: string;
  schedule?: string;
  timeZone: string;
  disabled: boolean;
  parents: string[];
  times: Array<{ at: string; local: string }>;
}

export interface JobGraph {
  nodes: Array<{ name: string; status: JobStatus; schedule?: string; parents: string[]; disabled: boolean }>;
  edges: Array<{ from: string; to: string; satisfied: boolean }>;
}

export const jobPath = (name: string, rest = ''): string => `/v1/jobs/${encodeURIComponent(name)}${rest}`;

export const jobActions = {
  runNow: (name: string) => request<Run>('POST', jobPath(name, '/runs'), {}),
  kill: (name: string) => request<{ killed: string[] }>('POST', jobPath(name, '/kill')),
  enable: (name: string) => request<Job>('POST', jobPath(name, '/enable')),
  disable: (name: string) => request<Job>('POST', jobPath(name, '/disable')),
  remove: (name: string, force = false) => request<{ deleted: string; detached: string[] }>('DELETE', `${jobPath(name)}${force ? '?force=true' : ''}`),
  put: (body: Record<string, unknown>) => request<Job>('POST', '/v1/jobs', body),
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

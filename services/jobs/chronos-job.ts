/**
 * Chronos' job JSON (services.md §2.3) ↔ our job definition. Pure.
 *
 * Differences kept on purpose, each documented in the README: unknown parents and cycles are refused
 * (Chronos accepted them and dropped the job, its issue #815); `async: true` is refused (Chronos 3 removed
 * it); a busy non-concurrent job records a SKIPPED run instead of dropping the trigger silently (#532);
 * `scheduleTimeZone` reinterprets the start's wall-clock fields as Chronos did (offset ignored).
 * Chronos fields we accept but do not act on (ownerName, softError, highPriority, container, …) are kept
 * and given back unchanged, so an exported job file round-trips.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import { ConcurrencyPolicy, DEFAULT_CPUS, DEFAULT_MEM, MissedRunPolicy, type JobFieldError, type JobInput, type StoredJob } from './job-model.ts';
import { isExact, parseDuration } from './iso8601-interval.ts';
import type { JobCounters } from './run-stats.ts';

/** Chronos' `--mesos_task_disk` default, used when a job gives 0. */
export const CHRONOS_DEFAULT_DISK = 256;
/** Chronos' `--failure_retry`: one fixed delay before every retry. */
export const CHRONOS_RETRY_DELAY_MS = 60_000;
export const CHRONOS_DEFAULT_RETRIES = 2;

/** Fields Chronos accepts that we store and return but do not act on. */
export const CHRONOS_PASSTHROUGH = ['ownerName', 'softError', 'highPriority', 'runAsUser', 'container', 'executor', 'executorFlags', 'taskInfoData', 'dataProcessingJobType'] as const;

export interface ChronosJob {
  name: string;
  command: string;
  schedule?: string;
  scheduleTimeZone?: string;
  parents?: string[];
  epsilon?: string;
  retries?: number;
  owner?: string;
  description?: string;
  async?: boolean;
  disabled?: boolean;
  concurrent?: boolean;
  cpus?: number;
  mem?: number;
  disk?: number;
  uris?: string[];
  fetch?: Array<{ uri: string; executable?: boolean; extract?: boolean; cache?: boolean; outputFile?: string }>;
  environmentVariables?: Array<{ name: string; value: string }>;
  shell?: boolean;
  arguments?: string[];
  constraints?: string[][];
  maxCompletionTime?: number;
  successCount?: number;
  errorCount?: number;
  errorsSinceLastSuccess?: number;
  lastSuccess?: string;
  lastError?: string;
  [passthrough: string]: unknown;
}

const OFFSET_AT_END = /(Z|[+-]\d{2}(?::?\d{2})?)$/;

/** Chronos applied `scheduleTimeZone` with `withZoneRetainFields`: the start's wall-clock fields, read in that zone. */
export function retainWallClock(schedule: string): string {
  const parts = schedule.split('/');
  if (parts.length !== 3 || !/^R\d*$/.test(parts[0]) || !parts[1].includes('T')) return schedule;
  return `${parts[0]}/${parts[1].replace(OFFSET_AT_END, '')}/${parts[2]}`;
}

/** `epsilon` (an ISO 8601 duration without years or months) in ms. */
function epsilonMs(text: string): Result<number, string> {
  const d = parseDuration(text);
  if (!d.ok) return err(d.error);
  if (d.value.years !== 0 || d.value.months !== 0) return err(`epsilon "${text}" must not use years or months`);
  const days = isExact(d.value) ? 0 : (d.value.weeks * 7 + d.value.days) * 86_400_000;
  return ok(days + d.value.exactMs);
}

/**
 * A Chronos job as our job body. `kind` is the route it came through: `iso8601` needs a schedule,
 * `dependency` needs parents (Chronos routes one kind each).
 */
export function fromChronos(c: ChronosJob, kind: 'iso8601' | 'dependency'): Result<{ input: JobInput; extras: Record<string, unknown> }, JobFieldError[]> {
  const errors: JobFieldError[] = [];
  if (kind === 'iso8601' && (c.schedule === undefined || c.schedule.trim() === '')) errors.push({ field: 'schedule', message: 'is required for a scheduled job (POST …/iso8601)' });
  if (kind === 'dependency' && (c.parents === undefined || c.parents.length === 0)) errors.push({ field: 'parents', message: 'is required for a dependent job (POST …/dependency)' });
  if (kind === 'dependency' && c.schedule !== undefined && c.schedule.trim() !== '') errors.push({ field: 'schedule', message: 'a dependent job has parents, not a schedule' });
  if (c.async === true) errors.push({ field: 'async', message: 'async jobs are not supported (Chronos 3 removed them too)' });
  let latenessLimitMs: number | null = null;
  if (c.epsilon !== undefined && c.epsilon !== '') {
    const e = epsilonMs(c.epsilon);
    if (!e.ok) errors.push({ field: 'epsilon', message: e.error });
    else latenessLimitMs = e.value;
  }
  if (errors.length > 0) return err(errors);

  const tz = c.scheduleTimeZone !== undefined && c.scheduleTimeZone !== '' ? c.scheduleTimeZone : undefined;
  const shell = c.shell ?? true;
  const env: Record<string, string> = {};
  for (const v of c.environmentVariables ?? []) env[v.name] = v.value;
  const input: JobInput = {
    name: c.name,
    command: shell ? c.command : [c.command, ...(c.arguments ?? [])],
    description: c.description ?? '',
    owner: c.owner ?? '',
    cpus: c.cpus || DEFAULT_CPUS,
    mem: c.mem || DEFAULT_MEM,
    disk: c.disk || CHRONOS_DEFAULT_DISK,
    env,
    uris: [...(c.uris ?? []), ...(c.fetch ?? []).map((f) => ({ uri: f.uri, ...(f.executable !== undefined && { executable: f.executable }), ...(f.extract !== undefined && { extract: f.extract }), ...(f.cache !== undefined && { cache: f.cache }) }))],
    constraints: c.constraints ?? [],
    retries: c.retries ?? CHRONOS_DEFAULT_RETRIES,
    backoff: { initialMs: CHRONOS_RETRY_DELAY_MS, factor: 1, maxMs: CHRONOS_RETRY_DELAY_MS },
    timeoutMs: c.maxCompletionTime ? c.maxCompletionTime * 1000 : null,
    concurrencyPolicy: c.concurrent ? ConcurrencyPolicy.ALLOW : ConcurrencyPolicy.FORBID,
    latenessLimitMs,
    missedRunPolicy: MissedRunPolicy.ONCE,
    disabled: c.disabled ?? false,
  };
  if (kind === 'iso8601') {
    input.schedule = tz ? retainWallClock(c.schedule!.trim()) : c.schedule!.trim();
    if (tz) input.timeZone = tz;
  } else {
    input.parents = c.parents;
  }
  const extras: Record<string, unknown> = {};
  for (const k of CHRONOS_PASSTHROUGH) if (c[k] !== undefined) extras[k] = c[k];
  return ok({ input, extras });
}

const isoOrEmpty = (t: number | undefined): string => (t === undefined ? '' : new Date(t).toISOString());

/** Our job as Chronos' JSON, with Chronos' managed counters. */
export function toChronos(job: StoredJob, counters: JobCounters): ChronosJob {
  const { cpus = 0, mem = 0, disk = 0 } = job.resources.scalars;
  const out: ChronosJob = {
    name: job.name,
    command: job.command.shell ? job.command.value : job.command.arguments[0],
    shell: job.command.shell,
    arguments: job.command.shell ? [] : job.command.arguments.slice(1),
    retries: job.retries,
    owner: job.owner,
    description: job.description,
    async: false,
    disabled: job.disabled,
    concurrent: job.concurrencyPolicy === ConcurrencyPolicy.ALLOW,
    cpus,
    mem,
    disk,
    uris: job.uris.map((u) => u.value),
    environmentVariables: Object.entries(job.env).map(([name, value]) => ({ name, value })),
    constraints: job.constraints.map((c) => [...c]),
    maxCompletionTime: job.timeoutMs === null ? 0 : Math.ceil(job.timeoutMs / 1000),
    successCount: counters.successCount,
    errorCount: counters.errorCount,
    errorsSinceLastSuccess: counters.errorsSinceLastSuccess,
    lastSuccess: isoOrEmpty(counters.lastSuccess),
    lastError: isoOrEmpty(counters.lastError),
    ...job.chronosExtras,
  };
  if (job.schedule !== undefined) {
    out.schedule = job.schedule;
    out.scheduleTimeZone = job.timeZone;
  }
  if (job.parents.length > 0) out.parents = job.parents;
  if (job.latenessLimitMs !== null) out.epsilon = `PT${job.latenessLimitMs / 1000}S`;
  return out;
}

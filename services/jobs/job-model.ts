/**
 * The job definition: what the API accepts, what the store keeps, and the checks a JSON schema cannot make
 * (schedule syntax, time zone, resource text, constraints, schedule-or-parents). Pure: `now` is passed in.
 *
 * The HTTP layer validates shapes (types, ranges, unknown fields) with the route's JSON schema first; this
 * module then normalises the body into a `JobSpec` with every default filled in, or names every bad field.
 * Graph checks (unknown parents, cycles) need all jobs and live in dag.ts, applied by the service.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import {
  addResources,
  formatResources,
  parseConstraints,
  parseResources,
  resourcesFromRequest,
  type Constraint,
  type Resources,
} from '../../core/sdk/index.ts';
import { formatSchedule, parseSchedule, type Schedule } from './schedule.ts';

export const ConcurrencyPolicy = { ALLOW: 'allow', FORBID: 'forbid', REPLACE: 'replace' } as const;
export type ConcurrencyPolicy = (typeof ConcurrencyPolicy)[keyof typeof ConcurrencyPolicy];
export const CONCURRENCY_POLICIES = Object.values(ConcurrencyPolicy);

/** What happens to occurrences that passed while no replica handled them (downtime). */
export const MissedRunPolicy = { SKIP: 'skip', ONCE: 'once', ALL: 'all' } as const;
export type MissedRunPolicy = (typeof MissedRunPolicy)[keyof typeof MissedRunPolicy];
export const MISSED_RUN_POLICIES = Object.values(MissedRunPolicy);

export const RunCause = { SCHEDULE: 'schedule', PARENT: 'parent', MANUAL: 'manual', RETRY: 'retry' } as const;
export type RunCause = (typeof RunCause)[keyof typeof RunCause];
export const RUN_CAUSES = Object.values(RunCause);

/** Chronos' defaults for a task's size (`--mesos_task_cpu`, `--mesos_task_mem`). */
export const DEFAULT_CPUS = 0.1;
export const DEFAULT_MEM = 128;
export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;
export const DEFAULT_MISSED_RUN_LIMIT = 10;
/** Kubernetes refuses to catch up more than 100 missed schedules; so do we. */
export const MAX_MISSED_RUN_LIMIT = 100;
export const MAX_RETRIES = 100;
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, factor: 2, maxMs: 300_000 };

/** `graph` is a route (`GET /v1/jobs/graph`), so no job may take that name. */
export const RESERVED_JOB_NAMES = ['graph'] as const;
export const JOB_NAME_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
const JOB_NAME_RE = new RegExp(JOB_NAME_PATTERN);

export interface Backoff {
  /** Delay before the first retry. */
  initialMs: number;
  /** Each further retry waits `factor` times longer (1 = fixed delay). */
  factor: number;
  maxMs: number;
}

export interface UriSpec {
  value: string;
  extract?: boolean;
  executable?: boolean;
  cache?: boolean;
}

export type CommandSpec = { shell: true; value: string } | { shell: false; arguments: string[] };

/** A normalised job definition: every default filled in. */
export interface JobSpec {
  name: string;
  description: string;
  owner: string;
  labels: Record<string, string>;
  command: CommandSpec;
  /** Cron (5/6 fields) or `R[n]/start/period`; absent for dependent and manual-only jobs. */
  schedule?: string;
  timeZone: string;
  /** Jobs this one depends on; empty for scheduled and manual-only jobs. */
  parents: string[];
  resources: Resources;
  env: Record<string, string>;
  uris: UriSpec[];
  constraints: Constraint[];
  retries: number;
  backoff: Backoff;
  /** Kill a run still going after this long (from RUNNING); null = never. */
  timeoutMs: number | null;
  killGracePeriodMs?: number;
  concurrencyPolicy: ConcurrencyPolicy;
  /** A trigger that cannot start within this of its due time is recorded MISSED instead of running late; null = no limit. */
  latenessLimitMs: number | null;
  missedRunPolicy: MissedRunPolicy;
  /** At most this many missed occurrences run under `missedRunPolicy: all`. */
  missedRunLimit: number;
  disabled: boolean;
  historyLimit: number;
}

/** A job as stored: the spec plus bookkeeping. */
export interface StoredJob extends JobSpec {
  createdAt: number;
  updatedAt: number;
  /**
   * The definitions' version (JobStore `defs-version`) this write made: unique among all writes of all jobs,
   * deleted ones included, so it tells a trigger of an older definition — or of a deleted job of the same
   * name — from the current one (occurrence trigger ids `o@<generation>@<at>@<job>`). Internal.
   */
  generation: number;
  /**
   * The job's own revision, shown as `version` by the API: 1 when the job is created, +1 on every write of
   * this job; writes of other jobs leave it alone, and a job created again under a deleted job's name starts
   * at 1. The optimistic-concurrency guard of writes compares it.
   */
  revision: number;
  /** Chronos fields we accept and give back but do not act on (ownerName, container, …). */
  chronosExtras?: Record<string, unknown>;
}

/** The body of `POST /v1/jobs` once its JSON schema has passed. */
export interface JobInput {
  name: string;
  description?: string;
  owner?: string;
  labels?: Record<string, string>;
  command: string | string[];
  schedule?: string;
  timeZone?: string;
  parents?: string[];
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  /** More resources in Mesos text, e.g. `cassandra-slot:1`. */
  resources?: string;
  env?: Record<string, string>;
  uris?: Array<string | { uri: string; extract?: boolean; executable?: boolean; cache?: boolean }>;
  constraints?: unknown;
  retries?: number;
  backoff?: Partial<Backoff>;
  timeoutMs?: number | null;
  killGracePeriodMs?: number;
  concurrencyPolicy?: ConcurrencyPolicy;
  latenessLimitMs?: number | null;
  missedRunPolicy?: MissedRunPolicy;
  missedRunLimit?: number;
  disabled?: boolean;
  historyLimit?: number;
  /** Optimistic concurrency: when given, the write applies only if the job is still at this version (its `revision`; 0 = it must not exist). */
  version?: number;
}

export interface JobFieldError {
  /** The field as written in the body: `schedule`, `backoff.maxMs`, `constraints[0]`. */
  field: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a job body and fills in its defaults. Returns every problem found, each naming its field.
 * `now` resolves Chronos' start shorthands in ISO schedules (empty start = now).
 */
export function parseJobInput(input: JobInput, now: number): Result<JobSpec, JobFieldError[]> {
  const errors: JobFieldError[] = [];
  const bad = (field: string, message: string): void => void errors.push({ field, message });

  if (!JOB_NAME_RE.test(input.name)) bad('name', `name must match ${JOB_NAME_PATTERN}`);
  if ((RESERVED_JOB_NAMES as readonly string[]).includes(input.name)) bad('name', `"${input.name}" is reserved`);

  const timeZone = input.timeZone ?? 'UTC';
  let schedule = input.schedule?.trim().split(/\s+/).join(' ');
  if (schedule !== undefined) {
    const parsed = parseSchedule(schedule, timeZone, now);
    if (!parsed.ok) bad(parsed.error.field, parsed.error.message);
    // Chronos' shorthands (empty start = now, a time without a date = today) are resolved once, here:
    // stored as written they would mean another instant each time they are read.
    else if (parsed.value.kind === 'iso8601' && /^R\d*\/(T[^/]*)?\//.test(schedule)) schedule = formatSchedule(parsed.value);
  } else if (input.timeZone !== undefined) {
    const parsed = parseSchedule('* * * * *', timeZone);
    if (!parsed.ok) bad(parsed.error.field, parsed.error.message);
  }
  const parents = input.parents ?? [];
  if (schedule !== undefined && parents.length > 0) {
    bad('parents', 'a job has a schedule or parents, not both');
  }
  const seen = new Set<string>();
  parents.forEach((p, i) => {
    if (seen.has(p)) bad(`parents[${i}]`, `parent "${p}" is listed twice`);
    seen.add(p);
    if (p === input.name) bad(`parents[${i}]`, `job "${p}" cannot depend on itself`);
  });

  const command: CommandSpec = typeof input.command === 'string' ? { shell: true, value: input.command } : { shell: false, arguments: [...input.command] };
  if (command.shell ? command.value.trim() === '' : command.arguments.length === 0 || command.arguments[0] === '') {
    bad('command', 'command must not be empty');
  }

  let resources = resourcesFromRequest({ cpus: input.cpus ?? DEFAULT_CPUS, mem: input.mem ?? DEFAULT_MEM, disk: input.disk, gpus: input.gpus });
  if (input.resources !== undefined && input.resources.trim() !== '') {
    const extra = parseResources(input.resources);
    if (!extra.ok) bad('resources', extra.error.message);
    else {
      const clash = Object.keys(extra.value.scalars).find((n) => ['cpus', 'mem', 'disk', 'gpus'].includes(n));
      if (clash) bad('resources', `give ${clash} as its own field, not in resources`);
      else resources = addResources(resources, extra.value);
    }
  }
  if (!resources.scalars.cpus && !resources.scalars.mem) bad('cpus', 'a job must use some cpus or mem');

  const constraints = parseConstraints(input.constraints, 'constraints');
  if (!constraints.ok) bad(constraints.error.field, constraints.error.message);

  const backoff: Backoff = { ...DEFAULT_BACKOFF, ...input.backoff };
  if (backoff.maxMs < backoff.initialMs) bad('backoff.maxMs', `backoff.maxMs (${backoff.maxMs}) is below backoff.initialMs (${backoff.initialMs})`);

  const uris: UriSpec[] = (input.uris ?? []).map((u) => {
    if (typeof u === 'string') return { value: u };
    const spec: UriSpec = { value: u.uri };
    if (u.extract !== undefined) spec.extract = u.extract;
    if (u.executable !== undefined) spec.executable = u.executable;
    if (u.cache !== undefined) spec.cache = u.cache;
    return spec;
  });
  uris.forEach((u, i) => {
    if (!/^(https?|file):\/\/\S+$|^\/\S+$/.test(u.value)) bad(`uris[${i}]`, `"${u.value.slice(0, 100)}" is not an http(s):// or file:// URI or an absolute path`);
  });

  if (errors.length > 0) return err(errors);
  const spec: JobSpec = {
    name: input.name,
    description: input.description ?? '',
    owner: input.owner ?? '',
    labels: { ...input.labels },
    command,
    timeZone,
    parents: [...parents],
    resources,
    env: { ...input.env },
    uris,
    constraints: constraints.ok ? constraints.value : [],
    retries: input.retries ?? 0,
    backoff,
    timeoutMs: input.timeoutMs ?? null,
    concurrencyPolicy: input.concurrencyPolicy ?? ConcurrencyPolicy.ALLOW,
    latenessLimitMs: input.latenessLimitMs ?? null,
    missedRunPolicy: input.missedRunPolicy ?? MissedRunPolicy.ONCE,
    missedRunLimit: input.missedRunLimit ?? DEFAULT_MISSED_RUN_LIMIT,
    disabled: input.disabled ?? false,
    historyLimit: input.historyLimit ?? DEFAULT_HISTORY_LIMIT,
  };
  if (schedule !== undefined) spec.schedule = schedule;
  if (input.killGracePeriodMs !== undefined) spec.killGracePeriodMs = input.killGracePeriodMs;
  return ok(spec);
}

const parsedSchedules = new WeakMap<object, Schedule>();

/**
 * The parsed schedule of a job; undefined for dependent and manual-only jobs. Memoised per job object
 * (stored schedules have no `now`-relative shorthand left, see parseJobInput). Throws if a stored
 * schedule no longer parses (a broken invariant).
 */
export function scheduleOf(job: Pick<JobSpec, 'schedule' | 'timeZone' | 'name'>, now: number): Schedule | undefined {
  if (job.schedule === undefined) return undefined;
  const cached = parsedSchedules.get(job);
  if (cached) return cached;
  const s = parseSchedule(job.schedule, job.timeZone, now);
  if (!s.ok) throw new Error(`stored schedule of job ${job.name} does not parse: ${s.error.message}`);
  parsedSchedules.set(job, s.value);
  return s.value;
}

/** The definition fields of a job as the API shows them; `parseJobInput(jobInputOf(j))` gives `j` back. */
export function jobInputOf(job: JobSpec): JobInput & { command: string | string[] } {
  const { cpus, mem, disk, gpus, ...custom } = job.resources.scalars;
  const rest: Resources = { scalars: custom, ranges: job.resources.ranges, sets: job.resources.sets };
  const restText = formatResources(rest);
  const out: JobInput = {
    name: job.name,
    description: job.description,
    owner: job.owner,
    labels: job.labels,
    command: job.command.shell ? job.command.value : job.command.arguments,
    timeZone: job.timeZone,
    cpus: cpus ?? 0,
    mem: mem ?? 0,
    disk: disk ?? 0,
    env: job.env,
    uris: job.uris.map((u) => ({ uri: u.value, ...(u.extract !== undefined && { extract: u.extract }), ...(u.executable !== undefined && { executable: u.executable }), ...(u.cache !== undefined && { cache: u.cache }) })),
    constraints: job.constraints,
    retries: job.retries,
    backoff: job.backoff,
    timeoutMs: job.timeoutMs,
    concurrencyPolicy: job.concurrencyPolicy,
    latenessLimitMs: job.latenessLimitMs,
    missedRunPolicy: job.missedRunPolicy,
    missedRunLimit: job.missedRunLimit,
    disabled: job.disabled,
    historyLimit: job.historyLimit,
  };
  if (gpus !== undefined) out.gpus = gpus;
  if (restText !== '') out.resources = restText;
  if (job.schedule !== undefined) out.schedule = job.schedule;
  if (job.parents.length > 0) out.parents = job.parents;
  if (job.killGracePeriodMs !== undefined) out.killGracePeriodMs = job.killGracePeriodMs;
  return out as JobInput & { command: string | string[] };
}

/** True when a change of `before` into `after` moves when the job fires (schedule, zone, enablement). */
export function scheduleChanged(before: JobSpec | undefined, after: JobSpec): boolean {
  return before === undefined || before.schedule !== after.schedule || before.timeZone !== after.timeZone || before.disabled !== after.disabled;
}

/**
 * A definition read back from the store, or undefined when it is not one. Definitions written before jobs had
 * their own revision take their generation as it: the version they showed until then, so a client holding it
 * can still write with it, and the job's next write continues from there.
 */
export function storedJobFrom(v: unknown): StoredJob | undefined {
  if (!isRecord(v) || typeof v.name !== 'string' || typeof v.generation !== 'number' || !isRecord(v.command)) return undefined;
  const job = v as unknown as StoredJob;
  return typeof v.revision === 'number' ? job : { ...job, revision: job.generation };
}

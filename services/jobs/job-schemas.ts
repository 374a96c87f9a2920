/**
 * JSON schemas of the native jobs API (`/v1/jobs…`): request bodies, parameters and the shared response
 * schemas `Job`, `JobRun`, `JobSchedule`, `JobGraph` (listed under components.schemas).
 */
import { CONCURRENCY_POLICIES, JOB_NAME_PATTERN, MAX_HISTORY_LIMIT, MAX_MISSED_RUN_LIMIT, MAX_RETRIES, MISSED_RUN_POLICIES, RUN_CAUSES } from './job-model.ts';
import { DURATION_WINDOW, RUN_STATES } from './run-stats.ts';

const DAY_MS = 86_400_000;
const jobName = { type: 'string', minLength: 1, maxLength: 128, pattern: JOB_NAME_PATTERN } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
export const JOB_STATUS_ENUM = ['fresh', 'running', 'success', 'failure', 'disabled'] as const;

const labels = {
  type: 'object',
  maxProperties: 100,
  propertyNames: { pattern: '^[A-Za-z0-9_./-]{1,128}$' },
  additionalProperties: { type: 'string', maxLength: 1024 },
} as const;
const env = {
  type: 'object',
  maxProperties: 1000,
  propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,255}$' },
  additionalProperties: { type: 'string', maxLength: 32768 },
} as const;
const command = {
  description: 'A shell command (run with /bin/sh -c), or argv as a list',
  oneOf: [
    { type: 'string', minLength: 1, maxLength: 65536 },
    { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', maxLength: 16384 } },
  ],
} as const;
const uriObject = {
  type: 'object',
  required: ['uri'],
  additionalProperties: false,
  properties: { uri: { type: 'string', minLength: 1, maxLength: 4096 }, extract: { type: 'boolean' }, executable: { type: 'boolean' }, cache: { type: 'boolean' } },
} as const;
const backoff = {
  type: 'object',
  additionalProperties: false,
  description: 'Delay before retry n: initialMs × factor^(n-1), at most maxMs',
  properties: {
    initialMs: { type: 'integer', minimum: 0, maximum: DAY_MS },
    factor: { type: 'number', minimum: 1, maximum: 10 },
    maxMs: { type: 'integer', minimum: 0, maximum: DAY_MS },
  },
} as const;

/** The definition fields: what a client writes, and what a GET shows back. */
const definitionProperties = {
  name: jobName,
  description: { type: 'string', maxLength: 4096 },
  owner: { type: 'string', maxLength: 512, description: 'Who to tell when it fails (e.g. e-mail addresses)' },
  labels,
  command,
  schedule: {
    type: 'string',
    minLength: 1,
    maxLength: 256,
    description: 'Cron (5 fields, or 6 with leading seconds) or ISO 8601 `R[n]/<start>/<period>`. Absent for dependent jobs (parents) and manual-only jobs.',
  },
  timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone of the schedule (default UTC)' },
  parents: { type: 'array', maxItems: 100, items: jobName, description: 'Jobs this one depends on: it runs once every parent succeeded since it last started' },
  cpus: { type: 'number', minimum: 0, maximum: 100000 },
  mem: { type: 'number', minimum: 0, maximum: 1e9, description: 'MB' },
  disk: { type: 'number', minimum: 0, maximum: 1e12, description: 'MB' },
  gpus: { type: 'number', minimum: 0, maximum: 1024 },
  resources: { type: 'string', maxLength: 4096, description: 'More resources in Mesos syntax, e.g. `cassandra-slot:1`' },
  env,
  uris: { type: 'array', maxItems: 100, items: { oneOf: [{ type: 'string', minLength: 1, maxLength: 4096 }, uriObject] }, description: 'Fetched into the sandbox before the command runs' },
  constraints: {
    type: 'array',
    maxItems: 50,
    description: '[field, operator, value] with operator EQUALS, LIKE or UNLIKE (CLUSTER = EQUALS); field is hostname or an agent attribute',
    items: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', maxLength: 256 } },
  },
  retries: { type: 'integer', minimum: 0, maximum: MAX_RETRIES, description: 'Further attempts after a failed one (timeouts included; kills never retry)' },
  backoff,
  timeoutMs: { type: ['integer', 'null'], minimum: 1, maximum: 30 * DAY_MS, description: 'Kill a run still running after this long; the run is FAILED with a timeout reason' },
  killGracePeriodMs: { type: 'integer', minimum: 0, maximum: 3600000 },
  concurrencyPolicy: { type: 'string', enum: CONCURRENCY_POLICIES, description: 'When a run is due while another is active: allow both, forbid (record SKIPPED), or replace (kill the old)' },
  latenessLimitMs: { type: ['integer', 'null'], minimum: 0, maximum: 30 * DAY_MS, description: "Chronos' epsilon: a trigger that cannot start within this is recorded MISSED, not run late" },
  missedRunPolicy: { type: 'string', enum: MISSED_RUN_POLICIES, description: 'Occurrences missed while no replica ran: skip all, run the newest once, or run all (up to missedRunLimit)' },
  missedRunLimit: { type: 'integer', minimum: 0, maximum: MAX_MISSED_RUN_LIMIT },
  disabled: { type: 'boolean' },
  historyLimit: { type: 'integer', minimum: 1, maximum: MAX_HISTORY_LIMIT, description: 'Runs kept in the history' },
} as const;

const percentiles = {
  type: 'object',
  required: ['count', 'p50', 'p90', 'p99', 'max'],
  properties: { count: { type: 'integer' }, p50: { type: 'number' }, p90: { type: 'number' }, p99: { type: 'number' }, max: { type: 'number' } },
} as const;

const statsSchema = {
  type: 'object',
  required: ['successCount', 'errorCount', 'errorsSinceLastSuccess', 'queued', 'running'],
  properties: {
    successCount: { type: 'integer' },
    errorCount: { type: 'integer' },
    errorsSinceLastSuccess: { type: 'integer' },
    lastSuccess: isoTime,
    lastError: isoTime,
    queued: { type: 'integer', description: 'Runs waiting for resources' },
    running: { type: 'integer', description: 'Runs starting or running' },
    missedCount: { type: 'integer' },
    skippedCount: { type: 'integer' },
    duration: { ...percentiles, description: `Run time (start to end) of the job's last ${DURATION_WINDOW} succeeded runs, ms; in lists too; absent before the first success` },
    startDelay: { ...percentiles, description: 'Due time to start of the runs in the history, ms (lateness plus waiting for resources); only on GET /v1/jobs/{name}' },
  },
} as const;

const readOnlyProperties = {
  version: {
    type: 'integer',
    minimum: 0,
    description:
      "The job's own revision: 1 when it is created, +1 on every write of this job (an edit, enable/disable, detaching a deleted parent); writes of other jobs do not change it, and a job created again under a deleted job's name starts at 1 again. Send it back to write only if nobody changed the job meanwhile (409 otherwise); 0 = create only.",
  },
  createdAt: { ...isoTime, readOnly: true },
  updatedAt: { ...isoTime, readOnly: true },
  status: { type: 'string', enum: JOB_STATUS_ENUM, readOnly: true },
  nextRunAt: { ...isoTime, readOnly: true },
  children: { type: 'array', items: { type: 'string' }, readOnly: true },
  stats: { ...statsSchema, readOnly: true },
} as const;

/**
 * Body of `POST /v1/jobs`. Unknown fields are refused; the read-only fields of a GET are accepted and
 * ignored, so a job can be read, edited and written back (with `version` guarding the round trip).
 */
export const jobBody = {
  type: 'object',
  required: ['name', 'command'],
  additionalProperties: false,
  properties: { ...definitionProperties, ...readOnlyProperties },
} as const;

export const jobSchema = {
  $id: 'Job',
  type: 'object',
  description: 'A job definition with its state',
  required: ['name', 'command', 'timeZone', 'cpus', 'mem', 'disk', 'retries', 'backoff', 'concurrencyPolicy', 'missedRunPolicy', 'disabled', 'historyLimit', 'version', 'createdAt', 'updatedAt', 'status', 'children', 'stats'],
  properties: { ...definitionProperties, ...readOnlyProperties },
} as const;

export const runSchema = {
  $id: 'JobRun',
  type: 'object',
  description: 'One firing of a job',
  required: ['id', 'job', 'cause', 'attempt', 'state', 'scheduledAt', 'queuedAt'],
  properties: {
    id: { type: 'string' },
    job: { type: 'string' },
    cause: { type: 'string', enum: RUN_CAUSES },
    attempt: { type: 'integer', minimum: 1 },
    state: { type: 'string', enum: RUN_STATES },
    reason: { type: 'string' },
    scheduledAt: isoTime,
    queuedAt: isoTime,
    launchedAt: isoTime,
    startedAt: isoTime,
    finishedAt: isoTime,
    durationMs: { type: 'number' },
    exitCode: { type: 'integer' },
    agentId: { type: 'string' },
    hostname: { type: 'string' },
    taskId: { type: 'string' },
    retryOf: { type: 'string' },
    triggeredBy: { type: 'object', required: ['job', 'runId'], properties: { job: { type: 'string' }, runId: { type: 'string' } } },
    arguments: { type: 'array', items: { type: 'string' } },
    catchUp: { type: 'boolean', description: 'Started by the missed-run policy after downtime' },
    nextRetryAt: isoTime,
    pendingReason: { type: 'string', description: 'Why a QUEUED run has not launched yet' },
    links: {
      type: 'object',
      required: ['task', 'stdout', 'stderr'],
      properties: { task: { type: 'string' }, stdout: { type: 'string' }, stderr: { type: 'string' } },
    },
  },
} as const;

export const scheduleSchema = {
  $id: 'JobSchedule',
  type: 'object',
  required: ['job', 'timeZone', 'disabled', 'parents', 'times'],
  properties: {
    job: { type: 'string' },
    schedule: { type: 'string' },
    timeZone: { type: 'string' },
    disabled: { type: 'boolean' },
    parents: { type: 'array', items: { type: 'string' } },
    times: {
      type: 'array',
      items: { type: 'object', required: ['at', 'local'], properties: { at: isoTime, local: { type: 'string', description: 'The same instant on the job’s wall clock, with its offset' } } },
    },
  },
} as const;

export const graphSchema = {
  $id: 'JobGraph',
  type: 'object',
  required: ['nodes', 'edges'],
  properties: {
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'status', 'parents', 'disabled'],
        properties: { name: { type: 'string' }, status: { type: 'string', enum: JOB_STATUS_ENUM }, schedule: { type: 'string' }, parents: { type: 'array', items: { type: 'string' } }, disabled: { type: 'boolean' } },
      },
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'to', 'satisfied'],
        properties: { from: { type: 'string' }, to: { type: 'string' }, satisfied: { type: 'boolean', description: 'The parent succeeded since the child last started' } },
      },
    },
  },
} as const;

export const nameParams = { type: 'object', required: ['name'], additionalProperties: false, properties: { name: jobName } } as const;
export const runParams = {
  type: 'object',
  required: ['name', 'id'],
  additionalProperties: false,
  properties: { name: jobName, id: { type: 'string', minLength: 1, maxLength: 20, pattern: '^[0-9]+$' } },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 128, description: 'Case-insensitive substring of the name' },
    owner: { type: 'string', maxLength: 512, description: 'Case-insensitive substring of the owner' },
    status: { type: 'string', enum: JOB_STATUS_ENUM },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const runsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: RUN_STATES },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
    offset: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

export const startRunBody = {
  type: 'object',
  additionalProperties: false,
  properties: { arguments: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 4096 }, description: 'Appended to the command of this run' } },
} as const;

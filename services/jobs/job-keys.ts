/**
 * Every Redis key and channel of the jobs service, in one place. All of them share the cluster's hash tag
 * `{<prefix>}` (the same tag as the core registry, so a fencing check on `{<prefix>}:epoch` can join any
 * jobs write in one script or transaction on Redis Cluster), under `{<prefix>}:jobs:`.
 */
const PREFIX_RE = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface JobKeys {
  /** `{prefix}` */
  readonly tag: string;
  /** Hash name → StoredJob JSON. */
  readonly defs: string;
  /** String counter, INCR'd by every definition write: the version a cached job set was read at. */
  readonly defsVersion: string;
  /** Prefix for BullMQ's keys (`{prefix}:jobs:bull:<queue>:…`). */
  readonly bullPrefix: string;
  /** Pub/sub: `{ job, what }` whenever a definition or a run of `job` changed (cache invalidation between replicas). */
  readonly changes: string;
  /** String: the newest occurrence (ms) of the job already handled. */
  cursor(job: string): string;
  /**
   * String counter: the last run id of any job of this name. Kept when the job is deleted, so a job created
   * again under the name continues the ids and no id ever means two runs (see JobStore.writeJobs).
   */
  seq(job: string): string;
  /** Hash runId → RunRecord JSON. */
  runs(job: string): string;
  /** Sorted set of run ids scored by id (history order, trimmed to the job's historyLimit). */
  runIndex(job: string): string;
  /** Hash runId → state, for the job's runs that are not terminal. */
  active(job: string): string;
  /** Hash of outcome counters (successCount, errorCount, errorsSinceLastSuccess, lastSuccess, lastError). */
  counters(job: string): string;
  /** List of the run times (ms) of the job's last succeeded runs, newest first, capped (run-stats.ts DURATION_WINDOW). */
  durations(job: string): string;
  /** String: the child's dependency trigger state JSON (absent = nothing satisfied). */
  trigger(child: string): string;
  /** Set of `<job>/<runId>` of active runs a replica owns (launches and watches). */
  owned(replica: string): string;
  /** String: the framework id of a replica's jobs framework. */
  frameworkId(replica: string): string;
  /** Set of kill requests (JSON) for runs a replica owns, sent by other replicas. */
  killRequests(replica: string): string;
  /** Pub/sub: wakes a replica to read its kill requests. */
  control(replica: string): string;
  /** String with a TTL: marks a one-shot trigger (a retry) as handled, so a redelivery creates nothing. */
  once(job: string, token: string): string;
}

/** The hash tag of a prefix: `orrery` → `{orrery}`; a prefix that already is a tag is kept. */
export function jobsTag(prefix: string): string {
  if (/^\{[^{}]+\}$/.test(prefix)) return prefix;
  if (!PREFIX_RE.test(prefix)) throw new Error(`invalid redis key prefix ${JSON.stringify(prefix)}: expected 1-64 chars of [A-Za-z0-9_.:-]`);
  return `{${prefix}}`;
}

export function jobKeys(prefix: string): JobKeys {
  const tag = jobsTag(prefix);
  const base = `${tag}:jobs`;
  return {
    tag,
    defs: `${base}:defs`,
    defsVersion: `${base}:defs-version`,
    bullPrefix: `${base}:bull`,
    changes: `${base}:changes`,
    cursor: (job) => `${base}:cursor:${job}`,
    seq: (job) => `${base}:seq:${job}`,
    runs: (job) => `${base}:runs:${job}`,
    runIndex: (job) => `${base}:run-index:${job}`,
    active: (job) => `${base}:active:${job}`,
    counters: (job) => `${base}:counters:${job}`,
    durations: (job) => `${base}:durations:${job}`,
    trigger: (child) => `${base}:trigger:${child}`,
    owned: (replica) => `${base}:owned:${replica}`,
    frameworkId: (replica) => `${base}:framework-id:${replica}`,
    killRequests: (replica) => `${base}:kill-requests:${replica}`,
    control: (replica) => `${base}:control:${replica}`,
    once: (job, token) => `${base}:once:${job}:${token}`,
  };
}

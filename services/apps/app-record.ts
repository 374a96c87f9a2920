/**
 * Versions of an app: the stored record (definition + version + task config hash) and how the next one is
 * made from the previous. Pure. The task config hash decides which instances a deployment replaces.
 */
import { createHash } from 'node:crypto';
import type { AppSpec } from './app-spec.ts';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored app: the definition plus its version. `config` changes only when tasks must be replaced. */
export interface AppRecord {
  spec: AppSpec;
  /** ISO time of the last change of any kind; strictly increasing per app. */
  version: string;
  versionInfo: { lastConfigChangeAt: string; lastScalingAt: string };
  /** Hash of what the tasks run (see `taskConfigHash`); instances with another hash are replaced. */
  config: string;
  /** Bumped by a restart so the hash changes although the definition does not. */
  restarts: number;
}

/**
 * The hash of what an instance runs. Supervision settings (instances, upgrade strategy, backoff, kill
 * selection, deadline, health checks — those run from the service) are left out: changing them replaces no task.
 */
export function taskConfigHash(spec: AppSpec, restarts: number): string {
  const taskConfig = {
    cmd: spec.cmd,
    args: spec.args,
    env: spec.env,
    cpus: spec.cpus,
    mem: spec.mem,
    disk: spec.disk,
    gpus: spec.gpus,
    resources: spec.resources,
    ports: spec.ports,
    constraints: spec.constraints,
    labels: spec.labels,
    uris: spec.uris,
    fetch: spec.fetch,
    taskKillGracePeriodSeconds: spec.taskKillGracePeriodSeconds,
    restarts,
  };
  return createHash('sha256').update(stableJson(taskConfig)).digest('hex').slice(0, 16);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (isObj(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The next version string: `now` as ISO, but always after `previous` (two changes in one millisecond). */
export function nextVersion(now: number, previous?: string): string {
  const prev = previous === undefined ? -Infinity : Date.parse(previous);
  return new Date(Math.max(now, prev + 1)).toISOString();
}

/**
 * The record for `spec` replacing `previous` (undefined for a new app) at `now`. A restart (`restart: true`)
 * forces a new task config even though the definition is unchanged.
 */
export function nextRecord(spec: AppSpec, previous: AppRecord | undefined, now: number, opts: { restart?: boolean; restarts?: number } = {}): AppRecord {
  const version = nextVersion(now, previous?.version);
  const restarts = opts.restarts ?? (previous?.restarts ?? 0) + (opts.restart ? 1 : 0);
  const config = taskConfigHash(spec, restarts);
  const configChanged = !previous || previous.config !== config;
  const scaled = !previous || previous.spec.instances !== spec.instances;
  return {
    spec,
    version,
    versionInfo: {
      lastConfigChangeAt: configChanged ? version : previous.versionInfo.lastConfigChangeAt,
      lastScalingAt: scaled ? version : previous.versionInfo.lastScalingAt,
    },
    config,
    restarts,
  };
}

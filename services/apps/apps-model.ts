/**
 * What the apps service keeps per app in memory, and the parts of it that are persisted (instances and
 * deployments). Types and small helpers only.
 */
import type { Attributes, TaskState } from '../../core/sdk/index.ts';
import type { AppRecord } from './app-record.ts';
import type { DeploymentProgress } from './deployment-planner.ts';
import type { BackoffState } from './launch-backoff.ts';

/** The part of an instance that survives a restart of the service (the rest comes back by reconciliation). */
export interface StoredInstance {
  taskId: string;
  appId: string;
  /** Task config hash (AppRecord.config) it was launched with. */
  config: string;
  /** App version it was launched with. */
  version: string;
  agentId: string;
  hostname: string;
  attributes: Attributes;
  ports: number[];
  stagedAt: number;
  /** The health check the agent runs for it (`agentCheckKey`), when the app had one at launch. */
  agentCheck?: string;
}

export interface HealthCheckResult {
  /** Undefined until the first result that counts (failures in the grace period do not). */
  alive?: boolean;
  consecutiveFailures: number;
  firstSuccess?: number;
  lastSuccess?: number;
  lastFailure?: number;
  lastFailureCause?: string;
  /**
   * Set on results of the check the agent runs: the agent reports changes only (and reminders of a reached
   * threshold), so between reports the view extrapolates from the last one (`currentAgentResult`).
   */
  agentReport?: { at: number; intervalMs: number; timeoutMs: number };
}

export interface Instance extends StoredInstance {
  state: TaskState;
  startedAt?: number;
  /** When this service saw the task become RUNNING (its own clock; `startedAt` is the agent's). */
  runningSince?: number;
  /**
   * Passed all its checks at least once — or its past is unknown (loaded after a restart of the service). An
   * instance doomed without it is a failed launch, not a flap: killed at once, outside the health-kill limits.
   */
  healthyOnce?: boolean;
  updatedAt: number;
  message?: string;
  /** One per health check of the app, in order. */
  health: HealthCheckResult[];
  /** Failed its health checks `maxConsecutiveFailures` times: replaced, then killed. */
  doomed?: string;
  killRequestedAt?: number;
  killReason?: string;
}

export interface Deployment extends DeploymentProgress {
  id: string;
  appId: string;
  /** Version the deployment moves the app to; for a delete, the version deleted. */
  version: string;
  kind: 'create' | 'update' | 'scale' | 'restart' | 'delete' | 'rollback' | 'revert';
  /** The definition before (undefined: the app was new) and after (undefined: it is being deleted). */
  from?: AppRecord;
  target?: AppRecord;
  createdAt: number;
  updatedAt: number;
  /** Live instances of the target config that are healthy, for progress display. */
  tasksHealthy: number;
  /** Live instances of another config still to replace. */
  tasksOld: number;
  /** Live instances of any config (staging, running or being killed): what a scale-down brings to the target. */
  tasksLive?: number;
  /** The best figures reached so far (most new healthy, fewest old, fewest live): progress is beating them. */
  best?: { healthy: number; old: number; live: number };
  /** Set on the deployment that rolls back a failed one. */
  rollbackOf?: string;
  /** Set on a failed deployment that was rolled back automatically. */
  rolledBackBy?: string;
}

export interface LastFailure {
  taskId: string;
  state: string;
  message: string;
  at: number;
  hostname: string;
  version: string;
}

export interface PendingReason {
  agentId: string;
  hostname: string;
  reason: string;
  at: number;
}

export interface AppRuntime {
  record: AppRecord;
  /** Being deleted: the STOP step runs; the app disappears when its instances are gone. */
  deleting: boolean;
  instances: Map<string, Instance>;
  deployment?: Deployment;
  backoff: BackoffState;
  lastFailure?: LastFailure;
  /** Instances the supervisor wants launched now (0 while in backoff). */
  launchWanted: number;
  /**
   * Instances of the current config that were up on the last supervision pass: healthy, or without health checks
   * RUNNING for `minReadyMs`. Undefined before the first pass.
   */
  ready?: number;
  /** Why instances are not launched or replaced, beyond offers: backoff, capacity, deployment step. */
  waitingBecause?: string;
  /** Why the last offer of each agent could not take an instance. */
  offerReasons: Map<string, PendingReason>;
  lastOfferAt?: number;
  /** Times of recent health kills, for the rate limit. */
  healthKills: number[];
  healthKillsPaused?: string;
  healthKillsPausedUntil?: number;
}

/** Non-terminal states that still hold resources and count as live. */
export function isLive(state: TaskState): boolean {
  return state === 'STAGING' || state === 'STARTING' || state === 'RUNNING' || state === 'KILLING';
}

export function storedInstance(i: Instance): StoredInstance {
  const { taskId, appId, config, version, agentId, hostname, attributes, ports, stagedAt, agentCheck } = i;
  const s: StoredInstance = { taskId, appId, config, version, agentId, hostname, attributes, ports, stagedAt };
  if (agentCheck !== undefined) s.agentCheck = agentCheck;
  return s;
}

/** What the parts of the apps service share: clock, log, store, memory, the driver, events, options. */
import type { Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import type { SchedulerDriver } from '../../core/sdk/index.ts';
import type { AppStore } from './app-store.ts';
import type { AppsRegistry } from './apps-registry.ts';
import type { HealthMonitor } from './health-monitor.ts';

export interface EventSink {
  publish(type: string, data: Record<string, unknown>): void;
}

export interface AppsOptions {
  /** Periodic supervision pass, in addition to the passes every status update and change trigger. Default 1000. */
  reconcileIntervalMs: number;
  /** A task not RUNNING this long after its launch is killed (Marathon's task_launch_timeout). Default 300000. */
  launchTimeoutMs: number;
  /** Offers that fit nothing are declined for this long while instances wait. Default 2. */
  declineSeconds: number;
  /** An unhealthy app may lose at most this share of its instances to health kills per detection window. Default 0.1. */
  healthKillShare: number;
  /** Health kills pause while at least this share (and 2) of an app's instances are unhealthy at once. Default 0.5. */
  healthKillPauseShare: number;
  /**
   * An instance of an app without health checks counts as healthy (for deployments and the upgrade bounds) once
   * it has been RUNNING this long (Kubernetes' minReadySeconds): a task that dies at once never makes a
   * deployment succeed, nor lets a rolling upgrade kill an old instance. Default 1000.
   */
  minReadyMs: number;
}

export const DEFAULT_APPS_OPTIONS: AppsOptions = {
  reconcileIntervalMs: 1000,
  launchTimeoutMs: 300_000,
  declineSeconds: 2,
  healthKillShare: 0.1,
  healthKillPauseShare: 0.5,
  minReadyMs: 1000,
};

/** What the service did since it started, for metrics read at scrape time. */
export interface AppsCounters {
  /** Deployments that ended, by status (`SUCCEEDED`, `FAILED`, `CANCELLED`). */
  deploymentsEnded: Map<string, number>;
  deploymentsStarted: number;
  /** Task failures that started or lengthened an app's launch backoff. */
  backoffs: number;
  /** Instances killed because their health checks failed. */
  healthKills: number;
}

export function emptyAppsCounters(): AppsCounters {
  return { deploymentsEnded: new Map(), deploymentsStarted: 0, backoffs: 0, healthKills: 0 };
}

/** What `serial` rejects with once the service is stopping: nothing is queued any more. */
export class ServiceStoppingError extends Error {
  constructor() {
    super('the apps service is stopping; retry on the leader once it is up');
    this.name = 'ServiceStoppingError';
  }
}

export interface AppsContext {
  clock: Clock;
  log: Logger;
  store: AppStore;
  registry: AppsRegistry;
  health: HealthMonitor;
  events: EventSink;
  options: AppsOptions;
  counters: AppsCounters;
  /** The subscribed driver, or undefined while (re)subscribing. */
  driver(): SchedulerDriver | undefined;
  /** Asks for a supervision pass soon (coalesced). */
  kick(): void;
  /**
   * Runs `fn` after every change already queued: app changes and deployment transitions never interleave.
   * Rejects with ServiceStoppingError once the service is stopping.
   */
  serial<T>(fn: () => Promise<T>): Promise<T>;
}

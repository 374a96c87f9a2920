/**
 * The apps service (Marathon's model on the SDK): the facade the routes use and the composition of its parts.
 *
 *   routes ──▶ AppsService ──▶ AppChanges ──▶ DeploymentManager ──▶ AppStore (Redis) ──▶ AppsRegistry (memory)
 *                  │                                                                        ▲
 *                  └── SchedulerDriver ◀──▶ AppsFramework (offers, updates) ────────────────┤
 *                                          Supervisor (converge, kills, deployments) ───────┤
 *                                          HealthMonitor (HTTP / TCP / COMMAND checks) ─────┘
 *
 * Lifecycle: `start` loads apps, deployments and instances from Redis, subscribes (re-subscribing as its stored
 * framework id, so its tasks are its own again), reconciles every known instance and starts supervising; `stop`
 * stops launching and supervising, leaves without tearing down (tasks keep running for the next start), waits
 * for what is in flight and closes the store.
 */
import type { Clock } from '../../core/clock/clock.ts';
import { err, ok, type Result } from '../../core/errors/result.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { SchedulerDriver, type Transport } from '../../core/sdk/index.ts';
import { AppChanges, parseAppId, type AppsError, type ChangeOptions, type ChangeResult } from './app-changes.ts';
import { appSpecToJson } from './app-spec.ts';
import { AppStore, type AppsRedisConnect } from './app-store.ts';
import { appCounts, appView, deploymentView, labelSelector, pendingView, taskView, type AppCounts } from './app-views.ts';
import { DEFAULT_APPS_OPTIONS, emptyAppsCounters, ServiceStoppingError, type AppsContext, type AppsCounters, type AppsOptions, type EventSink } from './apps-context.ts';
import { AppsFramework } from './apps-framework.ts';
import { isLive, type AppRuntime, type Deployment, type Instance } from './apps-model.ts';
import { AppsRegistry } from './apps-registry.ts';
import { DeploymentManager } from './deployment-manager.ts';
import { DeploymentStatus } from './deployment-planner.ts';
import { HealthMonitor, instanceHealthy } from './health-monitor.ts';
import { agentCheckKey } from './agent-health.ts';
import { defaultHealthProbe, type HealthProbe } from './health-probes.ts';
import { remainingMs } from './launch-backoff.ts';
import { instanceEnv } from './placement.ts';
import { Supervisor } from './supervisor.ts';
import type { LeaderFence } from '../../core/coordination/fenced-transactions.ts';

export type { AppsError, ChangeResult };

export interface AppsServiceDeps {
  transport: Transport;
  redisUrl: string;
  /** Opens Redis connections (any URL form); without it `redisUrl` must be a plain redis:// URL. */
  redis?: AppsRedisConnect;
  /** The cluster's key prefix; the service's keys are `{prefix}:apps:…`. */
  prefix: string;
  /** The leadership term the service runs in: its Redis writes apply only while the term's epoch is current. */
  fence?: LeaderFence;
  clock: Clock;
  logger: Logger;
  events: EventSink;
  options?: Partial<AppsOptions>;
  /** Where health checks reach an agent, by hostname (default: the hostname itself). */
  agentAddress?: (hostname: string) => string;
  healthProbe?: HealthProbe;
  /** Framework name; default `orrery-apps`. */
  frameworkName?: string;
}

export type Json = Record<string, unknown>;

/** What a deployable operation answers: the deployment started, the app's version and the app as it is now. */
export interface ChangeView {
  deploymentId: string;
  version: string;
  created: boolean;
  app?: Json;
  deployment: Json;
}

const FAILOVER_TIMEOUT_MS = 7 * 24 * 3600 * 1000;
const VIEW_CACHE_MS = 250;

export interface AppListQuery {
  /** Only apps whose id contains this. */
  id?: string;
  /** Label selector: `k`, `k==v`, `k!=v`, comma-separated. */
  label?: string;
  limit?: number;
  offset?: number;
}

export class AppsService {
  private readonly log: Logger;
  private readonly registry = new AppsRegistry();
  private readonly counters: AppsCounters = emptyAppsCounters();
  private readonly options: AppsOptions;
  private store?: AppStore;
  private driver?: SchedulerDriver;
  private subscribed = false;
  private ctx?: AppsContext;
  private supervisor?: Supervisor;
  private framework?: AppsFramework;
  private changes?: AppChanges;
  private health?: HealthMonitor;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private stopping?: Promise<void>;
  private resubscribeDelayMs = 500;
  /** Bumped by every change of state (each kick and each supervision pass): cached app views older are stale. */
  private revision = 0;
  private readonly viewCache = new Map<string, { revision: number; at: number; json: string }>();

  constructor(private readonly deps: AppsServiceDeps) {
    this.log = deps.logger.child({ component: 'apps' });
    this.options = { ...DEFAULT_APPS_OPTIONS, ...deps.options };
  }

  get frameworkId(): string | undefined {
    return this.driver?.frameworkId;
  }

  async start(): Promise<void> {
    const { clock } = this.deps;
    const store = await AppStore.connect(this.deps.redisUrl, this.deps.prefix, this.deps.logger, this.deps.redis, this.deps.fence);
    this.store = store;
    const health = new HealthMonitor({
      clock,
      logger: this.log,
      probe: this.deps.healthProbe ?? defaultHealthProbe,
      address: this.deps.agentAddress ?? ((h) => h),
      onChange: (i) => {
        // Passing again before the kill: the failure was the checker's or the network's (a flap), not the task's.
        if (i.doomed && instanceHealthy(i) === true && i.killRequestedAt === undefined) i.doomed = undefined;
        this.deps.events.publish('instance.health_changed', { appId: i.appId, taskId: i.taskId, healthy: instanceHealthy(i) ?? null, hostname: i.hostname, version: i.version });
        this.ctx?.kick();
      },
      onFailed: (i, cause) => {
        i.doomed = cause;
        this.ctx?.kick();
      },
    });
    this.health = health;
    const ctx: AppsContext = {
      clock,
      log: this.log,
      store,
      registry: this.registry,
      health,
      events: this.deps.events,
      options: this.options,
      counters: this.counters,
      driver: () => (this.subscribed ? this.driver : undefined),
      kick: () => {
        this.revision++;
        this.supervisor?.kick();
      },
      serial: (fn) => this.serial(fn),
    };
    this.ctx = ctx;
    const orphans = await this.load(store);
    const framework = new AppsFramework(ctx, {
      running: (rt, i) => this.watch(rt, i),
      gone: (i) => health.unwatch(i.taskId),
      health: (rt, i, status) => {
        const [first] = rt.record.spec.healthChecks;
        if (first && this.agentRunsFirst(rt, i)) health.agentResult(i, first, status);
      },
      disconnected: (reason) => this.onDisconnected(reason),
    });
    this.framework = framework;
    const deployments = new DeploymentManager(ctx);
    this.supervisor = new Supervisor(ctx, deployments, framework, () => this.revision++);
    this.changes = new AppChanges(ctx, deployments, this.supervisor, (rt) => this.rewatch(rt));
    this.driver = new SchedulerDriver(this.deps.transport, { name: this.deps.frameworkName ?? 'orrery-apps', role: '*', failoverTimeoutMs: FAILOVER_TIMEOUT_MS }, framework, {
      logger: this.log,
      idStore: store.frameworkIdStore(),
      // The framework acknowledges an update once applied, and not while stopping (AppsFramework.update).
      implicitAcknowledgements: false,
    });
    const r = await this.driver.start();
    if (!r.ok) {
      await store.close();
      throw new Error(`apps framework could not subscribe: ${r.error.message}`);
    }
    this.subscribed = true;
    for (const o of orphans) void this.driver.kill(o.taskId, { agentId: o.agentId });
    if (orphans.length) await store.deleteInstances(orphans.map((o) => o.taskId));
    this.supervisor.start();
    this.log.info({ apps: this.registry.apps.size, frameworkId: r.value.frameworkId }, 'apps service started');
  }

  /** Loads the registry; returns stored instances of apps that no longer exist (to kill). */
  private async load(store: AppStore): Promise<Array<{ taskId: string; agentId: string }>> {
    const now = this.deps.clock.now();
    const loaded = await store.load();
    for (const record of loaded.apps) this.registry.addApp(record);
    for (const d of loaded.deployments) {
      const rt = this.registry.apps.get(d.appId);
      if (!rt) continue;
      if (!d.target) rt.deleting = true;
      // The deadline restarts: the time the service was down is not the deployment's fault.
      this.registry.setDeployment(rt, { ...d, progressAt: now, progressMark: '' });
    }
    const orphans: Array<{ taskId: string; agentId: string }> = [];
    for (const s of loaded.instances) {
      const rt = this.registry.apps.get(s.appId);
      // Whether it was ever healthy is not stored: assume it was, so its health kills stay within the rate limit
      // and pause (a restarted service must not take down instances a checker fault makes look unhealthy).
      if (rt) this.registry.addInstance(rt, { ...s, state: 'STAGING', updatedAt: now, health: [], healthyOnce: true });
      else orphans.push({ taskId: s.taskId, agentId: s.agentId });
    }
    return orphans;
  }

  /**
   * Stops in this order, so nothing is written to a closed connection and no task is launched on the way out:
   * (1) at once, before the first await: no supervision pass, health check, launch or update handling starts any
   * more — tasks that end meanwhile (agents killing theirs on a clean stop) are learned by the next start's
   * reconciliation and replaced then; (2) leave the master; (3) wait for what is in flight: the running pass or
   * app change, update handlers and launches with the store writes they started; (4) close the store. Idempotent.
   * Callers stopping the whole process should call it before they stop agents or the master.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopInOrder();
    return this.stopping;
  }

  private async stopInOrder(): Promise<void> {
    this.stopped = true;
    this.supervisor?.stop();
    this.health?.stop();
    this.framework?.stop();
    this.subscribed = false;
    this.driver?.stop();
    await this.queue.catch(() => undefined);
    await this.framework?.idle();
    await this.store?.close();
    this.log.info('apps service stopped');
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // An API change arriving while the service stops is refused (UNAVAILABLE), not written to a closing store.
    if (this.stopped) return Promise.reject(new ServiceStoppingError());
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private onDisconnected(reason: string): void {
    this.subscribed = false;
    if (this.stopped) return;
    this.log.warn({ reason, retryInMs: this.resubscribeDelayMs }, 'apps framework disconnected; subscribing again');
    this.deps.clock.setTimeout(() => void this.resubscribe(), this.resubscribeDelayMs);
  }

  private async resubscribe(): Promise<void> {
    if (this.stopped || !this.driver) return;
    const r = await this.driver.start();
    if (r.ok) {
      this.subscribed = true;
      this.resubscribeDelayMs = 500;
      this.supervisor?.kick();
      return;
    }
    this.resubscribeDelayMs = Math.min(this.resubscribeDelayMs * 2, 10_000);
    this.onDisconnected(r.error.message);
  }

  private watch(rt: AppRuntime, i: Instance): void {
    const env = instanceEnv(rt.record.spec, { hostname: i.hostname, hostPorts: i.ports, taskId: i.taskId, version: i.version });
    this.health!.watch(i, rt.record.spec.healthChecks, env, this.agentRunsFirst(rt, i));
  }

  /** The agent runs the app's current first check for this instance (it was launched with that check). */
  private agentRunsFirst(rt: AppRuntime, i: Instance): boolean {
    return i.agentCheck !== undefined && i.agentCheck === agentCheckKey(rt.record.spec.healthChecks[0]);
  }

  private rewatch(rt: AppRuntime): void {
    for (const i of rt.instances.values()) if (i.state === 'RUNNING' && i.killRequestedAt === undefined) this.watch(rt, i);
  }

  private get ops(): AppChanges {
    if (!this.changes) throw new Error('apps service is not started');
    return this.changes;
  }

  private changeView(r: Result<ChangeResult, AppsError>): Result<ChangeView, AppsError> {
    if (!r.ok) return r;
    const { deployment, record, created } = r.value;
    const rt = this.registry.apps.get(deployment.appId);
    const view: ChangeView = { deploymentId: deployment.id, version: record?.version ?? deployment.version, created, deployment: deploymentView(deployment) };
    if (rt) view.app = appView(rt, this.deps.clock.now());
    return ok(view);
  }

  /** Read-only figures for metrics: per app its instance counts and whether it waits out a backoff; counters. */
  stats(): { apps: Array<{ id: string; counts: AppCounts; delayed: boolean }>; deploymentsRunning: number; counters: Readonly<AppsCounters> } {
    const now = this.deps.clock.now();
    const apps = [...this.registry.apps.values()].map((rt) => ({ id: rt.record.spec.id, counts: appCounts(rt), delayed: remainingMs(rt.backoff, now) > 0 }));
    return { apps, deploymentsRunning: this.registry.runningDeployments().length, counters: this.counters };
  }

  // ── reads ───────────────────────────────────────────────────────────────────────────────────────────────

  listApps(q: AppListQuery = {}): { total: number; apps: Json[] } {
    const now = this.deps.clock.now();
    const { total, page } = this.selectApps(q);
    return { total, apps: page.map((rt) => appView(rt, now)) };
  }

  /**
   * `listApps` as JSON text, from per-app cached views: a view is rebuilt when state changed since (any kick or
   * supervision pass) or when it is older than VIEW_CACHE_MS (the time-dependent fields, such as the backoff's
   * remaining seconds). Keeps GET /v1/apps cheap for UIs polling 1,000s of apps.
   */
  listAppsJson(q: AppListQuery = {}): string {
    const now = this.deps.clock.now();
    const { total, page } = this.selectApps(q);
    const parts: string[] = [];
    for (const rt of page) {
      const id = rt.record.spec.id;
      const hit = this.viewCache.get(id);
      if (hit && hit.revision === this.revision && now - hit.at < VIEW_CACHE_MS) parts.push(hit.json);
      else {
        const json = JSON.stringify(appView(rt, now));
        this.viewCache.set(id, { revision: this.revision, at: now, json });
        parts.push(json);
      }
    }
    if (this.viewCache.size > 2 * this.registry.apps.size + 100) {
      for (const id of this.viewCache.keys()) if (!this.registry.apps.has(id)) this.viewCache.delete(id);
    }
    return `{"total":${total},"apps":[${parts.join(',')}]}`;
  }

  private selectApps(q: AppListQuery): { total: number; page: AppRuntime[] } {
    const matchLabel = labelSelector(q.label);
    const all = this.registry.sortedApps().filter((rt) => (!q.id || rt.record.spec.id.includes(q.id)) && matchLabel(rt.record.spec.labels));
    const offset = q.offset ?? 0;
    return { total: all.length, page: all.slice(offset, offset + (q.limit ?? all.length)) };
  }

  private runtime(rawId: string, field = 'params.id'): Result<AppRuntime, AppsError> {
    const id = parseAppId(rawId, field);
    if (!id.ok) return id;
    const rt = this.registry.apps.get(id.value);
    return rt ? ok(rt) : err({ code: 'APP_NOT_FOUND', message: `app ${id.value} does not exist`, fields: [{ field, message: 'no such app' }] });
  }

  getApp(id: string): Result<Json, AppsError> {
    const rt = this.runtime(id);
    return rt.ok ? ok(appView(rt.value, this.deps.clock.now())) : rt;
  }

  tasks(id: string): Result<Json[], AppsError> {
    const rt = this.runtime(id);
    if (!rt.ok) return rt;
    const now = this.deps.clock.now();
    return ok([...rt.value.instances.values()].sort((a, b) => a.stagedAt - b.stagedAt || (a.taskId < b.taskId ? -1 : 1)).map((i) => taskView(i, now)));
  }

  /** Every live instance of every app (Marathon's /v2/tasks). */
  allTasks(): Json[] {
    const now = this.deps.clock.now();
    return [...this.registry.allInstances()].filter((i) => isLive(i.state)).map((i) => taskView(i, now));
  }

  pending(id: string): Result<Json, AppsError> {
    const rt = this.runtime(id);
    return rt.ok ? ok(pendingView(rt.value, this.deps.clock.now())) : rt;
  }

  async versions(id: string): Promise<Result<string[], AppsError>> {
    const rt = this.runtime(id);
    if (!rt.ok) return rt;
    return ok(await this.store!.listVersions(rt.value.record.spec.id));
  }

  async version(id: string, version: string): Promise<Result<Json, AppsError>> {
    const rt = this.runtime(id);
    if (!rt.ok) return rt;
    const record = await this.store!.getVersion(rt.value.record.spec.id, version);
    if (!record) return err({ code: 'VERSION_NOT_FOUND', message: `app ${rt.value.record.spec.id} has no version ${version}`, fields: [{ field: 'params.version', message: 'no such version' }] });
    return ok({ ...appSpecToJson(record.spec), version: record.version, versionInfo: record.versionInfo });
  }

  deployments(q: { all?: boolean } = {}): Json[] {
    const running = this.registry.runningDeployments();
    const list: Deployment[] = q.all ? [...running, ...this.registry.finishedDeployments()] : running;
    return list.map(deploymentView);
  }

  deployment(id: string): Result<Json, AppsError> {
    const d = this.registry.deployment(id);
    return d ? ok(deploymentView(d)) : err({ code: 'DEPLOYMENT_NOT_FOUND', message: `no deployment ${id}`, fields: [{ field: 'params.id', message: 'no such deployment' }] });
  }

  /** The running deployment of an app, if any (Marathon's app JSON lists it). */
  runningDeploymentOf(appId: string): string | undefined {
    const d = this.registry.apps.get(appId)?.deployment;
    return d?.status === DeploymentStatus.RUNNING ? d.id : undefined;
  }

  // ── writes ──────────────────────────────────────────────────────────────────────────────────────────────

  async createApp(input: unknown): Promise<Result<ChangeView, AppsError>> {
    return this.changeView(await this.ops.create(input));
  }

  async putApp(id: string, input: unknown, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.put(appId.value, input, opts));
  }

  async patchApp(id: string, patch: unknown, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.patch(appId.value, patch, opts));
  }

  async deleteApp(id: string, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.delete(appId.value, opts));
  }

  async scaleApp(id: string, instances: number, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.scale(appId.value, instances, opts));
  }

  suspendApp(id: string, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    return this.scaleApp(id, 0, opts);
  }

  async restartApp(id: string, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.restart(appId.value, opts));
  }

  async rollbackApp(id: string, version: string | undefined, opts: ChangeOptions = {}): Promise<Result<ChangeView, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    return this.changeView(await this.ops.rollback(appId.value, version, opts));
  }

  async killTask(id: string, taskId: string, opts: ChangeOptions & { scale: boolean }): Promise<Result<{ task: Json; deployment?: Json }, AppsError>> {
    const appId = parseAppId(id, 'params.id');
    if (!appId.ok) return appId;
    const r = await this.ops.killTask(appId.value, taskId, opts);
    if (!r.ok) return r;
    const inst = this.registry.instance(taskId);
    const task = inst ? taskView(inst, this.deps.clock.now()) : { id: taskId, appId: appId.value, state: 'KILLED' };
    return ok(r.value.deployment ? { task, deployment: deploymentView(r.value.deployment) } : { task });
  }

  async cancelDeployment(id: string, opts: { force?: boolean } = {}): Promise<Result<{ cancelled: Json; revert?: Json }, AppsError>> {
    const r = await this.ops.cancel(id, opts);
    if (!r.ok) return r;
    return ok(r.value.revert ? { cancelled: deploymentView(r.value.cancelled), revert: deploymentView(r.value.revert) } : { cancelled: deploymentView(r.value.cancelled) });
  }
}

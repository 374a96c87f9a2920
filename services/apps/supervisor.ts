/**
 * Desired vs actual, continuously. One pass (`tick`) looks at every app: it asks the pure planner what to launch
 * and kill within the upgrade strategy's bounds, issues the kills, gates launches by the app's backoff, advances
 * the app's deployment, and finally tells the framework whether any instance waits for offers (revive/suppress).
 *
 *   status update / change / health result / timer ──kick──▶ tick (serialized, coalesced)
 *        per app: snapshots ─▶ converge ─▶ kills (driver) ; launchWanted (offers) ; advanceDeployment ─▶ finish
 *
 * Passes run inside `ctx.serial`, so they never interleave with API changes.
 */
import type { TimerHandle } from '../../core/clock/clock.ts';
import type { AppsContext } from './apps-context.ts';
import { isLive, type AppRuntime, type Deployment, type Instance } from './apps-model.ts';
import { advanceDeployment, converge, DeploymentStatus, type ConvergeResult, type InstanceSnapshot, type KillReason } from './deployment-planner.ts';
import type { DeploymentManager } from './deployment-manager.ts';
import { healthKillLimit } from './health-kill-limit.ts';
import { instanceHealthy } from './health-monitor.ts';
import { NO_BACKOFF, recordFailure, remainingMs, resetsBackoff } from './launch-backoff.ts';

/** Extra time after the kill grace period before a kill is sent again. */
const KILL_RETRY_MS = 30_000;

export interface DemandListener {
  /** Whether some app has instances to launch now. */
  demand(wanted: boolean): void;
}

export class Supervisor {
  private scheduled?: TimerHandle;
  private wake?: { at: number; timer: TimerHandle };
  private interval?: TimerHandle;
  private running = false;
  private stopped = false;

  constructor(
    private readonly ctx: AppsContext,
    private readonly deployments: DeploymentManager,
    private readonly listener: DemandListener,
    /** Called after each pass: what a pass changes (launch demand, reasons, progress) invalidates cached views. */
    private readonly passed: () => void = () => undefined,
  ) {}

  start(): void {
    this.interval = this.ctx.clock.setInterval(() => this.kick(), this.ctx.options.reconcileIntervalMs);
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.interval?.cancel();
    this.scheduled?.cancel();
    this.wake?.timer.cancel();
  }

  /** A pass soon; many kicks in one moment make one pass. */
  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = this.ctx.clock.setTimeout(() => {
      this.scheduled = undefined;
      if (this.running) {
        this.kick();
        return;
      }
      this.running = true;
      void this.ctx
        .serial(() => this.tick())
        .catch((e: unknown) => this.ctx.log.error({ err: e }, 'supervision pass failed'))
        .finally(() => {
          this.running = false;
        });
    }, 0);
  }

  /** One pass over every app. Exposed for tests. */
  async tick(): Promise<void> {
    const now = this.ctx.clock.now();
    let wanted = false;
    let wakeAt = Infinity;
    const ended: Array<[AppRuntime, Deployment]> = [];
    const progressed: Deployment[] = [];
    for (const rt of this.ctx.registry.apps.values()) {
      const { snapshots, healthyCurrent, old } = this.snapshot(rt, now);
      rt.ready = healthyCurrent;
      const r = converge(
        rt.deleting ? null : { config: rt.record.config, instances: rt.record.spec.instances, ...rt.record.spec.upgradeStrategy, killSelection: rt.record.spec.killSelection },
        snapshots,
        { healthKillBudget: this.healthKillBudget(rt, now) },
      );
      for (const k of r.kill) this.kill(rt, k.id, k.reason, now);
      this.resetBackoffIfStable(rt, now);
      wakeAt = Math.min(wakeAt, this.setLaunchDemand(rt, r, now));
      if (rt.launchWanted > 0) wanted = true;
      if (rt.deployment?.status === DeploymentStatus.RUNNING) {
        const d = rt.deployment;
        const live = snapshots.length;
        // Instances all up at one moment is not enough while tasks of this config keep failing: a crash loop is
        // RUNNING now and then. The backoff's failures are reset by an instance that stayed up (STABLE_MS).
        const unstable = rt.record.spec.instances > 0 && rt.backoff.failures > 0 ? `waiting for the app to be stable after ${rt.backoff.failures} task failure(s)${rt.lastFailure ? ` (last: ${rt.lastFailure.message})` : ''}` : undefined;
        // Progress is monotone: more new healthy, fewer old or fewer live than ever before in this deployment.
        // A crash loop that keeps relaunching is not progress, so it cannot hold off the deadline.
        const best = d.best ? { healthy: Math.max(d.best.healthy, healthyCurrent), old: Math.min(d.best.old, old), live: Math.min(d.best.live, live) } : { healthy: healthyCurrent, old, live };
        const { deployment: next, events } = advanceDeployment(
          d,
          (step) => (step.action === 'START' ? true : step.action === 'STOP' ? live === 0 : r.complete && unstable === undefined),
          { mark: `${best.healthy}|${best.old}|${best.live}`, stalledBecause: rt.waitingBecause ?? r.blocked ?? unstable },
          now,
        );
        next.best = best;
        next.tasksHealthy = healthyCurrent;
        next.tasksOld = old;
        next.tasksLive = live;
        next.updatedAt = now;
        // An end is shown once stored, with what follows it (DeploymentManager.finish); until then readers see
        // the deployment running.
        if (next.status === DeploymentStatus.RUNNING) this.ctx.registry.setDeployment(rt, next);
        for (const e of events) if (e.type === 'step') this.deployments.publish('deployment.step', next);
        if (next.status !== DeploymentStatus.RUNNING) ended.push([rt, next]);
        else if (next.currentStep !== d.currentStep) progressed.push(next);
        if (next.status === DeploymentStatus.RUNNING) wakeAt = Math.min(wakeAt, next.progressAt + next.progressDeadlineMs);
      }
    }
    this.listener.demand(wanted);
    this.wakeAt(wakeAt);
    for (const d of progressed) await this.deployments.saveProgress(d);
    for (const [rt, d] of ended) {
      try {
        await this.deployments.finish(rt, d);
      } catch (e) {
        // Stays RUNNING in the store and in memory (the end was not shown); the next pass (or a restart) sees it
        // done again and retries.
        this.ctx.log.warn({ deploymentId: d.id, err: e }, 'deployment end not stored; retrying on the next pass');
      }
    }
    this.passed();
  }

  private snapshot(rt: AppRuntime, now: number): { snapshots: InstanceSnapshot[]; healthyCurrent: number; old: number } {
    const snapshots: InstanceSnapshot[] = [];
    let healthyCurrent = 0;
    let old = 0;
    const checked = rt.record.spec.healthChecks.length > 0;
    for (const i of rt.instances.values()) {
      if (!isLive(i.state)) continue;
      if (i.killRequestedAt !== undefined && now - i.killRequestedAt > this.killGraceMs(rt) + KILL_RETRY_MS) this.sendKill(rt, i, now, true);
      if (i.killRequestedAt === undefined && i.state !== 'RUNNING' && now - i.stagedAt > this.ctx.options.launchTimeoutMs) {
        this.kill(rt, i.taskId, 'LAUNCH_TIMEOUT', now);
      }
      const killing = i.state === 'KILLING' || i.killRequestedAt !== undefined;
      const phase = killing ? 'KILLING' : i.state === 'RUNNING' ? 'RUNNING' : 'STAGING';
      const healthy = phase === 'RUNNING' && !i.doomed && (checked ? instanceHealthy(i) === true : this.ready(i, now));
      const snap: InstanceSnapshot = { id: i.taskId, config: i.config, phase, healthy, doomed: Boolean(i.doomed), stagedAt: i.stagedAt };
      if (i.doomed && !i.healthyOnce) snap.failedLaunch = true;
      snapshots.push(snap);
      if (phase === 'KILLING') continue;
      if (i.config !== rt.record.config) old++;
      else if (healthy) healthyCurrent++;
    }
    return { snapshots, healthyCurrent, old };
  }

  /**
   * Without health checks, a RUNNING instance counts as healthy (for the upgrade bounds and deployments) once it
   * has run `minReadyMs`: a task that dies right after starting never made a deployment succeed.
   */
  private ready(i: Instance, now: number): boolean {
    return i.runningSince !== undefined && now - i.runningSince >= this.ctx.options.minReadyMs;
  }

  /** The app's health-kill budget now (`healthKillLimit`); keeps its window and pause on the runtime. */
  private healthKillBudget(rt: AppRuntime, now: number): number {
    // Failing now (doomed, or failing checks on the way to it): checks run on their own timers, so instances hit
    // by the same fault are doomed a few intervals apart; counting the failing ones pauses before the first kill.
    let failing = 0;
    for (const i of rt.instances.values()) if (isLive(i.state) && i.killRequestedAt === undefined && i.healthyOnce && (i.doomed || instanceHealthy(i) === false)) failing++;
    const limit = healthKillLimit({
      checks: rt.record.spec.healthChecks,
      wanted: rt.record.spec.instances,
      failingHealthyOnce: failing,
      kills: rt.healthKills,
      pausedUntil: rt.healthKillsPausedUntil,
      share: this.ctx.options.healthKillShare,
      pauseShare: this.ctx.options.healthKillPauseShare,
      now,
    });
    rt.healthKills = limit.kills;
    rt.healthKillsPaused = limit.paused;
    rt.healthKillsPausedUntil = limit.pausedUntil;
    return limit.budget;
  }

  private resetBackoffIfStable(rt: AppRuntime, now: number): void {
    if (rt.backoff.failures === 0) return;
    const checked = rt.record.spec.healthChecks.length > 0;
    for (const i of rt.instances.values()) {
      // Only an instance launched after the last failure counts: a healthy sibling that was up all along must not
      // lift the backoff of one that keeps dying (it did, on every pass: a crash loop at full speed).
      if (i.state === 'RUNNING' && i.config === rt.record.config && i.startedAt !== undefined && resetsBackoff(rt.backoff, i.stagedAt, i.startedAt, now) && (!checked || instanceHealthy(i) === true)) {
        rt.backoff = NO_BACKOFF;
        return;
      }
    }
  }

  /** Sets what the framework may launch for the app now; returns when a backoff ends (Infinity if none). */
  private setLaunchDemand(rt: AppRuntime, r: ConvergeResult, now: number): number {
    const wait = remainingMs(rt.backoff, now);
    if (r.launch > 0 && wait > 0) {
      rt.launchWanted = 0;
      const last = rt.lastFailure ? `; last failure: ${rt.lastFailure.message}` : '';
      rt.waitingBecause = `backoff: next launch in ${(wait / 1000).toFixed(1)} s after ${rt.backoff.failures} failure(s)${last}`;
      return rt.backoff.until;
    }
    rt.launchWanted = r.launch;
    rt.waitingBecause = rt.healthKillsPaused ?? r.blocked;
    if (r.launch === 0) rt.offerReasons.clear();
    return Infinity;
  }

  private killGraceMs(rt: AppRuntime): number {
    return (rt.record.spec.taskKillGracePeriodSeconds ?? 3) * 1000;
  }

  /** Marks the instance as being killed and tells the master. Idempotent while the kill is in flight. */
  kill(rt: AppRuntime, taskId: string, reason: KillReason | 'LAUNCH_TIMEOUT' | 'USER', now: number): void {
    const i = rt.instances.get(taskId);
    if (!i || i.killRequestedAt !== undefined) return;
    i.killReason = reason;
    if (reason === 'UNHEALTHY' || reason === 'NEVER_HEALTHY') {
      if (reason === 'UNHEALTHY') rt.healthKills.push(now);
      this.ctx.counters.healthKills++;
      this.ctx.events.publish('instance.unhealthy_kill', { appId: rt.record.spec.id, taskId, reason: i.doomed ?? 'unhealthy', hostname: i.hostname });
    }
    if (reason === 'NEVER_HEALTHY' && i.config === rt.record.config) {
      // A failed launch: the backoff applies now, before this pass asks for its replacement (not when the kill
      // is answered, which would let the replacement start at once). The end does not count it again.
      rt.backoff = recordFailure(rt.backoff, rt.record.spec, now);
      this.ctx.counters.backoffs++;
    }
    this.ctx.log.info({ appId: rt.record.spec.id, taskId, reason }, 'killing instance');
    this.sendKill(rt, i, now);
  }

  /**
   * `retry`: the first kill was not answered by an end: the state is asked for too, as a task that already ended
   * (its update lost while the service was away) takes the kill without a word.
   */
  private sendKill(rt: AppRuntime, i: Instance, now: number, retry = false): void {
    i.killRequestedAt = now;
    const driver = this.ctx.driver();
    if (!driver) return;
    if (retry) void driver.reconcile([{ taskId: i.taskId, agentId: i.agentId }]);
    const grace = rt.record.spec.taskKillGracePeriodSeconds;
    void driver.kill(i.taskId, grace === undefined ? { agentId: i.agentId } : { agentId: i.agentId, killGracePeriodMs: Math.round(grace * 1000) }).then((res) => {
      if (res.ok) return;
      this.ctx.log.warn({ taskId: i.taskId, error: res.error }, 'kill refused; asking the master for the task state');
      // A task the master does not know is answered UNKNOWN, which removes the instance.
      void driver.reconcile([{ taskId: i.taskId, agentId: i.agentId }]);
    });
  }

  private wakeAt(at: number): void {
    if (!Number.isFinite(at)) return;
    if (this.wake && this.wake.at <= at && this.wake.at > this.ctx.clock.now()) return;
    this.wake?.timer.cancel();
    const timer = this.ctx.clock.setTimeout(() => {
      this.wake = undefined;
      this.kick();
    }, Math.max(0, at - this.ctx.clock.now()) + 1);
    this.wake = { at, timer };
  }
}

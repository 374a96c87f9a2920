/**
 * Starts and ends deployments: every change of an app (create, update, scale, restart, rollback, delete, the
 * revert of a cancelled deployment) goes through `start`, which plans the steps, writes the change to the store
 * and only then applies it in memory and publishes events. Must run inside `ctx.serial`.
 */
import { randomUUID } from 'node:crypto';
import { nextRecord, type AppRecord } from './app-record.ts';
import type { AppsContext } from './apps-context.ts';
import type { AppChange } from './app-store.ts';
import { isLive, type AppRuntime, type Deployment } from './apps-model.ts';
import { DeploymentStatus, planDeployment } from './deployment-planner.ts';
import { NO_BACKOFF } from './launch-backoff.ts';

export interface StartOptions {
  /** The running deployment being replaced: `superseded` (a forced change) or `cancelled` (a revert). */
  replacing?: { deployment: Deployment; why: string };
  rollbackOf?: string;
  /** Use this id (known before the deployment exists, e.g. to link a failed deployment to its rollback). */
  id?: string;
}

/** A deployment start, planned and not yet stored nor applied. */
interface Planned {
  d: Deployment;
  appId: string;
  rt: AppRuntime | undefined;
  target: AppRecord | undefined;
  kind: Deployment['kind'];
  opts: StartOptions;
  now: number;
  write: AppChange;
}

export class DeploymentManager {
  constructor(private readonly ctx: AppsContext) {}

  /**
   * A deployment of `target` (undefined: delete the app) over the app's current state. `rt` is undefined for a
   * new app. Resolves once the change is stored and applied; rejects (changing nothing) when the store fails.
   */
  async start(appId: string, rt: AppRuntime | undefined, target: AppRecord | undefined, kind: Deployment['kind'], opts: StartOptions = {}): Promise<Deployment> {
    const planned = this.plan(appId, rt, target, kind, opts);
    await this.ctx.store.write(planned.write);
    return this.apply(planned);
  }

  /** The deployment and the store change that starts it; changes nothing. */
  private plan(appId: string, rt: AppRuntime | undefined, target: AppRecord | undefined, kind: Deployment['kind'], opts: StartOptions): Planned {
    const now = this.ctx.clock.now();
    const current = rt && !rt.deleting ? rt.record : undefined;
    const liveConfigs = rt ? [...rt.instances.values()].filter((i) => isLive(i.state)).map((i) => i.config) : [];
    const steps = planDeployment(
      current ? { config: current.config, instances: current.spec.instances } : rt ? { config: rt.record.config, instances: rt.record.spec.instances } : undefined,
      target ? { config: target.config, instances: target.spec.instances } : undefined,
      liveConfigs,
    );
    const basis = target ?? rt!.record;
    const d: Deployment = {
      id: opts.id ?? randomUUID(),
      appId,
      version: basis.version,
      kind,
      steps,
      currentStep: 0,
      status: steps.length ? DeploymentStatus.RUNNING : DeploymentStatus.SUCCEEDED,
      progressAt: now,
      progressMark: '',
      progressDeadlineMs: basis.spec.progressDeadlineSeconds * 1000,
      createdAt: now,
      updatedAt: now,
      tasksHealthy: 0,
      tasksOld: liveConfigs.filter((c) => c !== target?.config).length,
      tasksLive: liveConfigs.length,
    };
    if (current) d.from = current;
    if (target) d.target = target;
    if (opts.rollbackOf) d.rollbackOf = opts.rollbackOf;
    if (!steps.length) d.finishedAt = now;
    const replaced = opts.replacing?.deployment;
    const write: AppChange = {
      putApp: target,
      putDeployments: steps.length ? [d] : [],
      deleteDeployments: replaced ? [replaced.id] : [],
      deleteApp: !target && !steps.length ? appId : undefined,
    };
    return { d, appId, rt, target, kind, opts, now, write };
  }

  /** Applies a stored start in memory and publishes it. Synchronous: readers see all of it or none. */
  private apply(p: Planned): Deployment {
    const { d, appId, rt, target, kind, opts, now } = p;
    const replaced = opts.replacing?.deployment;
    if (replaced && opts.replacing) this.endReplaced(rt, replaced, opts.replacing.why, now);
    let runtime = rt;
    if (!runtime) runtime = this.ctx.registry.addApp(target!);
    else if (target) {
      if (target.config !== runtime.record.config) runtime.backoff = NO_BACKOFF;
      runtime.record = target;
      runtime.deleting = false;
    } else runtime.deleting = true;

    this.publish('deployment.started', d);
    if (d.steps.length) this.ctx.registry.setDeployment(runtime, d);
    else {
      this.ctx.registry.finishDeployment(runtime, d);
      this.publish('deployment.succeeded', d);
    }
    this.ctx.log.info({ appId, deploymentId: d.id, kind, steps: d.steps.map((s) => s.action) }, 'deployment started');
    this.ctx.kick();
    return d;
  }

  private endReplaced(rt: AppRuntime | undefined, old: Deployment, why: string, now: number): void {
    const ended: Deployment = { ...old, status: DeploymentStatus.CANCELLED, reason: why, finishedAt: now, updatedAt: now };
    this.ctx.registry.finishDeployment(rt, ended);
    this.publish('deployment.cancelled', ended);
  }

  /**
   * A deployment reached SUCCEEDED or FAILED on a supervision pass: store, memory, events, auto-rollback. The
   * end and the rollback that follows it are one transaction, then applied in memory together, so a reader
   * never sees a failed deployment naming a rollback (`rolledBackBy`) that does not exist yet. Until then the
   * registry still shows the deployment running (the supervisor does not publish the end itself).
   */
  async finish(rt: AppRuntime, d: Deployment): Promise<void> {
    const deleted = d.status === DeploymentStatus.SUCCEEDED && !d.target;
    const rollBack = d.status === DeploymentStatus.FAILED && d.target?.spec.autoRollback === true && d.from !== undefined && this.ctx.registry.apps.get(d.appId) === rt;
    const back = rollBack && d.from ? this.plan(d.appId, rt, nextRecord(d.from.spec, rt.record, this.ctx.clock.now(), { restarts: d.from.restarts }), 'rollback', { rollbackOf: d.id }) : undefined;
    await this.ctx.store.write({
      deleteDeployments: [d.id],
      deleteApp: deleted ? d.appId : undefined,
      ...(back ? { putApp: back.write.putApp, putDeployments: back.write.putDeployments } : {}),
    });
    if (back) d.rolledBackBy = back.d.id;
    this.ctx.registry.finishDeployment(rt, d);
    if (d.status === DeploymentStatus.SUCCEEDED) {
      this.publish('deployment.succeeded', d);
      this.ctx.log.info({ appId: d.appId, deploymentId: d.id }, 'deployment succeeded');
      if (deleted) {
        this.ctx.registry.removeApp(d.appId);
        this.ctx.events.publish('app.deleted', { appId: d.appId, version: d.version });
      }
      return;
    }
    this.publish('deployment.failed', d);
    this.ctx.log.warn({ appId: d.appId, deploymentId: d.id, reason: d.reason }, 'deployment failed');
    if (back) {
      this.apply(back);
      this.ctx.events.publish('app.updated', { appId: d.appId, version: back.d.version, deploymentId: back.d.id, cause: 'autoRollback' });
    }
  }

  /** Persists a step change so a restarted service resumes where it was (best effort). */
  async saveProgress(d: Deployment): Promise<void> {
    try {
      await this.ctx.store.write({ putDeployments: [d] });
    } catch (e) {
      this.ctx.log.warn({ deploymentId: d.id, err: e }, 'deployment progress not stored; it is recomputed after a restart');
    }
  }

  publish(type: string, d: Deployment): void {
    if (type === 'deployment.started') this.ctx.counters.deploymentsStarted++;
    else if (type !== 'deployment.step') {
      const ended = this.ctx.counters.deploymentsEnded;
      ended.set(d.status, (ended.get(d.status) ?? 0) + 1);
    }
    this.ctx.events.publish(type, {
      deploymentId: d.id,
      appId: d.appId,
      version: d.version,
      kind: d.kind,
      status: d.status,
      step: Math.min(d.currentStep + 1, d.steps.length),
      totalSteps: d.steps.length,
      ...(d.reason ? { reason: d.reason } : {}),
    });
  }
}

/**
 * Starts and ends deployments: every change of an app (create, update, scale, restart, rollback, delete, the
 * revert of a cancelled deployment) goes through `start`, which plans the steps, writes the change to the store
 * and only then applies it in memory and publishes events. Must run inside `ctx.serial`.
 */
import { randomUUID } from 'node:crypto';
import { nextRecord, type AppRecord } from './app-record.ts';
import type { AppsContext } from './apps-context.ts';
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

export class DeploymentManager {
  constructor(private readonly ctx: AppsContext) {}

  /**
   * A deployment of `target` (undefined: delete the app) over the app's current state. `rt` is undefined for a
   * new app. Resolves once the change is stored and applied; rejects (changing nothing) when the store fails.
   */
  async start(appId: string, rt: AppRuntime | undefined, target: AppRecord | undefined, kind: Deployment['kind'], opts: StartOptions = {}): Promise<Deployment> {
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

    await this.ctx.store.write({
      putApp: target,
      putDeployments: steps.length ? [d] : [],
      deleteDeployments: replaced ? [replaced.id] : [],
      deleteApp: !target && !steps.length ? appId : undefined,
    });

    if (replaced && opts.replacing) this.endReplaced(rt, replaced, opts.replacing.why, now);
    let runtime = rt;
    if (!runtime) runtime = this.ctx.registry.addApp(target!);
    else if (target) {
      if (target.config !== runtime.record.config) runtime.backoff = NO_BACKOFF;
      runtime.record = target;
      runtime.deleting = false;
    } else runtime.deleting = true;

    this.publish('deployment.started', d);
    if (steps.length) this.ctx.registry.setDeployment(runtime, d);
    else {
      this.ctx.registry.finishDeployment(runtime, d);
      this.publish('deployment.succeeded', d);
    }
    this.ctx.log.info({ appId, deploymentId: d.id, kind, steps: steps.map((s) => s.action) }, 'deployment started');
    this.ctx.kick();
    return d;
  }

  private endReplaced(rt: AppRuntime | undefined, old: Deployment, why: string, now: number): void {
    const ended: Deployment = { ...old, status: DeploymentStatus.CANCELLED, reason: why, finishedAt: now, updatedAt: now };
    this.ctx.registry.finishDeployment(rt, ended);
    this.publish('deployment.cancelled', ended);
  }

  /** A deployment reached SUCCEEDED or FAILED on a supervision pass: store, memory, events, auto-rollback. */
  async finish(rt: AppRuntime, d: Deployment): Promise<void> {
    const deleted = d.status === DeploymentStatus.SUCCEEDED && !d.target;
    const rollBack = d.status === DeploymentStatus.FAILED && d.target?.spec.autoRollback === true && d.from !== undefined && this.ctx.registry.apps.get(d.appId) === rt;
    if (rollBack) d.rolledBackBy = randomUUID();
    await this.ctx.store.write({ deleteDeployments: [d.id], deleteApp: deleted ? d.appId : undefined });
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
    if (rollBack && d.from) {
      const back = nextRecord(d.from.spec, rt.record, this.ctx.clock.now(), { restarts: d.from.restarts });
      try {
        await this.start(d.appId, rt, back, 'rollback', { rollbackOf: d.id, id: d.rolledBackBy });
      } catch (e) {
        // The failure itself is stored; the app stays on the failed definition until someone rolls back.
        this.ctx.log.error({ appId: d.appId, deploymentId: d.id, err: e }, 'automatic rollback not stored');
        d.rolledBackBy = undefined;
        return;
      }
      this.ctx.events.publish('app.updated', { appId: d.appId, version: back.version, deploymentId: d.rolledBackBy, cause: 'autoRollback' });
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

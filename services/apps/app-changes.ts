/**
 * Every write operation of the apps API: validate, check the app's deployment lock, then start a deployment
 * (which stores the change before applying it). Each runs inside `ctx.serial`, so two requests for the same app
 * cannot both pass the lock check. Errors are values naming the field; nothing changes when one is returned.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import { nextRecord, type AppRecord } from './app-record.ts';
import { appSpecToJson, normalizeAppId, validateAppSpec, type AppSpec, type FieldIssue } from './app-spec.ts';
import { ServiceStoppingError, type AppsContext } from './apps-context.ts';
import type { AppRuntime, Deployment } from './apps-model.ts';
import type { DeploymentManager } from './deployment-manager.ts';
import { DeploymentStatus } from './deployment-planner.ts';
import type { Supervisor } from './supervisor.ts';

export type AppsErrorCode =
  | 'INVALID'
  | 'APP_NOT_FOUND'
  | 'APP_EXISTS'
  | 'APP_LOCKED'
  | 'VERSION_NOT_FOUND'
  | 'DEPLOYMENT_NOT_FOUND'
  | 'DEPLOYMENT_FINISHED'
  | 'TASK_NOT_FOUND'
  | 'UNAVAILABLE';

export interface AppsError {
  code: AppsErrorCode;
  message: string;
  fields?: FieldIssue[];
  /** For APP_LOCKED: the deployments holding the app. */
  deployments?: string[];
}

export interface ChangeResult {
  deployment: Deployment;
  record?: AppRecord;
  created: boolean;
}

export interface ChangeOptions {
  /** Replace a running deployment of the app instead of refusing with APP_LOCKED. */
  force?: boolean;
  /** Where the id came from, for error fields: `params.id` or `body.id`. */
  idField?: string;
}

const invalid = (fields: FieldIssue[]): { ok: false; error: AppsError } =>
  err({ code: 'INVALID', message: fields.map((f) => `${f.field} ${f.message}`).join('; '), fields });

export function parseAppId(raw: string, field: string): Result<string, AppsError> {
  const n = normalizeAppId(raw);
  return n.ok ? n : invalid([{ field, message: n.error }]);
}

/** RFC 7396 JSON merge patch: objects merge, `null` removes (the field takes its default), the rest replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class AppChanges {
  constructor(
    private readonly ctx: AppsContext,
    private readonly deployments: DeploymentManager,
    private readonly supervisor: Supervisor,
    /** Health checks changed without a task config change: check running instances with the new ones. */
    private readonly rewatch: (rt: AppRuntime) => void,
  ) {}

  private locked(rt: AppRuntime, force: boolean | undefined): { ok: false; error: AppsError } | undefined {
    const d = rt.deployment;
    if (!d || d.status !== DeploymentStatus.RUNNING || force) return undefined;
    return err({ code: 'APP_LOCKED', message: `app ${rt.record.spec.id} is locked by deployment ${d.id}; retry when it ends, or force it (?force=true)`, deployments: [d.id] });
  }

  private replacing(rt: AppRuntime | undefined): { deployment: Deployment; why: string } | undefined {
    const d = rt?.deployment;
    return d && d.status === DeploymentStatus.RUNNING ? { deployment: d, why: 'superseded by a forced change' } : undefined;
  }

  /** Serialized with every other change; UNAVAILABLE once the service is stopping (nothing is queued then). */
  private serial<T>(fn: () => Promise<Result<T, AppsError>>): Promise<Result<T, AppsError>> {
    return this.ctx.serial(fn).catch((e: unknown) => {
      if (e instanceof ServiceStoppingError) return err({ code: 'UNAVAILABLE' as const, message: e.message });
      throw e;
    });
  }

  /** Runs a change serialized; a store failure becomes UNAVAILABLE (and the change did not happen). */
  private run(fn: () => Promise<Result<ChangeResult, AppsError>>): Promise<Result<ChangeResult, AppsError>> {
    return this.serial(async () => {
      try {
        return await fn();
      } catch (e) {
        this.ctx.log.warn({ err: e }, 'app change not stored');
        return err({ code: 'UNAVAILABLE' as const, message: `the change could not be stored: ${e instanceof Error ? e.message : String(e)}` });
      }
    });
  }

  private existing(id: string, field = 'params.id'): Result<AppRuntime, AppsError> {
    const rt = this.ctx.registry.apps.get(id);
    if (!rt || rt.deleting) return err({ code: 'APP_NOT_FOUND', message: `app ${id} does not exist`, fields: [{ field, message: 'no such app' }] });
    return ok(rt);
  }

  create(input: unknown): Promise<Result<ChangeResult, AppsError>> {
    const spec = validateAppSpec(input, 'body');
    if (!spec.ok) return Promise.resolve(invalid(spec.error));
    return this.run(async () => {
      const id = spec.value.id;
      if (this.ctx.registry.apps.has(id)) return err({ code: 'APP_EXISTS', message: `app ${id} already exists`, fields: [{ field: 'body.id', message: 'an app with this id exists' }] });
      const record = nextRecord(spec.value, undefined, this.ctx.clock.now());
      const deployment = await this.deployments.start(id, undefined, record, 'create');
      this.ctx.events.publish('app.created', { appId: id, version: record.version, deploymentId: deployment.id });
      return ok({ deployment, record, created: true });
    });
  }

  /** Create or replace with a full definition (`input` has no id or the same one). */
  put(id: string, input: unknown, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    const withId = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...(input as Record<string, unknown>) } : input;
    if (typeof withId === 'object' && withId !== null) {
      const given = (withId as Record<string, unknown>).id;
      if (given !== undefined) {
        const n = typeof given === 'string' ? normalizeAppId(given) : undefined;
        if (!n?.ok || n.value !== id) return Promise.resolve(invalid([{ field: 'body.id', message: `must be ${id} (the id in the path) or left out` }]));
      }
      (withId as Record<string, unknown>).id = id;
    }
    const spec = validateAppSpec(withId, 'body');
    if (!spec.ok) return Promise.resolve(invalid(spec.error));
    return this.run(async () => {
      const rt = this.ctx.registry.apps.get(id);
      if (!rt) {
        const record = nextRecord(spec.value, undefined, this.ctx.clock.now());
        const deployment = await this.deployments.start(id, undefined, record, 'create');
        this.ctx.events.publish('app.created', { appId: id, version: record.version, deploymentId: deployment.id });
        return ok({ deployment, record, created: true });
      }
      if (rt.deleting && !opts.force) return this.locked(rt, false) ?? err({ code: 'APP_LOCKED', message: `app ${id} is being deleted` });
      return this.update(rt, spec.value, opts);
    });
  }

  /** Merge patch over the current definition; `force` as for put. */
  patch(id: string, patch: unknown, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    return this.run(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      const rt = found.value;
      if (typeof patch === 'object' && patch !== null && 'id' in patch && (patch as { id?: unknown }).id !== undefined) {
        const n = typeof (patch as { id: unknown }).id === 'string' ? normalizeAppId((patch as { id: string }).id) : undefined;
        if (!n?.ok || n.value !== id) return invalid([{ field: 'body.id', message: 'the id cannot be changed' }]);
      }
      const merged = mergePatch(appSpecToJson(rt.record.spec), patch);
      const spec = validateAppSpec(merged, 'body');
      if (!spec.ok) return invalid(spec.error);
      return this.update(rt, spec.value, opts);
    });
  }

  private async update(rt: AppRuntime, spec: AppSpec, opts: ChangeOptions, restart = false): Promise<Result<ChangeResult, AppsError>> {
    const lock = this.locked(rt, opts.force);
    if (lock) return lock;
    const record = nextRecord(spec, rt.record, this.ctx.clock.now(), { restart });
    const kind: Deployment['kind'] = restart ? 'restart' : record.config === rt.record.config && spec.instances !== rt.record.spec.instances ? 'scale' : 'update';
    const healthChanged = JSON.stringify(spec.healthChecks) !== JSON.stringify(rt.record.spec.healthChecks);
    const deployment = await this.deployments.start(spec.id, rt, record, kind, { replacing: this.replacing(rt) });
    if (healthChanged) this.rewatch(rt);
    this.ctx.events.publish('app.updated', { appId: spec.id, version: record.version, deploymentId: deployment.id, kind });
    return ok({ deployment, record, created: false });
  }

  scale(id: string, instances: number, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    return this.run(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      return this.update(found.value, { ...found.value.record.spec, instances }, opts);
    });
  }

  restart(id: string, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    return this.run(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      return this.update(found.value, found.value.record.spec, opts, true);
    });
  }

  /** Back to a stored version (default: the one before the current), as a new version. */
  rollback(id: string, version: string | undefined, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    return this.run(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      const rt = found.value;
      const lock = this.locked(rt, opts.force);
      if (lock) return lock;
      let wanted = version;
      if (wanted === undefined) {
        const versions = await this.ctx.store.listVersions(id);
        wanted = versions.find((v) => v < rt.record.version);
        if (wanted === undefined) return err({ code: 'VERSION_NOT_FOUND', message: `app ${id} has no earlier version`, fields: [{ field: 'body.version', message: 'no earlier version' }] });
      }
      const old = await this.ctx.store.getVersion(id, wanted);
      if (!old) return err({ code: 'VERSION_NOT_FOUND', message: `app ${id} has no version ${wanted}`, fields: [{ field: 'body.version', message: 'no such version' }] });
      const record = nextRecord(old.spec, rt.record, this.ctx.clock.now(), { restarts: old.restarts });
      const healthChanged = JSON.stringify(old.spec.healthChecks) !== JSON.stringify(rt.record.spec.healthChecks);
      const deployment = await this.deployments.start(id, rt, record, 'rollback', { replacing: this.replacing(rt) });
      if (healthChanged) this.rewatch(rt);
      this.ctx.events.publish('app.updated', { appId: id, version: record.version, deploymentId: deployment.id, kind: 'rollback', to: wanted });
      return ok({ deployment, record, created: false });
    });
  }

  delete(id: string, opts: ChangeOptions): Promise<Result<ChangeResult, AppsError>> {
    return this.run(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      const lock = this.locked(found.value, opts.force);
      if (lock) return lock;
      const deployment = await this.deployments.start(id, found.value, undefined, 'delete', { replacing: this.replacing(found.value) });
      return ok({ deployment, created: false });
    });
  }

  /** Kills one task; with `scale` the app also wants one instance fewer (a deployment), else it is replaced. */
  killTask(id: string, taskId: string, opts: ChangeOptions & { scale: boolean }): Promise<Result<{ deployment?: Deployment }, AppsError>> {
    return this.serial(async () => {
      const found = this.existing(id);
      if (!found.ok) return found;
      const rt = found.value;
      if (!rt.instances.has(taskId)) return err({ code: 'TASK_NOT_FOUND', message: `app ${id} has no task ${taskId}`, fields: [{ field: 'params.taskId', message: 'no such task of this app' }] });
      let deployment: Deployment | undefined;
      if (opts.scale) {
        const lock = this.locked(rt, opts.force);
        if (lock) return lock;
        try {
          const spec = { ...rt.record.spec, instances: Math.max(0, rt.record.spec.instances - 1) };
          deployment = await this.deployments.start(id, rt, nextRecord(spec, rt.record, this.ctx.clock.now()), 'scale', { replacing: this.replacing(rt) });
        } catch (e) {
          return err({ code: 'UNAVAILABLE' as const, message: `the change could not be stored: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      this.supervisor.kill(rt, taskId, 'USER', this.ctx.clock.now());
      this.ctx.kick();
      return ok(deployment ? { deployment } : {});
    });
  }

  /** Cancels a running deployment: by default a new deployment back to the previous definition; `force` just stops tracking it. */
  cancel(deploymentId: string, opts: { force?: boolean }): Promise<Result<{ cancelled: Deployment; revert?: Deployment }, AppsError>> {
    return this.serial(async () => {
      const d = this.ctx.registry.deployment(deploymentId);
      if (!d) return err({ code: 'DEPLOYMENT_NOT_FOUND', message: `no deployment ${deploymentId}`, fields: [{ field: 'params.id', message: 'no such deployment' }] });
      const rt = this.ctx.registry.apps.get(d.appId);
      if (d.status !== DeploymentStatus.RUNNING || !rt) return err({ code: 'DEPLOYMENT_FINISHED', message: `deployment ${deploymentId} already ended (${d.status})` });
      const now = this.ctx.clock.now();
      try {
        if (opts.force) {
          await this.ctx.store.write({ deleteDeployments: [d.id] });
          const cancelled: Deployment = { ...d, status: DeploymentStatus.CANCELLED, reason: 'cancelled (forced, not rolled back)', finishedAt: now, updatedAt: now };
          this.ctx.registry.finishDeployment(rt, cancelled);
          this.deployments.publish('deployment.cancelled', cancelled);
          this.ctx.kick();
          return ok({ cancelled });
        }
        const back = d.from ? nextRecord(d.from.spec, rt.record, now, { restarts: d.from.restarts }) : undefined;
        const revert = await this.deployments.start(d.appId, rt, back, 'revert', { replacing: { deployment: d, why: 'cancelled: reverting to the previous definition' } });
        return ok({ cancelled: this.ctx.registry.deployment(d.id) ?? d, revert });
      } catch (e) {
        return err({ code: 'UNAVAILABLE' as const, message: `the cancellation could not be stored: ${e instanceof Error ? e.message : String(e)}` });
      }
    });
  }
}

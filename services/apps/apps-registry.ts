/**
 * The apps service's memory: app runtimes by id, instances by task id, running deployments by id and a bounded
 * list of finished ones. No I/O; the service writes to the store first and then applies here.
 */
import type { AppRecord } from './app-record.ts';
import type { AppRuntime, Deployment, Instance } from './apps-model.ts';
import { NO_BACKOFF } from './launch-backoff.ts';

export const FINISHED_DEPLOYMENTS_KEPT = 200;

export class AppsRegistry {
  readonly apps = new Map<string, AppRuntime>();
  private readonly byTask = new Map<string, Instance>();
  private readonly running = new Map<string, Deployment>();
  private readonly finished: Deployment[] = [];

  addApp(record: AppRecord): AppRuntime {
    const rt: AppRuntime = {
      record,
      deleting: false,
      instances: new Map(),
      backoff: NO_BACKOFF,
      launchWanted: 0,
      offerReasons: new Map(),
      healthKills: [],
    };
    this.apps.set(record.spec.id, rt);
    return rt;
  }

  removeApp(appId: string): void {
    const rt = this.apps.get(appId);
    if (!rt) return;
    for (const id of rt.instances.keys()) this.byTask.delete(id);
    this.apps.delete(appId);
  }

  /** Apps sorted by id (the order every list shows). */
  sortedApps(): AppRuntime[] {
    return [...this.apps.values()].sort((a, b) => (a.record.spec.id < b.record.spec.id ? -1 : a.record.spec.id > b.record.spec.id ? 1 : 0));
  }

  addInstance(rt: AppRuntime, i: Instance): void {
    rt.instances.set(i.taskId, i);
    this.byTask.set(i.taskId, i);
  }

  removeInstance(i: Instance): void {
    this.apps.get(i.appId)?.instances.delete(i.taskId);
    this.byTask.delete(i.taskId);
  }

  instance(taskId: string): Instance | undefined {
    return this.byTask.get(taskId);
  }

  allInstances(): IterableIterator<Instance> {
    return this.byTask.values();
  }

  setDeployment(rt: AppRuntime, d: Deployment): void {
    if (rt.deployment && rt.deployment.id !== d.id) this.running.delete(rt.deployment.id);
    rt.deployment = d;
    this.running.set(d.id, d);
  }

  /** Moves a deployment that ended to the finished list (newest first, bounded). */
  finishDeployment(rt: AppRuntime | undefined, d: Deployment): void {
    this.running.delete(d.id);
    if (rt?.deployment?.id === d.id) rt.deployment = undefined;
    this.finished.unshift(d);
    if (this.finished.length > FINISHED_DEPLOYMENTS_KEPT) this.finished.length = FINISHED_DEPLOYMENTS_KEPT;
  }

  deployment(id: string): Deployment | undefined {
    return this.running.get(id) ?? this.finished.find((d) => d.id === id);
  }

  runningDeployments(): Deployment[] {
    return [...this.running.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  finishedDeployments(): readonly Deployment[] {
    return this.finished;
  }
}

/**
 * The built-in framework behind `POST /v1/tasks`: runs one-off commands, as `mesos-execute` does for Mesos.
 * It holds submitted tasks until an offer fits them (resources and constraints), launches them, and keeps
 * offers suppressed while it has nothing to run. It uses only the SDK.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import {
  containsResources,
  describeShortfall,
  formatResources,
  subtractResources,
  unmetConstraint,
  type Constraint,
  type HealthCheck,
  type Offer,
  type Resources,
  type Scheduler,
  type SchedulerDriver,
  type TaskInfo,
  type TaskStatus,
  type UriInfo,
} from '../../core/sdk/index.ts';

export interface ExecuteRequest {
  name: string;
  /** A shell string, or argv. */
  command: string | string[];
  resources: Resources;
  env?: Record<string, string>;
  constraints?: Constraint[];
  killGracePeriodMs?: number;
  /** Fetched into the sandbox before the command starts. */
  uris?: UriInfo[];
  /** Run by the agent. */
  healthCheck?: HealthCheck;
}

export interface PendingTask {
  id: string;
  request: ExecuteRequest;
  submittedAt: number;
  /** Why the last offers could not take it. */
  pendingReason?: string;
}

/**
 * Where submitted tasks are kept until launched, so that a failover does not forget one the API accepted (the
 * leader's registry; see services/server/leader-services.ts). Writes are ordered after the master's own: once a
 * task's entry is deleted after its launch, the master's record of the task is stored too.
 */
export interface PendingJournal {
  put(task: PendingTask): Promise<void>;
  delete(id: string): Promise<void>;
}

const slug = (name: string): string => name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'task';

export class ExecuteFramework implements Scheduler {
  private readonly pending = new Map<string, PendingTask>();
  private driver?: SchedulerDriver;
  private suppressed = false;
  private readonly log: Logger;

  constructor(private readonly deps: { clock: Clock; logger: Logger; journal?: PendingJournal }) {
    this.log = deps.logger.child({ component: 'execute-framework' });
  }

  attach(driver: SchedulerDriver): void {
    this.driver = driver;
  }

  submit(request: ExecuteRequest): PendingTask {
    const id = `${slug(request.name)}.${randomUUID().slice(0, 8)}`;
    const task: PendingTask = { id, request, submittedAt: this.deps.clock.now(), pendingReason: 'waiting for an offer' };
    this.pending.set(id, task);
    if (this.suppressed && this.driver) {
      this.suppressed = false;
      void this.driver.revive();
    }
    return task;
  }

  /** As `submit`, resolving once the task is journaled (when there is a journal): accepted tasks survive a failover. */
  async submitDurably(request: ExecuteRequest): Promise<PendingTask> {
    const task = this.submit(request);
    try {
      await this.deps.journal?.put(task);
    } catch (e) {
      this.pending.delete(task.id);
      throw e;
    }
    return task;
  }

  /** Takes back tasks journaled by an earlier leader and not launched (they keep their ids). */
  restore(tasks: PendingTask[]): void {
    for (const t of tasks) this.pending.set(t.id, { ...t, pendingReason: 'waiting for an offer (taken over from the previous leader)' });
    if (tasks.length > 0 && this.suppressed && this.driver) {
      this.suppressed = false;
      void this.driver.revive();
    }
  }

  getPending(id: string): PendingTask | undefined {
    return this.pending.get(id);
  }

  listPending(): PendingTask[] {
    return [...this.pending.values()];
  }

  /** Drops a task that has not been launched yet; false when it is not pending. */
  cancel(id: string): boolean {
    if (this.pending.has(id)) void this.forget(id);
    return this.pending.delete(id);
  }

  async offers(driver: SchedulerDriver, offers: Offer[]): Promise<void> {
    if (this.pending.size === 0) {
      await driver.decline(offers.map((o) => o.id), { refuseSeconds: 3600 });
      if (!this.suppressed) {
        this.suppressed = true;
        await driver.suppress();
      }
      return;
    }
    for (const offer of offers) {
      let remaining = offer.resources;
      const placed: PendingTask[] = [];
      for (const task of this.pending.values()) {
        const unmet = unmetConstraint(offer, task.request.constraints ?? []);
        if (unmet) {
          task.pendingReason = `agent ${offer.hostname} does not meet constraint ${JSON.stringify(unmet)}`;
          continue;
        }
        if (!containsResources(remaining, task.request.resources)) {
          task.pendingReason = `no offer fits ${formatResources(task.request.resources)}: ${describeShortfall(task.request.resources, remaining)} on ${offer.hostname}`;
          continue;
        }
        remaining = subtractResources(remaining, task.request.resources);
        placed.push(task);
      }
      if (placed.length === 0) {
        await driver.decline([offer.id], { refuseSeconds: 5 });
        continue;
      }
      for (const t of placed) this.pending.delete(t.id);
      const result = await driver.launch([offer.id], placed.map((t) => this.taskInfo(t, offer.agentId)), { refuseSeconds: 1 });
      if (result.ok) for (const t of placed) void this.forget(t.id);
      if (!result.ok) {
        // The offer vanished (rescinded) or the master refused the launch: keep the tasks for the next offer.
        this.log.warn({ offerId: offer.id, error: result.error }, 'launch refused; tasks stay pending');
        for (const t of placed) {
          t.pendingReason = `launch refused: ${result.error.message}`;
          this.pending.set(t.id, t);
        }
      }
    }
  }

  private async forget(id: string): Promise<void> {
    try {
      await this.deps.journal?.delete(id);
    } catch (e) {
      // A deposed leader's write is fenced; the next leader skips entries of tasks its master already knows.
      this.log.debug({ err: e, taskId: id }, 'pending journal entry not deleted');
    }
  }

  update(_driver: SchedulerDriver, status: TaskStatus): void {
    this.log.debug({ taskId: status.taskId, state: status.state }, 'task update');
  }

  private taskInfo(task: PendingTask, agentId: string): TaskInfo {
    const { request } = task;
    const command = typeof request.command === 'string' ? { shell: true, value: request.command, env: request.env } : { shell: false, arguments: request.command, env: request.env };
    const info: TaskInfo = { taskId: task.id, name: request.name, agentId, resources: request.resources, command };
    if (request.killGracePeriodMs !== undefined) info.killGracePeriodMs = request.killGracePeriodMs;
    if (request.uris?.length) info.command.uris = request.uris;
    if (request.healthCheck) info.healthCheck = request.healthCheck;
    return info;
  }
}

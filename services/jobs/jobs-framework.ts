/**
 * The jobs service's framework on the SDK: it holds the runs waiting for resources, launches them from
 * offers that fit (resources and constraints), keeps offers suppressed while it has nothing to launch and
 * revives when work arrives, and hands task updates to the run supervisor. It knows tasks, not jobs.
 *
 *   enqueue(launch) ──► pending (FIFO) ──revive──► OFFERS ──fit──► ACCEPT(LAUNCH) ──► onLaunched
 *   UPDATE ──► onStatus (the driver acknowledges after it returns)        nothing pending ──► SUPPRESS
 *
 * It re-subscribes as itself (framework id in Redis) after a restart and after the master drops the
 * subscription; after every subscription `onSubscribed` lets the supervisor reconcile its runs' tasks.
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import {
  SchedulerDriver,
  containsResources,
  describeShortfall,
  formatResources,
  subtractResources,
  unmetConstraint,
  type CommandInfo,
  type Constraint,
  type FrameworkIdStore,
  type Offer,
  type Resources,
  type Scheduler,
  type TaskInfo,
  type TaskStatus,
  type Transport,
} from '../../core/sdk/index.ts';

export interface LaunchRequest {
  taskId: string;
  name: string;
  resources: Resources;
  command: CommandInfo;
  constraints: readonly Constraint[];
  killGracePeriodMs?: number;
  labels?: Record<string, string>;
}

export interface JobsFrameworkHooks {
  /** The master accepted the launch of these tasks on this offer's agent. */
  onLaunched(launches: LaunchRequest[], offer: Offer): void;
  /**
   * A task update. Updates of one task arrive in order, one at a time; updates of different tasks run
   * concurrently. A reliable update is acknowledged once this resolves (so persist before resolving).
   */
  onStatus(status: TaskStatus): Promise<void>;
  /** (Re)subscribed: reconcile the tasks of the runs you believe active. */
  onSubscribed(): Promise<void>;
}

/** Chronos' and Marathon's failover timeout: the master keeps our tasks a week while we are away. */
const FAILOVER_TIMEOUT_MS = 7 * 24 * 3600 * 1000;
const RESUBSCRIBE_MS = { initial: 500, max: 30_000 };

export class JobsFramework implements Scheduler {
  private readonly pending = new Map<string, { launch: LaunchRequest; reason: string }>();
  /** Per task, the tail of its update handling: the next update of that task waits for it. */
  private readonly updateChains = new Map<string, Promise<void>>();
  private driver?: SchedulerDriver;
  private suppressed = false;
  /** Something was declined or left over since the last revive: the master may be filtering agents for us. */
  private filtered = false;
  private stopping = false;
  private resubscribeDelay = RESUBSCRIBE_MS.initial;
  private resubscribeTimer?: TimerHandle;
  private readonly log: Logger;

  constructor(
    private readonly deps: { transport: () => Transport; idStore: FrameworkIdStore; clock: Clock; logger: Logger; hooks: JobsFrameworkHooks; name?: string },
  ) {
    this.log = deps.logger.child({ component: 'jobs-framework' });
  }

  get frameworkId(): string | undefined {
    return this.driver?.frameworkId;
  }

  /** Subscribes (as the stored framework id when there is one). Throws when the master refuses. */
  async start(): Promise<void> {
    this.stopping = false;
    const r = await this.subscribe();
    if (!r.ok) throw new Error(`jobs framework could not subscribe: ${r.message}`);
  }

  private async subscribe(): Promise<{ ok: true } | { ok: false; message: string }> {
    const driver = new SchedulerDriver(
      this.deps.transport(),
      { name: this.deps.name ?? 'orrery-jobs', role: '*', failoverTimeoutMs: FAILOVER_TIMEOUT_MS },
      this,
      // Explicit acknowledgements: an update is acknowledged once handled, while the driver goes on
      // delivering offers and other tasks' updates (implicit ones would handle every update in series).
      { logger: this.deps.logger, idStore: this.deps.idStore, implicitAcknowledgements: false },
    );
    this.driver = driver;
    const r = await driver.start();
    if (!r.ok) return { ok: false, message: r.error.message };
    this.resubscribeDelay = RESUBSCRIBE_MS.initial;
    // A re-subscription keeps whatever suppression and filters the master held for the old one: revive now
    // when launches wait, else at the first enqueue.
    this.suppressed = true;
    if (this.pending.size > 0) {
      this.suppressed = false;
      this.filtered = false;
      const revived = await driver.revive();
      if (!revived.ok) this.log.warn({ error: revived.error }, 'revive refused');
    }
    await this.deps.hooks.onSubscribed();
    return { ok: true };
  }

  /** Leaves without tearing down: tasks keep running, and a restart re-subscribes as the same framework. */
  stop(): void {
    this.stopping = true;
    this.resubscribeTimer?.cancel();
    this.driver?.stop();
  }

  /**
   * Queues a launch; the next fitting offer takes it. Revives when offers were suppressed or filtered
   * (declines and launch leftovers withhold an agent for a while), so a new run never waits for a filter.
   */
  enqueue(launch: LaunchRequest): void {
    this.pending.set(launch.taskId, { launch, reason: 'waiting for an offer' });
    if ((this.suppressed || this.filtered) && this.driver?.frameworkId) {
      this.suppressed = false;
      this.filtered = false;
      void this.driver.revive().then((r) => !r.ok && this.log.warn({ error: r.error }, 'revive refused'));
    }
  }

  /** Drops a launch that has not happened; false when it is not pending. */
  cancel(taskId: string): boolean {
    return this.pending.delete(taskId);
  }

  isPending(taskId: string): boolean {
    return this.pending.has(taskId);
  }

  /** Why a pending launch has not happened yet. */
  pendingReason(taskId: string): string | undefined {
    return this.pending.get(taskId)?.reason;
  }

  async kill(taskId: string, agentId: string | undefined, killGracePeriodMs?: number): Promise<boolean> {
    if (!this.driver?.frameworkId) return false;
    const r = await this.driver.kill(taskId, { ...(agentId && { agentId }), ...(killGracePeriodMs !== undefined && { killGracePeriodMs }) });
    if (!r.ok) this.log.warn({ taskId, error: r.error }, 'kill refused');
    return r.ok;
  }

  async reconcile(tasks: Array<{ taskId: string; agentId?: string }>): Promise<void> {
    if (!this.driver?.frameworkId || tasks.length === 0) return;
    const r = await this.driver.reconcile(tasks);
    if (!r.ok) this.log.warn({ error: r.error }, 'reconcile refused');
  }

  async offers(driver: SchedulerDriver, offers: Offer[]): Promise<void> {
    this.filtered = true;
    if (this.pending.size === 0) {
      await driver.decline(offers.map((o) => o.id), { refuseSeconds: 3600 });
      if (!this.suppressed) {
        this.suppressed = true;
        await driver.suppress();
      }
      return;
    }
    await Promise.all(offers.map((offer) => this.useOffer(driver, offer)));
  }

  private async useOffer(driver: SchedulerDriver, offer: Offer): Promise<void> {
    let remaining = offer.resources;
    const placed: LaunchRequest[] = [];
    for (const entry of this.pending.values()) {
      const { launch } = entry;
      const unmet = unmetConstraint(offer, launch.constraints);
      if (unmet) {
        entry.reason = `agent ${offer.hostname} does not meet constraint ${JSON.stringify(unmet)}`;
        continue;
      }
      if (!containsResources(remaining, launch.resources)) {
        entry.reason = `no offer fits ${formatResources(launch.resources)}: ${describeShortfall(launch.resources, remaining)} on ${offer.hostname}`;
        continue;
      }
      remaining = subtractResources(remaining, launch.resources);
      placed.push(launch);
    }
    if (placed.length === 0) {
      await driver.decline([offer.id], { refuseSeconds: 5 });
      return;
    }
    for (const l of placed) this.pending.delete(l.taskId);
    const tasks: TaskInfo[] = placed.map((l) => ({
      taskId: l.taskId,
      name: l.name,
      agentId: offer.agentId,
      resources: l.resources,
      command: l.command,
      ...(l.killGracePeriodMs !== undefined && { killGracePeriodMs: l.killGracePeriodMs }),
      ...(l.labels && { labels: l.labels }),
    }));
    const r = await driver.launch([offer.id], tasks, { refuseSeconds: 1 });
    if (!r.ok) {
      // The offer was rescinded or the master refused: the runs wait for the next offer.
      this.log.warn({ offerId: offer.id, error: r.error }, 'launch refused; runs stay queued');
      for (const l of placed) this.pending.set(l.taskId, { launch: l, reason: `launch refused: ${r.error.message}` });
      return;
    }
    this.deps.hooks.onLaunched(placed, offer);
  }

  update(driver: SchedulerDriver, status: TaskStatus): void {
    const taskId = status.taskId;
    const handled = (this.updateChains.get(taskId) ?? Promise.resolve())
      .then(() => this.deps.hooks.onStatus(status))
      .then(async () => {
        if (!status.uuid) return;
        const r = await driver.acknowledge(status);
        // A duplicate delivery was acknowledged already; a closed subscription makes the master re-send.
        if (!r.ok && r.error.code !== 'UPDATE_NOT_FOUND') this.log.debug({ taskId, error: r.error }, 'acknowledgement refused');
      })
      .catch((e: unknown) => this.log.error({ err: e, taskId, state: status.state }, 'task update not handled; the master will re-send it'));
    this.updateChains.set(taskId, handled);
    void handled.then(() => {
      if (this.updateChains.get(taskId) === handled) this.updateChains.delete(taskId);
    });
  }

  disconnected(_driver: SchedulerDriver, reason: string): void {
    if (this.stopping) return;
    this.log.warn({ reason, retryInMs: this.resubscribeDelay }, 'jobs framework lost its subscription; re-subscribing');
    this.resubscribeTimer?.cancel();
    this.resubscribeTimer = this.deps.clock.setTimeout(() => void this.retrySubscribe(), this.resubscribeDelay);
    this.resubscribeDelay = Math.min(RESUBSCRIBE_MS.max, this.resubscribeDelay * 2);
  }

  private async retrySubscribe(): Promise<void> {
    if (this.stopping) return;
    try {
      const r = await this.subscribe();
      if (!r.ok) this.disconnected(this.driver!, r.message);
    } catch (e) {
      this.log.error({ err: e }, 'jobs framework re-subscription failed');
      this.disconnected(this.driver!, 'error while re-subscribing');
    }
  }
}

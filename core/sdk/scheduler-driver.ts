/**
 * The framework side of the protocol: a `Scheduler` receives callbacks, a `SchedulerDriver` sends calls.
 * Jobs, apps and the built-in execute framework use exactly this and nothing else of the core.
 *
 * Ordering: callbacks run one at a time, in the order the master sent the events; a callback that returns a
 * promise is awaited before the next event is delivered. With implicit acknowledgements (the default) an
 * UPDATE is acknowledged after `update()` has returned (or its promise resolved), so a crash in between means
 * the master re-sends it: handlers must be idempotent.
 */
import type { Logger } from '../logging/logger.ts';
import { err, type Result } from '../errors/result.ts';
import type { Call, CallError, Event, Filters, FrameworkInfo, Offer, Operation, TaskInfo, TaskStatus } from './protocol.ts';
import type { Transport } from './transport.ts';

export interface Scheduler {
  subscribed?(driver: SchedulerDriver, frameworkId: string): void | Promise<void>;
  /**
   * Prefer issuing launches and declines here without awaiting their results: a launch resolves only once the
   * master has persisted its tasks, and until this callback's promise settles the framework's next events (more
   * offers, status updates to acknowledge) wait in the driver, while the master keeps those offers and
   * unacknowledged updates in memory. Check the results when they come instead.
   */
  offers(driver: SchedulerDriver, offers: Offer[]): void | Promise<void>;
  rescinded?(driver: SchedulerDriver, offerId: string): void | Promise<void>;
  update(driver: SchedulerDriver, status: TaskStatus): void | Promise<void>;
  failure?(driver: SchedulerDriver, agentId: string, message: string): void | Promise<void>;
  error?(driver: SchedulerDriver, message: string): void | Promise<void>;
  /** The subscription ended (master stopped, teardown, replaced). */
  disconnected?(driver: SchedulerDriver, reason: string): void | Promise<void>;
}

/** Where a framework keeps its id between restarts, so it re-subscribes as itself and keeps its tasks. */
export interface FrameworkIdStore {
  load(): Promise<string | undefined>;
  save(frameworkId: string): Promise<void>;
}

export interface DriverOptions {
  logger: Logger;
  implicitAcknowledgements?: boolean;
  idStore?: FrameworkIdStore;
}

export class SchedulerDriver {
  private session?: { frameworkId: string; streamId: string };
  private queue: Event[] = [];
  private draining = false;
  /** Set while `start` subscribes: events are queued, not dispatched, until the session is known. */
  private held = false;
  /** Set by `stop`: nothing more reaches the scheduler (the master delivers unacknowledged updates again). */
  private stopped = false;
  private subscriptions = 0;
  private readonly log: Logger;
  private readonly implicitAcks: boolean;

  constructor(
    private readonly transport: Transport,
    private info: FrameworkInfo,
    private readonly scheduler: Scheduler,
    private readonly opts: DriverOptions,
  ) {
    this.log = opts.logger.child({ component: 'driver', framework: info.name });
    this.implicitAcks = opts.implicitAcknowledgements ?? true;
  }

  get frameworkId(): string | undefined {
    return this.session?.frameworkId;
  }

  /**
   * Subscribes (re-subscribing with the stored id when there is one) and reconciles every task the master
   * knows for this framework, as the Mesos guide asks after each (re)subscription.
   */
  async start(): Promise<Result<{ frameworkId: string }, CallError>> {
    // Events that arrive while subscribing (an in-process master sends SUBSCRIBED before `subscribe` returns) wait
    // until the session is known, so a scheduler's `subscribed` can already call the master (e.g. reconcile).
    this.held = true;
    this.stopped = false;
    const storedId = this.info.id ?? (await this.opts.idStore?.load());
    let result = await this.transport.subscribe({ ...this.info, id: storedId }, (e) => this.enqueue(e), (reason) => this.onClose(reason));
    if (!result.ok && storedId && result.error.code === 'FRAMEWORK_NOT_FOUND') {
      this.log.warn({ frameworkId: storedId }, 'stored framework id no longer known; subscribing as a new framework');
      const { id: _dropped, ...fresh } = this.info;
      result = await this.transport.subscribe(fresh, (e) => this.enqueue(e), (reason) => this.onClose(reason));
    }
    if (!result.ok) {
      this.release();
      return result;
    }
    this.session = result.value;
    this.release();
    this.info = { ...this.info, id: result.value.frameworkId };
    await this.opts.idStore?.save(result.value.frameworkId);
    await this.reconcile([]);
    return { ok: true, value: { frameworkId: result.value.frameworkId } };
  }

  /**
   * Leaves without tearing down: the master keeps the tasks for the framework's failover timeout. Events not yet
   * dispatched are dropped, and none is dispatched after this: an update the scheduler did not see is not
   * acknowledged either, so the master sends it again at the next subscription.
   */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.transport.close();
    this.session = undefined;
  }

  accept(offerIds: string[], operations: Operation[], filters?: Filters): Promise<Result<void, CallError>> {
    return this.send({ type: 'ACCEPT', offerIds, operations, filters });
  }

  launch(offerIds: string[], tasks: TaskInfo[], filters?: Filters): Promise<Result<void, CallError>> {
    return this.accept(offerIds, [{ type: 'LAUNCH', tasks }], filters);
  }

  decline(offerIds: string[], filters?: Filters): Promise<Result<void, CallError>> {
    return this.send({ type: 'DECLINE', offerIds, filters });
  }

  kill(taskId: string, opts: { agentId?: string; killGracePeriodMs?: number } = {}): Promise<Result<void, CallError>> {
    return this.send({ type: 'KILL', taskId, ...opts });
  }

  reconcile(tasks: Array<{ taskId: string; agentId?: string }>): Promise<Result<void, CallError>> {
    return this.send({ type: 'RECONCILE', tasks });
  }

  acknowledge(status: TaskStatus): Promise<Result<void, CallError>> {
    if (!status.uuid) return Promise.resolve({ ok: true, value: undefined });
    return this.send({ type: 'ACKNOWLEDGE', agentId: status.agentId, taskId: status.taskId, uuid: status.uuid });
  }

  revive(): Promise<Result<void, CallError>> {
    return this.send({ type: 'REVIVE' });
  }

  suppress(): Promise<Result<void, CallError>> {
    return this.send({ type: 'SUPPRESS' });
  }

  /** Ends the framework: the master kills its tasks and forgets it. */
  async teardown(): Promise<Result<void, CallError>> {
    const r = await this.send({ type: 'TEARDOWN' });
    this.session = undefined;
    return r;
  }

  private send(call: Call): Promise<Result<void, CallError>> {
    if (!this.session) return Promise.resolve(err({ code: 'FRAMEWORK_NOT_SUBSCRIBED', message: 'the driver is not subscribed' }));
    return this.transport.call(this.session.frameworkId, this.session.streamId, call);
  }

  private enqueue(event: Event): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (!this.draining && !this.held) void this.drain();
  }

  private release(): void {
    this.held = false;
    if (!this.draining && this.queue.length > 0) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let event = this.queue.shift(); event && !this.stopped; event = this.queue.shift()) {
        try {
          await this.dispatch(event);
        } catch (e) {
          this.log.error({ err: e, event: event.type }, 'scheduler callback failed');
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async dispatch(event: Event): Promise<void> {
    const s = this.scheduler;
    switch (event.type) {
      case 'SUBSCRIBED':
        // A transport that reconnects by itself (HTTP) re-subscribes without start(): reconcile as after any
        // subscription, so updates lost with the old connection come back.
        if (++this.subscriptions > 1) void this.reconcile([]).then((r) => !r.ok && this.log.warn({ error: r.error }, 'reconciliation after re-subscription refused'));
        await s.subscribed?.(this, event.frameworkId);
        return;
      case 'OFFERS':
        await s.offers(this, event.offers);
        return;
      case 'RESCIND':
        await s.rescinded?.(this, event.offerId);
        return;
      case 'UPDATE': {
        await s.update(this, event.status);
        // Not after a stop during the callback: the update comes again to the next subscription.
        if (this.implicitAcks && event.status.uuid && !this.stopped) {
          // Sent, not awaited: the next event need not wait a round trip to the master (over HTTP that would
          // cap a framework at one update per round trip). An acknowledgement that is lost is harmless: the
          // master re-sends the update and the next one is acknowledged.
          const taskId = event.status.taskId;
          void this.acknowledge(event.status).then((r) => {
            // A duplicate delivery was already acknowledged: nothing to do.
            if (!r.ok && r.error.code !== 'UPDATE_NOT_FOUND') this.log.warn({ taskId, error: r.error }, 'acknowledgement refused');
          });
        }
        return;
      }
      case 'FAILURE':
        await s.failure?.(this, event.agentId, event.message);
        return;
      case 'ERROR':
        await s.error?.(this, event.message);
        return;
      case 'HEARTBEAT':
        return;
    }
  }

  private onClose(reason: string): void {
    this.session = undefined;
    this.log.info({ reason }, 'subscription closed');
    void Promise.resolve(this.scheduler.disconnected?.(this, reason)).catch((e: unknown) => this.log.error({ err: e }, 'disconnected callback failed'));
  }
}

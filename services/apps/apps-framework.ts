/**
 * The apps service as a framework on the SDK (the `Scheduler` callbacks). Offers: place waiting instances
 * (constraints, resources, ports), record each instance in the store, then launch; decline what fits nothing
 * and record why per agent. Updates: keep instances' states, start health checks on RUNNING, count failures for
 * the backoff, forget ended tasks. Suppresses offers while nothing waits, revives when something does.
 */
import { randomUUID } from 'node:crypto';
import { isTerminal, subtractResources, type Offer, type Scheduler, type SchedulerDriver, type TaskInfo, type TaskStatus, type UriInfo } from '../../core/sdk/index.ts';
import type { PlacedInstance } from './app-constraints.ts';
import type { AppsContext } from './apps-context.ts';
import { isLive, storedInstance, type AppRuntime, type Instance } from './apps-model.ts';
import { agentCheckKey, agentHealthCheck } from './agent-health.ts';
import { recordFailure } from './launch-backoff.ts';
import { instanceEnv, instanceScalars, placeInstance } from './placement.ts';

/** States that count as a failure of the app for its backoff (Marathon: FAILED and FINISHED; not KILLED). */
const FAILURE_STATES = new Set(['FAILED', 'FINISHED', 'ERROR']);
/** States worth showing as the app's last task failure. */
const REPORTED_STATES = new Set(['FAILED', 'FINISHED', 'ERROR', 'DROPPED', 'LOST', 'GONE']);

export interface FrameworkHooks {
  /** An instance became RUNNING: start its health checks. */
  running(rt: AppRuntime, instance: Instance): void;
  /** An instance ended or is gone: stop its health checks. */
  gone(instance: Instance): void;
  /** The agent reported the health of a RUNNING instance (the check it runs: the app's first). */
  health(rt: AppRuntime, instance: Instance, status: TaskStatus): void;
  /** The subscription ended: subscribe again. */
  disconnected(reason: string): void;
}

export function taskIdFor(appId: string): string {
  return `${appId.slice(1).replace(/\//g, '_')}.${randomUUID()}`;
}

export class AppsFramework implements Scheduler {
  private suppressed = false;
  /** Offers were declined for long since the last revive: their filters must be cleared before new work. */
  private turnedAway = false;
  private offersInUse = 0;
  /** Set by `stop`: no offer is used, no update applied (a restart reconciles what happens meanwhile). */
  private stopping = false;
  /** Callbacks and store writes in progress, which `idle` waits for. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: AppsContext,
    private readonly hooks: FrameworkHooks,
  ) {}

  /**
   * Stops taking work: offers are declined and nothing is launched from now on (an offer being placed stops
   * before its launch), updates are ignored — the tasks killed while the cluster stops are learned by the next
   * start's reconciliation, which replaces them then, not now. Then `idle` waits for what is in flight.
   */
  stop(): void {
    this.stopping = true;
  }

  /** Resolves when no callback and no store write started by one is in flight. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = (): void => void this.inFlight.delete(p);
    p.then(done, done);
    return p;
  }

  /** After every (re)subscription (the driver holds its session by then): reconcile every instance we know. */
  async subscribed(driver: SchedulerDriver, frameworkId: string): Promise<void> {
    if (this.stopping) return;
    this.ctx.log.info({ frameworkId, instances: [...this.ctx.registry.allInstances()].length }, 'apps framework subscribed');
    // A fresh subscription starts unsuppressed; filters of an earlier one may remain.
    this.suppressed = false;
    this.turnedAway = true;
    await this.reconcileKnown(driver);
    this.ctx.kick();
  }

  /**
   * Asks the master for the state of every instance we know, by id: tasks that ended while the service was away
   * (killed by a clean stop after the service had left, lost with a crashed agent) come back in their terminal
   * state — or UNKNOWN when the master forgot them — and are replaced. An implicit reconciliation would not do:
   * the master answers it with its non-terminal tasks only.
   */
  private async reconcileKnown(driver: SchedulerDriver): Promise<boolean> {
    const known = [...this.ctx.registry.allInstances()].map((i) => ({ taskId: i.taskId, agentId: i.agentId }));
    if (known.length === 0) return true;
    const r = await driver.reconcile(known);
    if (r.ok) return true;
    this.ctx.log.warn({ error: r.error, instances: known.length }, 'reconciliation refused');
    return false;
  }

  /**
   * Revives or suppresses offers as the supervisor's demand changes. A revive also clears the filters of long
   * declines, so it is sent whenever offers were turned away since the last one. Never suppresses while offers
   * are being used: a suppress rescinds outstanding offers, including the one about to be accepted.
   */
  demand(wanted: boolean, via?: SchedulerDriver): void {
    const driver = via ?? this.ctx.driver();
    if (!driver) return;
    if (wanted) {
      if (!this.suppressed && !this.turnedAway) return;
      this.suppressed = false;
      this.turnedAway = false;
      void driver.revive().then((r) => {
        if (!r.ok) {
          this.ctx.log.warn({ error: r.error }, 'revive refused; retried on the next pass');
          this.turnedAway = true;
        }
      });
      return;
    }
    if (this.suppressed || this.offersInUse > 0) return;
    this.suppressed = true;
    void driver.suppress().then((r) => {
      if (!r.ok) {
        this.ctx.log.warn({ error: r.error }, 'suppress refused; retried on the next pass');
        this.suppressed = false;
      }
    });
  }

  async offers(driver: SchedulerDriver, offers: Offer[]): Promise<void> {
    if (this.stopping) {
      await driver.decline(offers.map((o) => o.id));
      return;
    }
    return this.track(this.useOffers(driver, offers));
  }

  private async useOffers(driver: SchedulerDriver, offers: Offer[]): Promise<void> {
    const now = this.ctx.clock.now();
    const waiting = [...this.ctx.registry.apps.values()].filter((rt) => rt.launchWanted > 0);
    if (waiting.length === 0) {
      this.turnedAway = true;
      await driver.decline(offers.map((o) => o.id), { refuseSeconds: 300 });
      this.demand(false, driver);
      return;
    }
    this.offersInUse++;
    try {
      await Promise.all(offers.map((offer) => this.useOffer(driver, offer, waiting, now)));
    } finally {
      this.offersInUse--;
    }
    this.ctx.kick();
  }

  private async useOffer(driver: SchedulerDriver, offer: Offer, waiting: AppRuntime[], now: number): Promise<void> {
    let remaining = offer.resources;
    const launched: Instance[] = [];
    const tasks: TaskInfo[] = [];
    const agent = { hostname: offer.hostname, attributes: offer.attributes };
    const apps = waiting.map((rt) => ({ rt, scalars: instanceScalars(rt.record.spec), placed: placedOf(rt), stuck: false }));
    // Round-robin: one instance per app per pass, so apps share an agent instead of the first taking it all.
    for (let progress = true; progress; ) {
      progress = false;
      for (const a of apps) {
        if (a.stuck || a.rt.launchWanted <= 0) continue;
        const spec = a.rt.record.spec;
        const placed = placeInstance(spec, a.scalars, agent, remaining, a.placed);
        if (!placed.ok) {
          a.stuck = true;
          if (launched.every((i) => i.appId !== spec.id)) a.rt.offerReasons.set(offer.agentId, { agentId: offer.agentId, hostname: offer.hostname, reason: placed.error, at: now });
          continue;
        }
        remaining = subtractResources(remaining, placed.value.resources);
        const taskId = taskIdFor(spec.id);
        const inst: Instance = {
          taskId,
          appId: spec.id,
          config: a.rt.record.config,
          version: a.rt.record.version,
          agentId: offer.agentId,
          hostname: offer.hostname,
          attributes: offer.attributes,
          ports: placed.value.hostPorts,
          stagedAt: now,
          state: 'STAGING',
          updatedAt: now,
          health: [],
        };
        const env = instanceEnv(spec, { hostname: offer.hostname, hostPorts: inst.ports, taskId, version: inst.version });
        const command = spec.cmd !== undefined ? { shell: true, value: spec.cmd, env } : { shell: false, arguments: spec.args, env };
        const info: TaskInfo = { taskId, name: spec.id, agentId: offer.agentId, resources: placed.value.resources, command };
        if (spec.uris.length || spec.fetch?.length) info.command.uris = taskUris(spec);
        if (spec.taskKillGracePeriodSeconds !== undefined) info.killGracePeriodMs = Math.round(spec.taskKillGracePeriodSeconds * 1000);
        if (Object.keys(spec.labels).length) info.labels = spec.labels;
        const [first] = spec.healthChecks;
        if (first) {
          info.healthCheck = agentHealthCheck(first);
          inst.agentCheck = agentCheckKey(first);
        }
        a.rt.launchWanted--;
        a.rt.offerReasons.delete(offer.agentId);
        a.rt.lastOfferAt = now;
        a.placed.push(agent);
        this.ctx.registry.addInstance(a.rt, inst);
        launched.push(inst);
        tasks.push(info);
        progress = true;
      }
    }
    for (const a of apps) if (!launched.some((i) => i.appId === a.rt.record.spec.id)) a.rt.lastOfferAt = now;
    if (tasks.length === 0) {
      // Turned away although nothing was tried on it (the demand was met by other offers): new demand must
      // revive so this agent is offered again at once. Misfits stay filtered: reviving for them would loop.
      if (!apps.some((a) => a.stuck)) this.turnedAway = true;
      await driver.decline([offer.id], { refuseSeconds: this.ctx.options.declineSeconds });
      return;
    }
    try {
      // Recorded before the launch: a task the service launched is never one it does not know after a restart.
      await this.ctx.store.putInstances(launched.map(storedInstance));
    } catch (e) {
      if (!this.stopping) this.ctx.log.warn({ err: e, offerId: offer.id }, 'instances not stored; offer declined');
      this.forget(launched);
      await driver.decline([offer.id], { refuseSeconds: 1 });
      return;
    }
    if (this.stopping) {
      // Stopping while the instances were stored: not launched, and not left in the store.
      this.forget(launched);
      await driver.decline([offer.id]);
      await this.unstore(launched);
      return;
    }
    const r = await driver.launch([offer.id], tasks, { refuseSeconds: 1 });
    if (!r.ok) {
      if (this.stopping) this.ctx.log.info({ offerId: offer.id, error: r.error.code }, 'launch not done: the service is stopping');
      else this.ctx.log.warn({ offerId: offer.id, error: r.error }, 'launch refused; instances wait for the next offer');
      this.forget(launched);
      void this.track(this.unstore(launched));
    }
  }

  private async unstore(list: Instance[]): Promise<void> {
    try {
      await this.ctx.store.deleteInstances(list.map((i) => i.taskId));
    } catch (e) {
      // A leftover record comes back after a restart, is reconciled as UNKNOWN and removed then.
      this.ctx.log.warn({ err: e }, 'unlaunched instances not removed from the store');
    }
  }

  private forget(list: Instance[]): void {
    for (const i of list) this.ctx.registry.removeInstance(i);
  }

  /**
   * Applies a status update, then acknowledges it (the driver's implicit acknowledgements are off): an update
   * is acknowledged only once applied. While stopping (the agents may be killing their tasks) updates are neither
   * applied — that would relaunch, or write to a closing store — nor acknowledged: the master sends them again to
   * the next subscription, whose reconciliation replaces the ended instances.
   */
  async update(driver: SchedulerDriver, status: TaskStatus): Promise<void> {
    if (this.stopping) return;
    await this.track(this.applyUpdate(driver, status));
    if (!status.uuid) return;
    void driver.acknowledge(status).then((r) => {
      // A duplicate delivery was already acknowledged; a stopping service has left (the update comes again).
      if (!r.ok && r.error.code !== 'UPDATE_NOT_FOUND' && !this.stopping) this.ctx.log.warn({ taskId: status.taskId, error: r.error }, 'acknowledgement refused');
    });
  }

  private async applyUpdate(driver: SchedulerDriver, status: TaskStatus): Promise<void> {
    const inst = this.ctx.registry.instance(status.taskId);
    if (!inst) {
      if (!isTerminal(status.state) && status.state !== 'UNKNOWN') {
        this.ctx.log.warn({ taskId: status.taskId, state: status.state }, 'killing a task no app knows');
        await driver.kill(status.taskId, { agentId: status.agentId });
      }
      return;
    }
    const rt = this.ctx.registry.apps.get(inst.appId);
    const now = this.ctx.clock.now();
    const previous = inst.state;
    inst.state = status.state;
    inst.updatedAt = now;
    if (status.message !== undefined) inst.message = status.message;
    if (status.state === 'RUNNING' && inst.startedAt === undefined) inst.startedAt = status.timestamp;
    if (status.state === 'RUNNING' && inst.runningSince === undefined) inst.runningSince = now;
    if (previous !== status.state) {
      this.ctx.events.publish('app.task_status', {
        appId: inst.appId,
        taskId: inst.taskId,
        state: status.state,
        agentId: inst.agentId,
        hostname: inst.hostname,
        ports: inst.ports,
        version: inst.version,
        ...(status.reason ? { reason: status.reason } : {}),
        ...(status.message ? { message: status.message } : {}),
      });
    }
    if (rt && status.state === 'RUNNING' && previous !== 'RUNNING') this.hooks.running(rt, inst);
    if (rt && status.state === 'RUNNING' && status.healthy !== undefined) this.hooks.health(rt, inst, status);
    if (isTerminal(status.state) || status.state === 'UNKNOWN') {
      this.hooks.gone(inst);
      this.ctx.registry.removeInstance(inst);
      if (rt) this.noteEnd(rt, inst, status, now);
      try {
        await this.ctx.store.deleteInstances([inst.taskId]);
      } catch (e) {
        // A leftover record comes back after a restart, is reconciled as UNKNOWN and removed then.
        this.ctx.log.warn({ taskId: inst.taskId, err: e }, 'ended instance not removed from the store');
      }
    } else if (!isLive(status.state)) {
      this.hooks.gone(inst);
    }
    this.ctx.kick();
  }

  private noteEnd(rt: AppRuntime, inst: Instance, status: TaskStatus, now: number): void {
    const killedForHealth = status.state === 'KILLED' && (inst.killReason === 'UNHEALTHY' || inst.killReason === 'NEVER_HEALTHY');
    // A failed launch (NEVER_HEALTHY) was counted for the backoff when its kill was decided.
    const failed = (FAILURE_STATES.has(status.state) && inst.killReason === undefined) || (killedForHealth && inst.killReason === 'UNHEALTHY');
    if (REPORTED_STATES.has(status.state) || killedForHealth) {
      const detail = status.message ?? (status.exitCode !== undefined ? `exit code ${status.exitCode}` : status.reason ?? '');
      rt.lastFailure = {
        taskId: inst.taskId,
        state: status.state,
        message: killedForHealth ? `killed: ${inst.doomed ?? 'unhealthy'}` : detail || status.state,
        at: status.timestamp,
        hostname: inst.hostname,
        version: inst.version,
      };
    }
    if (failed && inst.config === rt.record.config) {
      rt.backoff = recordFailure(rt.backoff, rt.record.spec, now);
      this.ctx.counters.backoffs++;
    }
  }

  /** An agent was lost: its instances no longer count; the master's updates (or a reconcile) settle them. */
  async failure(driver: SchedulerDriver, agentId: string, message: string): Promise<void> {
    if (this.stopping) return;
    const lost = [...this.ctx.registry.allInstances()].filter((i) => i.agentId === agentId && isLive(i.state));
    this.ctx.log.warn({ agentId, message, instances: lost.length }, 'agent lost; replacing its instances');
    for (const i of lost) {
      i.state = 'UNREACHABLE';
      this.hooks.gone(i);
    }
    if (lost.length) await driver.reconcile(lost.map((i) => ({ taskId: i.taskId, agentId })));
    this.ctx.kick();
  }

  disconnected(_driver: SchedulerDriver, reason: string): void {
    this.suppressed = false;
    this.turnedAway = true;
    this.hooks.disconnected(reason);
  }
}

function taskUris(spec: AppRuntime['record']['spec']): UriInfo[] {
  const out: UriInfo[] = spec.uris.map((value) => ({ value, extract: true }));
  for (const f of spec.fetch ?? []) {
    const u: UriInfo = { value: f.uri, extract: f.extract ?? true };
    if (f.executable !== undefined) u.executable = f.executable;
    if (f.cache !== undefined) u.cache = f.cache;
    if (f.outputFile !== undefined) u.outputFile = f.outputFile;
    out.push(u);
  }
  return out;
}

function placedOf(rt: AppRuntime): PlacedInstance[] {
  const out: PlacedInstance[] = [];
  for (const i of rt.instances.values()) if (isLive(i.state) && i.killRequestedAt === undefined) out.push({ hostname: i.hostname, attributes: i.attributes });
  return out;
}

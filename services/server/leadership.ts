/**
 * The leadership lifecycle of one master replica: campaign → lead (one term) → step down → campaign again, for as
 * long as the process runs. While it follows it knows who leads (for `GET /v1/leader` and for forwarding).
 *
 *   start() ─► campaign() ──won epoch──► store.setEpoch(epoch) ─► publish LeaderInfo (fenced) ─► startTerm(epoch)
 *      ▲                                                                                              │
 *      └──────── term.stop() (never kills a task) ◄── contender 'lost' (renew failed / lease taken) ◄──┘
 *
 * A replica that loses the lease stops acting at once: `term` turns undefined synchronously with 'lost', so
 * requests arriving from then on are forwarded or refused, and the term's services are stopped right after. Any
 * write the deposed term still attempts carries the old epoch and is rejected by Redis (registry-store.ts).
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { CampaignCancelledError, type RedisLeaderContender } from '../../core/coordination/leader-contender.ts';
import type { RedisRegistryStore } from '../../core/coordination/registry-store.ts';
import type { LeaderInfo } from './routes/cluster-routes.ts';

/** Where the leader publishes its LeaderInfo (fenced, so only the current term's leader can). */
const LEADER_COLLECTION = 'cluster';
const LEADER_ID = 'leader';

export interface Term {
  stop(): Promise<void>;
}

export interface LeadershipOptions<T extends Term> {
  contender: RedisLeaderContender;
  store: RedisRegistryStore;
  /** This replica's id (the contender's) and the address followers forward to (known once the server listens). */
  self: { id: string; address(): string };
  /** Starts what the leader runs; called with the term's epoch once the store holds it. */
  startTerm(epoch: number): Promise<T>;
  /** Told of every term start (the term) and end (undefined), synchronously. */
  onTerm?(term: T | undefined): void;
  clock: Clock;
  logger: Logger;
  /** How often a follower re-reads who leads; default 500 ms. */
  pollMs?: number;
}

export class Leadership<T extends Term> {
  private current?: { info: LeaderInfo; term: T };
  private known?: LeaderInfo;
  private stopping = false;
  private pollTimer?: TimerHandle;
  private loop?: Promise<void>;
  private firstTerm: { promise: Promise<void>; resolve(): void };
  private wakeLost?: () => void;
  private readonly log: Logger;

  constructor(private readonly opts: LeadershipOptions<T>) {
    this.log = opts.logger.child({ component: 'leadership' });
    let resolve!: () => void;
    this.firstTerm = { promise: new Promise<void>((r) => (resolve = r)), resolve };
  }

  /** The running term while this replica leads. */
  get term(): T | undefined {
    return this.current?.term;
  }

  /** Who leads, as far as this replica knows: itself while leading, else what it last read from Redis. */
  get leader(): LeaderInfo | undefined {
    return this.current?.info ?? this.known;
  }

  get isLeader(): boolean {
    return this.current !== undefined;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    const poll = (): void => void this.refreshKnownLeader();
    this.pollTimer = this.opts.clock.setInterval(poll, this.opts.pollMs ?? 500);
    poll();
  }

  /** Resolves once this replica has led (its first term started); for `orrery up`, which needs its master. */
  led(): Promise<void> {
    return this.firstTerm.promise;
  }

  /** Stops the term (tasks keep running) and gives the lease up. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pollTimer?.cancel();
    const current = this.current;
    this.end();
    if (current) await this.stopTerm(current.term);
    await this.opts.contender.resign();
    this.wakeLost?.();
    await this.loop;
  }

  /** Asks Redis who leads now (also after a forward to the last known leader failed). */
  async refreshKnownLeader(): Promise<void> {
    if (this.current || this.stopping) return;
    try {
      const lease = await this.opts.contender.leaderNow();
      if (!lease) {
        this.known = undefined;
        return;
      }
      // Re-read each time: the same replica may have won again, with a newer epoch.
      const published = await this.opts.store.get<LeaderInfo>(LEADER_COLLECTION, LEADER_ID);
      // Until the new leader published its info, it is not known (requests get 503 + Retry-After meanwhile).
      this.known = published?.id === lease.id ? published : undefined;
    } catch (e) {
      this.log.debug({ err: e }, 'could not read who leads');
    }
  }

  private async run(): Promise<void> {
    const { contender, store, clock } = this.opts;
    while (!this.stopping) {
      let epoch: number;
      try {
        ({ epoch } = await contender.campaign());
      } catch (e) {
        if (e instanceof CampaignCancelledError) return;
        throw e;
      }
      if (this.stopping) return;
      let onLost!: () => void;
      const lost = new Promise<void>((resolve) => {
        this.wakeLost = resolve;
        onLost = () => resolve();
        contender.once('lost', onLost);
      });
      store.setEpoch(epoch);
      const info: LeaderInfo = { id: this.opts.self.id, address: this.opts.self.address(), epoch, electedAt: new Date(clock.now()).toISOString() };
      let term: T | undefined;
      try {
        await store.put(LEADER_COLLECTION, LEADER_ID, info);
        term = await this.opts.startTerm(epoch);
      } catch (e) {
        this.log.error({ err: e, epoch }, 'could not start leading; giving the lease up');
      }
      if (!term || !contender.isLeader || contender.epoch !== epoch || this.stopping) {
        contender.off('lost', onLost);
        if (term) await this.stopTerm(term);
        if (contender.isLeader && contender.epoch === epoch) await contender.resign();
        // Give another replica the chance to take over before trying again.
        if (!this.stopping) await new Promise<void>((r) => clock.setTimeout(r, 1000));
        continue;
      }
      this.current = { info, term };
      this.known = undefined;
      this.opts.onTerm?.(term);
      this.log.info({ epoch }, 'leading');
      this.firstTerm.resolve();
      await lost;
      if (this.stopping) return;
      // 'lost': stop acting at once, then clean up and campaign again.
      this.end();
      this.log.warn({ epoch }, 'stepped down: the lease was lost; stopping the master (tasks keep running) and campaigning again');
      await this.stopTerm(term);
    }
  }

  private end(): void {
    if (!this.current) return;
    this.current = undefined;
    this.opts.onTerm?.(undefined);
  }

  private async stopTerm(term: T): Promise<void> {
    try {
      await term.stop();
    } catch (e) {
      this.log.warn({ err: e }, 'stopping the term failed');
    }
  }
}

import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Logger } from '../logging/logger.ts';
import { registryKeys, type RegistryKeys } from './keys.ts';
import { coordinationScripts, type CoordinationScripts } from './scripts.ts';

export interface LeaderContenderOptions {
  /** Unique per process incarnation (e.g. host:port:pid). */
  id: string;
  /** Lease length; renewed every ttl/3, campaigned for every ttl/3. */
  ttlMs: number;
  /** Where followers forward requests to (e.g. `http://10.0.0.5:5050`). */
  address?: string;
}

export interface LeaderInfo {
  id: string;
  address?: string;
}

/** Why a leader stepped down without being asked. */
export type LostReason = 'lease-lost' | 'renew-failing';

export interface LeaderContenderEvents {
  elected: [{ epoch: number }];
  /** Emitted once per term that ends without `resign()`; stop acting as leader at once. */
  lost: [{ epoch: number; reason: LostReason }];
  /** One lease renewal answered (`renewed`), found the lease gone (`lost`) or failed (`failed`), after `ms`. */
  renew: [{ epoch: number; ms: number; result: 'renewed' | 'lost' | 'failed' }];
}

/** Thrown into a pending `campaign()` when `resign()` is called before it won. */
export class CampaignCancelledError extends Error {
  readonly code = 'CAMPAIGN_CANCELLED';
  constructor() {
    super('campaign cancelled by resign()');
    this.name = 'CampaignCancelledError';
  }
}

/**
 * One candidate for the leader lease (`SET leader NX PX` via `acquireLease`), with its fencing epoch.
 *
 * - `campaign()` tries now, then every ttl/3, and resolves when this contender leads. Each win opens
 *   a new term with a strictly larger epoch; hand it to `RedisRegistryStore.setEpoch`.
 * - While leading, the lease is renewed (compare-and-extend) every ttl/3. If a renew answers 0 the
 *   lease is gone: step down at once. If renews keep failing, step down when the lease may have
 *   expired on the server, i.e. ttl after the last successful renew was SENT (the server's expiry is
 *   never earlier than that). Either way 'lost' is emitted and `isLeader` turns false before it.
 * - `resign()` stops campaigning/renewing and releases the lease (compare-and-delete); no 'lost'.
 * After a loss or a resign, `campaign()` may be called again.
 */
export class RedisLeaderContender extends EventEmitter<LeaderContenderEvents> {
  private readonly keys: RegistryKeys;
  private readonly scripts: CoordinationScripts;
  private readonly log: Logger;
  private token: string;
  private readonly ttlMs: number;
  private readonly period: number;
  private leading = false;
  private currentEpoch = 0;
  private campaign_: { promise: Promise<{ epoch: number }>; resolve(v: { epoch: number }): void; reject(e: Error): void } | null = null;
  private retryTimer: TimerHandle | null = null;
  private renewTimer: TimerHandle | null = null;
  private deadlineTimer: TimerHandle | null = null;
  private renewInFlight = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: LeaderContenderOptions,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    super();
    if (!opts.id) throw new Error('leader contender needs an id');
    if (!Number.isFinite(opts.ttlMs) || opts.ttlMs < 30) throw new Error(`lease ttl must be >= 30 ms, got ${opts.ttlMs}`);
    this.keys = registryKeys(prefix);
    this.scripts = coordinationScripts(redis);
    this.log = logger.child({ component: 'leader-contender', contender: opts.id });
    const info: LeaderInfo = opts.address === undefined ? { id: opts.id } : { id: opts.id, address: opts.address };
    this.token = JSON.stringify(info);
    this.ttlMs = Math.round(opts.ttlMs);
    this.period = Math.max(10, Math.floor(this.ttlMs / 3));
  }

  /** Where followers forward to, once known (e.g. the server bound port 0); only before the first campaign. */
  setAddress(address: string): void {
    if (this.leading || this.campaign_) throw new Error('setAddress() after campaign()');
    this.token = JSON.stringify({ id: this.opts.id, address } satisfies LeaderInfo);
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The epoch of the current term, or of the last one after stepping down (0 before the first win). */
  get epoch(): number {
    return this.currentEpoch;
  }

  get id(): string {
    return this.opts.id;
  }

  /** Resolves when this contender leads (at once if it already does). Concurrent calls share one campaign. */
  campaign(): Promise<{ epoch: number }> {
    if (this.leading) return Promise.resolve({ epoch: this.currentEpoch });
    if (this.campaign_) return this.campaign_.promise;
    let resolve!: (v: { epoch: number }) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<{ epoch: number }>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.campaign_ = { promise, resolve, reject };
    this.log.info({ ttlMs: this.ttlMs }, 'campaigning for leadership');
    void this.tryAcquire();
    return promise;
  }

  /** Stops campaigning and renewing and gives the lease up if it is still ours. */
  async resign(): Promise<void> {
    this.retryTimer?.cancel();
    this.retryTimer = null;
    if (this.campaign_) {
      const pending = this.campaign_;
      this.campaign_ = null;
      pending.reject(new CampaignCancelledError());
    }
    if (!this.leading) return;
    this.endTerm();
    this.log.info({ epoch: this.currentEpoch }, 'resigning leadership');
    try {
      await this.scripts.releaseLease(this.keys.leader, this.token);
    } catch (error) {
      // The lease then simply expires after its ttl; nobody waits longer than that.
      this.log.warn({ err: error }, 'lease release failed');
    }
  }

  /** Who holds the lease now (read on this contender's connection), or null. Advisory, as `currentLeader`. */
  leaderNow(): Promise<LeaderInfo | null> {
    return RedisLeaderContender.currentLeader(this.redis, this.prefix);
  }

  /** Who holds the lease now, or null. Advisory: by the time it is used the lease may have moved. */
  static async currentLeader(redis: Redis, prefix: string): Promise<LeaderInfo | null> {
    const raw = await redis.get(registryKeys(prefix).leader);
    if (raw === null) return null;
    let parsed: Partial<LeaderInfo> | null;
    try {
      parsed = JSON.parse(raw) as Partial<LeaderInfo> | null;
    } catch {
      // Not one of our JSON tokens (set by hand or by an older version): report it verbatim.
      return { id: raw };
    }
    if (typeof parsed?.id !== 'string') return { id: raw };
    return typeof parsed.address === 'string' ? { id: parsed.id, address: parsed.address } : { id: parsed.id };
  }

  private async tryAcquire(): Promise<void> {
    this.retryTimer = null;
    const mine = this.campaign_;
    if (!mine) return;
    const sentAt = this.clock.now();
    let epoch = 0;
    try {
      epoch = await this.scripts.acquireLease(this.keys.leader, this.keys.epoch, this.token, this.ttlMs);
    } catch (error) {
      this.log.warn({ err: error }, 'lease acquire failed');
    }
    if (this.campaign_ !== mine) {
      // resign() came while the script ran. If we won, give the lease straight back, unless a new
      // campaign has started since: its own acquire (same token) opens a newer term anyway.
      if (epoch > 0 && !this.campaign_ && !this.leading) await this.releaseQuietly();
      return;
    }
    if (epoch <= 0) {
      this.retryTimer = this.clock.setTimeout(() => void this.tryAcquire(), this.period);
      return;
    }
    const pending = mine;
    this.campaign_ = null;
    this.leading = true;
    this.currentEpoch = epoch;
    this.armDeadline(sentAt);
    this.renewTimer = this.clock.setInterval(() => this.renew(), this.period);
    this.log.info({ epoch }, 'elected leader');
    pending.resolve({ epoch });
    this.emit('elected', { epoch });
  }

  private renew(): void {
    if (!this.leading || this.renewInFlight) return;
    const epoch = this.currentEpoch;
    const sentAt = this.clock.now();
    const t0 = performance.now();
    this.renewInFlight = true;
    this.scripts.renewLease(this.keys.leader, this.token, this.ttlMs).then(
      (renewed) => {
        this.renewInFlight = false;
        this.emit('renew', { epoch, ms: performance.now() - t0, result: renewed === 1 ? 'renewed' : 'lost' });
        if (!this.leading || this.currentEpoch !== epoch) return;
        if (renewed === 1) this.armDeadline(sentAt);
        else this.stepDown('lease-lost');
      },
      (error: unknown) => {
        this.renewInFlight = false;
        this.emit('renew', { epoch, ms: performance.now() - t0, result: 'failed' });
        // The deadline timer steps down if this goes on for as long as the lease could still be valid.
        this.log.warn({ err: error, epoch }, 'lease renew failed');
      },
    );
  }

  /** The lease is valid on the server until at least `sentAt + ttl`; we stop leading then at the latest. */
  private armDeadline(sentAt: number): void {
    this.deadlineTimer?.cancel();
    const remaining = sentAt + this.ttlMs - this.clock.now();
    this.deadlineTimer = this.clock.setTimeout(() => this.stepDown('renew-failing'), Math.max(0, remaining));
  }

  private stepDown(reason: LostReason): void {
    if (!this.leading) return;
    this.endTerm();
    this.log.warn({ epoch: this.currentEpoch, reason }, 'leadership lost');
    this.emit('lost', { epoch: this.currentEpoch, reason });
  }

  private endTerm(): void {
    this.leading = false;
    this.renewTimer?.cancel();
    this.deadlineTimer?.cancel();
    this.renewTimer = null;
    this.deadlineTimer = null;
  }

  private async releaseQuietly(): Promise<void> {
    try {
      await this.scripts.releaseLease(this.keys.leader, this.token);
    } catch (error) {
      this.log.warn({ err: error }, 'lease release failed');
    }
  }
}

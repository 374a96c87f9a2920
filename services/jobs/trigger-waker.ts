/**
 * Wakes delayed triggers at their instant. BullMQ's worker waits for its next delayed job with a blocking
 * BZPOPMIN whose timeout Redis only checks in its periodic cron (`hz`, 10 times a second by default): on an
 * otherwise quiet Redis a trigger is handed over up to 100 ms after it is due. (Measured on Redis 7.0: a
 * 5 ms BZPOPMIN returns after ~100 ms.) A replica that knows a trigger's instant keeps a timer and, when it
 * fires, promotes the trigger to waiting, which wakes the worker at once.
 *
 *   addOccurrences / addRetry / sweep ──arm(id, at)──► timer ──at──► promote(id) ──► worker wakes now
 *                                                       └ BullMQ's own delay stays the fallback
 *
 * Only an optimisation: a lost timer (replica down, horizon) leaves the trigger to BullMQ's own timing, and
 * a promotion that finds the trigger gone or active already (another replica promoted it first, the worker
 * took it) changes nothing. Triggers beyond the horizon are not armed (no timer per far-away cron job, and
 * none past setTimeout's 24.8-day limit); the periodic sweep arms them once they come within it.
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';

export interface TriggerWakerDeps {
  clock: Clock;
  /** Triggers due further away than this are not armed (the sweep arms them later). */
  horizonMs: number;
  /** Moves the delayed trigger `id` to waiting; resolves false when it is no longer delayed. */
  promote(id: string): Promise<boolean>;
  /** A promotion failed for another reason (Redis down): the trigger keeps its BullMQ delay. */
  onError(id: string, e: unknown): void;
}

export class TriggerWaker {
  private readonly armed = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(private readonly deps: TriggerWakerDeps) {}

  /** Arms a wake-up for trigger `id` at `at`, unless it is due already, beyond the horizon, or armed. */
  arm(id: string, at: number): void {
    const delay = at - this.deps.clock.now();
    // A due trigger is added to the waiting list by BullMQ itself, which wakes the worker.
    if (this.stopped || delay <= 0 || delay > this.deps.horizonMs || this.armed.has(id)) return;
    this.armed.set(id, this.deps.clock.setTimeout(() => this.fire(id, at), delay));
  }

  private fire(id: string, at: number): void {
    this.armed.delete(id);
    const early = at - this.deps.clock.now();
    // Node's timers may fire a millisecond before the wall clock reaches `at`: never hand a trigger over early.
    if (early > 0) {
      if (!this.stopped) this.armed.set(id, this.deps.clock.setTimeout(() => this.fire(id, at), early));
      return;
    }
    this.deps.promote(id).catch((e: unknown) => this.deps.onError(id, e));
  }

  /** The trigger was removed: no wake-up. */
  disarm(id: string): void {
    this.armed.get(id)?.cancel();
    this.armed.delete(id);
  }

  /** Wake-ups armed now (for tests and metrics). */
  get size(): number {
    return this.armed.size;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.armed.values()) t.cancel();
    this.armed.clear();
  }
}

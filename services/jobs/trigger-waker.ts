/**
 * Wakes delayed triggers at their instant. BullMQ's worker waits for its next delayed job with a blocking
 * BZPOPMIN whose timeout Redis only checks in its periodic cron (`hz`, 10 times a second by default): on an
 * otherwise quiet Redis a trigger is handed over up to 100 ms after it is due. (Measured on Redis 7.0: a
 * 5 ms BZPOPMIN returns after ~100 ms.) A replica that knows a trigger's instant keeps a timer and, when it
 * fires, promotes the trigger to waiting, which wakes the worker at once.
 *
 *   addOccurrences / addRetry / sweep ──arm(id, at)──► one timer per instant ──at──► promote(first id)
 *                                                        └ BullMQ's own delay stays the fallback
 *
 * One promotion per instant is enough: the woken worker's fetch moves every due delayed job to waiting
 * (BullMQ's moveToActive promotes them in bulk), so a burst of 200 triggers due together costs one call, not
 * 200. When the first trigger is not delayed any more (another replica promoted it, the worker took it, it
 * was removed), the next one of that instant is tried.
 *
 * Only an optimisation: a lost timer (replica down, horizon) leaves the trigger to BullMQ's own timing.
 * Triggers beyond the horizon are not armed (no timer per far-away cron job, and none past setTimeout's
 * 24.8-day limit); the periodic sweep arms them once they come within it.
 */
import type { Clock, TimerHandle } from '../../core/clock/clock.ts';

export interface TriggerWakerDeps {
  clock: Clock;
  /** Triggers due further away than this are not armed (the sweep arms them later). */
  horizonMs: number;
  /** Moves the delayed trigger `id` to waiting; resolves false when it is no longer delayed. */
  promote(id: string): Promise<boolean>;
  /** A promotion failed for another reason (Redis down): the triggers keep their BullMQ delay. */
  onError(id: string, e: unknown): void;
}

interface Instant {
  ids: Set<string>;
  timer: TimerHandle;
}

export class TriggerWaker {
  private readonly instants = new Map<number, Instant>();
  private readonly armedAt = new Map<string, number>();
  private stopped = false;

  constructor(private readonly deps: TriggerWakerDeps) {}

  /** Arms a wake-up for trigger `id` at `at`, unless it is due already, beyond the horizon, or armed. */
  arm(id: string, at: number): void {
    const delay = at - this.deps.clock.now();
    // A due trigger is added to the waiting list by BullMQ itself, which wakes the worker.
    if (this.stopped || delay <= 0 || delay > this.deps.horizonMs || this.armedAt.has(id)) return;
    this.armedAt.set(id, at);
    const instant = this.instants.get(at);
    if (instant) instant.ids.add(id);
    else this.instants.set(at, { ids: new Set([id]), timer: this.deps.clock.setTimeout(() => void this.fire(at), delay) });
  }

  /** The trigger was removed: no wake-up for it. */
  disarm(id: string): void {
    const at = this.armedAt.get(id);
    if (at === undefined) return;
    this.armedAt.delete(id);
    const instant = this.instants.get(at);
    if (!instant) return;
    instant.ids.delete(id);
    if (instant.ids.size === 0) {
      instant.timer.cancel();
      this.instants.delete(at);
    }
  }

  /** Triggers armed now (for tests and metrics). */
  get size(): number {
    return this.armedAt.size;
  }

  stop(): void {
    this.stopped = true;
    for (const i of this.instants.values()) i.timer.cancel();
    this.instants.clear();
    this.armedAt.clear();
  }

  private async fire(at: number): Promise<void> {
    const instant = this.instants.get(at);
    if (!instant) return;
    const early = at - this.deps.clock.now();
    // Node's timers may fire a millisecond before the wall clock reaches `at`: never hand a trigger over early.
    if (early > 0) {
      instant.timer = this.deps.clock.setTimeout(() => void this.fire(at), early);
      return;
    }
    this.instants.delete(at);
    for (const id of instant.ids) this.armedAt.delete(id);
    for (const id of instant.ids) {
      if (this.stopped) return;
      try {
        if (await this.deps.promote(id)) return;
      } catch (e) {
        this.deps.onError(id, e);
        return;
      }
    }
  }
}

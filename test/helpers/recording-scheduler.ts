/** A Scheduler for tests: records what the master sends and lets each test decide what to do with offers. */
import type { Offer, Scheduler, SchedulerDriver, TaskStatus } from '../../core/sdk/index.ts';

export class RecordingScheduler implements Scheduler {
  readonly offersSeen: Offer[] = [];
  readonly outstanding = new Map<string, Offer>();
  readonly updates: TaskStatus[] = [];
  readonly rescinds: string[] = [];
  onOffers?: (driver: SchedulerDriver, offers: Offer[]) => void | Promise<void>;

  offers(driver: SchedulerDriver, offers: Offer[]): void | Promise<void> {
    this.offersSeen.push(...offers);
    for (const o of offers) this.outstanding.set(o.id, o);
    return this.onOffers?.(driver, offers);
  }

  rescinded(_driver: SchedulerDriver, offerId: string): void {
    this.rescinds.push(offerId);
    this.outstanding.delete(offerId);
  }

  update(_driver: SchedulerDriver, status: TaskStatus): void {
    this.updates.push(status);
  }

  /** Takes an outstanding offer out of the record (the test is about to answer it). */
  take(): Offer | undefined {
    const first = this.outstanding.values().next();
    if (first.done) return undefined;
    this.outstanding.delete(first.value.id);
    return first.value;
  }

  latest(taskId: string): TaskStatus | undefined {
    for (let i = this.updates.length - 1; i >= 0; i--) if (this.updates[i].taskId === taskId) return this.updates[i];
    return undefined;
  }
}

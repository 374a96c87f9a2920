/**
 * Outstanding offers. An offer holds resources the allocator already counts as allocated to its framework;
 * whoever removes an offer (accept, decline, rescind, timeout) gives the unused part back to the allocator.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Offer } from '../sdk/protocol.ts';
import type { IdSequence } from './ids.ts';

interface OfferEntry {
  offer: Offer;
  createdAt: number;
  timer?: TimerHandle;
}

export class OfferBook {
  private readonly offers = new Map<string, OfferEntry>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdSequence,
    /** Offers not answered within this are rescinded; 0 = never. */
    private readonly timeoutMs: number,
    private readonly onTimeout: (offer: Offer) => void,
  ) {}

  get size(): number {
    return this.offers.size;
  }

  create(fields: Omit<Offer, 'id'>): Offer {
    const offer: Offer = { id: this.ids.next(), ...fields };
    const entry: OfferEntry = { offer, createdAt: this.clock.now() };
    if (this.timeoutMs > 0) {
      entry.timer = this.clock.setTimeout(() => {
        if (this.offers.get(offer.id) === entry) {
          this.offers.delete(offer.id);
          this.onTimeout(offer);
        }
      }, this.timeoutMs);
    }
    this.offers.set(offer.id, entry);
    return offer;
  }

  get(offerId: string): Offer | undefined {
    return this.offers.get(offerId)?.offer;
  }

  /** Removes and returns the offer; undefined when it is gone (accepted, declined, rescinded or timed out). */
  take(offerId: string): Offer | undefined {
    const entry = this.offers.get(offerId);
    if (!entry) return undefined;
    entry.timer?.cancel();
    this.offers.delete(offerId);
    return entry.offer;
  }

  ofFramework(frameworkId: string): Offer[] {
    return [...this.offers.values()].filter((e) => e.offer.frameworkId === frameworkId).map((e) => e.offer);
  }

  onAgent(agentId: string): Offer[] {
    return [...this.offers.values()].filter((e) => e.offer.agentId === agentId).map((e) => e.offer);
  }

  countOfFramework(frameworkId: string): number {
    let n = 0;
    for (const e of this.offers.values()) if (e.offer.frameworkId === frameworkId) n++;
    return n;
  }

  clear(): void {
    for (const e of this.offers.values()) e.timer?.cancel();
    this.offers.clear();
  }
}

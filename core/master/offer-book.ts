/**
 * Outstanding offers. An offer holds resources the allocator already counts as allocated to its framework;
 * whoever removes an offer (accept, decline, rescind, timeout) gives the unused part back to the allocator.
 *
 * Offers are the master's most numerous short-lived objects: an allocation cycle over 10,000 agents makes
 * thousands, most declined at once. So an outstanding offer costs the Offer object and three array slots:
 * offers are kept in an open-addressing table keyed by their sequence number (the `n` of `<masterId>-O<n>`),
 * which never reallocates while its size is steady — a Map that swings between 0 and 10,000 entries every
 * cycle rebuilds its hash table at each doubling and each shrink. Expiry needs no timer per offer either:
 * every offer has the same timeout, so sequence order is expiry order and one timer for the oldest suffices.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { Attributes, Resources } from '../resources/types.ts';
import type { Offer } from '../sdk/protocol.ts';

const MIN_CAPACITY = 64;

/**
 * An offer as the master makes it. A class, not an object literal, on purpose: V8 "pretenures" a literal's
 * allocation site once most of its objects survive for a while (a framework sitting on thousands of offers),
 * and from then on allocates every offer straight into the old generation, where the millions declined at once
 * pile up as garbage until a full GC. Instances of a class are never pretenured that way.
 */
class MadeOffer implements Offer {
  constructor(
    public id: string,
    public frameworkId: string,
    public agentId: string,
    public hostname: string,
    public resources: Resources,
    public attributes: Attributes,
  ) {}
}

export class OfferBook {
  private seq = 0;
  private count = 0;
  /** Sequence numbers (0 = free slot), linear probing from `seq mod capacity`. */
  private keys: number[] = [];
  private offers: Array<Offer | undefined> = [];
  /** When each offer is rescinded if still unanswered (only with a timeout). */
  private expires: number[] = [];
  private mask = 0;
  /** With a timeout: no outstanding offer has a sequence number below this. */
  private oldest = 1;
  private timer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    /** Offer ids are `prefix + n`, n = 1, 2, …; the prefix ends in a non-digit. */
    private readonly prefix: string,
    /** Offers not answered within this are rescinded; 0 = never. */
    private readonly timeoutMs: number,
    private readonly onTimeout: (offer: Offer) => void,
  ) {
    this.allocate(MIN_CAPACITY);
  }

  get size(): number {
    return this.count;
  }

  create(fields: Omit<Offer, 'id'>): Offer {
    const n = ++this.seq;
    // join builds a flat string; `prefix + n` would be a rope, flattened (copied) on the first look-up by id.
    const offer = new MadeOffer([this.prefix, n].join(''), fields.frameworkId, fields.agentId, fields.hostname, fields.resources, fields.attributes);
    if ((this.count + 1) * 2 > this.keys.length) this.rehash(this.keys.length * 2);
    this.insert(n, offer, this.timeoutMs > 0 ? this.clock.now() + this.timeoutMs : 0);
    this.count++;
    if (this.timeoutMs > 0 && !this.timer) this.arm(this.timeoutMs);
    return offer;
  }

  get(offerId: string): Offer | undefined {
    const i = this.find(offerId);
    return i < 0 ? undefined : this.offers[i];
  }

  /** Removes and returns the offer; undefined when it is gone (accepted, declined, rescinded or timed out). */
  take(offerId: string): Offer | undefined {
    const i = this.find(offerId);
    if (i < 0) return undefined;
    const offer = this.offers[i];
    this.removeAt(i);
    return offer;
  }

  ofFramework(frameworkId: string): Offer[] {
    const out: Offer[] = [];
    for (const o of this.offers) if (o !== undefined && o.frameworkId === frameworkId) out.push(o);
    return out;
  }

  onAgent(agentId: string): Offer[] {
    const out: Offer[] = [];
    for (const o of this.offers) if (o !== undefined && o.agentId === agentId) out.push(o);
    return out;
  }

  countOfFramework(frameworkId: string): number {
    let n = 0;
    for (const o of this.offers) if (o !== undefined && o.frameworkId === frameworkId) n++;
    return n;
  }

  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.count = 0;
    this.oldest = this.seq + 1;
    this.allocate(MIN_CAPACITY);
  }

  /** Slot of the offer with this id, or -1. Ids not made by this book (wrong prefix, not a number) are simply not found. */
  private find(offerId: string): number {
    if (!offerId.startsWith(this.prefix)) return -1;
    let n = 0;
    const len = offerId.length;
    if (len === this.prefix.length || len - this.prefix.length > 15) return -1;
    for (let k = this.prefix.length; k < len; k++) {
      const d = offerId.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    const i = this.slotOf(n);
    // The id check also refuses spellings such as a leading zero that parse to a live offer's number.
    return i >= 0 && this.offers[i]!.id === offerId ? i : -1;
  }

  private slotOf(n: number): number {
    if (n <= 0) return -1;
    const keys = this.keys;
    for (let i = this.home(n); keys[i] !== 0; i = (i + 1) & this.mask) if (keys[i] === n) return i;
    return -1;
  }

  private home(n: number): number {
    return (n >>> 0) & this.mask;
  }

  private insert(n: number, offer: Offer, expiresAt: number): void {
    let i = this.home(n);
    while (this.keys[i] !== 0) i = (i + 1) & this.mask;
    this.keys[i] = n;
    this.offers[i] = offer;
    this.expires[i] = expiresAt;
  }

  /** Backward-shift deletion: later entries of the probe run move up, so lookups never need tombstones. */
  private removeAt(hole: number): void {
    const { keys, offers, expires, mask } = this;
    let i = hole;
    for (let j = (i + 1) & mask; keys[j] !== 0; j = (j + 1) & mask) {
      const h = this.home(keys[j]);
      // Entry j may fill the hole at i only if i lies (cyclically) between its home h and j.
      const movable = h <= j ? h <= i && i < j : i >= h || i < j;
      if (!movable) continue;
      keys[i] = keys[j];
      offers[i] = offers[j];
      expires[i] = expires[j];
      i = j;
    }
    keys[i] = 0;
    offers[i] = undefined;
    expires[i] = 0;
    this.count--;
  }

  private allocate(capacity: number): void {
    this.keys = new Array<number>(capacity).fill(0);
    this.offers = new Array<Offer | undefined>(capacity).fill(undefined);
    this.expires = new Array<number>(capacity).fill(0);
    this.mask = capacity - 1;
  }

  private rehash(capacity: number): void {
    const { keys, offers, expires } = this;
    this.allocate(capacity);
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.insert(keys[i], offers[i]!, expires[i]);
  }

  private arm(delayMs: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimeout(() => this.expire(), Math.max(0, delayMs));
  }

  /** Rescinds the oldest offers while they are due, then waits for the next oldest. */
  private expire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (; this.oldest <= this.seq; this.oldest++) {
      const i = this.slotOf(this.oldest);
      if (i < 0) continue;
      if (this.expires[i] > now) {
        this.arm(this.expires[i] - now);
        return;
      }
      const offer = this.offers[i]!;
      this.removeAt(i);
      this.onTimeout(offer);
    }
  }
}

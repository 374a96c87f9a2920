import type { Resources } from '../resources/types.ts';
import { containsResources } from '../resources/resources.ts';

/**
 * Whatever carries an agent's filters: the allocator's agent record, so a cycle needs no map lookup.
 * `filterOwners[i]` is the framework number of `filters[i]`; the cycle scans these plain numbers and
 * touches a filter object only on a match, which keeps the scan within a cache line or two.
 */
export interface FilterHolder {
  readonly filters: Filter[];
  readonly filterOwners: number[];
}

export interface Filter {
  /** The allocator's small integer for the framework (stable while the framework is known). */
  readonly owner: number;
  readonly holder: FilterHolder;
  readonly resources: Resources;
  /** Exclusive: the filter stops applying at this instant. */
  readonly expiresAt: number;
  /** Cleared early (revive, removal) or expired; dead filters left in a bucket are skipped. */
  dead: boolean;
}

/**
 * Refusal filters created by declines (`refuse_seconds`), per (framework, agent).
 *
 * A filter hides an agent from a framework while it is unexpired AND the agent's available resources
 * fit inside what was refused (Mesos `RefusedOfferFilter`): if more became free since, the framework may
 * want it, so the agent is offered again. Pure bookkeeping; time comes in as `now`.
 *
 * Layout, chosen for the cycle's hot path: each agent keeps its own short list (no lookup per agent);
 * filters are bucketed by expiry instant with a min-heap of instants, so a sweep walks whole buckets
 * instead of popping a heap of objects. There is deliberately no framework → agents index: keeping one
 * in step cost more than the cycle itself, and its only user, `clearFramework` (revive, removal), scans
 * the holders instead.
 */
export class OfferFilters {
  private buckets = new Map<number, Filter[]>();
  /** Min-heap of the keys of `buckets`. */
  private times: number[] = [];
  private live = 0;
  private dead = 0;
  private readonly perOwner = new Map<number, number>();

  add(owner: number, holder: FilterHolder, resources: Resources, expiresAt: number): void {
    const filter: Filter = { owner, holder, resources, expiresAt, dead: false };
    holder.filters.push(filter);
    holder.filterOwners.push(owner);
    this.perOwner.set(owner, (this.perOwner.get(owner) ?? 0) + 1);
    this.live++;
    const bucket = this.buckets.get(expiresAt);
    if (bucket) {
      bucket.push(filter);
    } else {
      this.buckets.set(expiresAt, [filter]);
      pushTime(this.times, expiresAt);
    }
  }

  isFiltered(owner: number, holder: FilterHolder, available: Resources, now: number): boolean {
    const owners = holder.filterOwners;
    for (let i = 0; i < owners.length; i++) {
      if (owners[i] !== owner) continue;
      const f = holder.filters[i];
      // Identity first: a whole declined offer usually comes back as the very object now available.
      if (f.expiresAt > now && (f.resources === available || containsResources(f.resources, available))) return true;
    }
    return false;
  }

  /** Drops every filter whose time is up. */
  expire(now: number): void {
    while (this.times.length > 0 && this.times[0] <= now) {
      const t = popTime(this.times);
      const bucket = this.buckets.get(t) ?? [];
      this.buckets.delete(t);
      for (const f of bucket) {
        if (f.dead) this.dead--;
        else this.drop(f, false);
      }
    }
  }

  /** REVIVE and framework removal. O(holders) when the framework has filters, O(1) otherwise. */
  clearFramework(owner: number, holders: Iterable<FilterHolder>): void {
    if (!this.perOwner.has(owner)) return;
    for (const holder of holders) {
      if (holder.filters.length === 0) continue;
      for (const f of holder.filters.filter((x) => x.owner === owner)) this.drop(f, true);
    }
    this.perOwner.delete(owner);
    this.compactIfStale();
  }

  /** Agent removal. */
  clearHolder(holder: FilterHolder): void {
    for (const f of [...holder.filters]) this.drop(f, true);
    this.compactIfStale();
  }

  count(): number {
    return this.live;
  }

  /** `early`: the filter stays in its bucket (counted as dead) until its time comes or a compaction. */
  private drop(f: Filter, early: boolean): void {
    const list = f.holder.filters;
    const at = list.indexOf(f);
    if (at >= 0) {
      const last = list.length - 1;
      list[at] = list[last];
      f.holder.filterOwners[at] = f.holder.filterOwners[last];
      list.pop();
      f.holder.filterOwners.pop();
    }
    f.dead = true;
    this.live--;
    if (early) this.dead++;
    const n = (this.perOwner.get(f.owner) ?? 1) - 1;
    if (n > 0) this.perOwner.set(f.owner, n);
    else this.perOwner.delete(f.owner);
  }

  /** Early-dropped filters normally leave at their expiry; rebuild when they dominate (long refusals, then revive). */
  private compactIfStale(): void {
    if (this.dead <= this.live + 1024) return;
    const old = this.buckets;
    this.buckets = new Map();
    this.times = [];
    this.dead = 0;
    for (const [t, bucket] of old) {
      const alive = bucket.filter((f) => !f.dead);
      if (alive.length === 0) continue;
      this.buckets.set(t, alive);
      pushTime(this.times, t);
    }
  }
}

function pushTime(h: number[], t: number): void {
  h.push(t);
  let i = h.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (h[parent] <= t) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = t;
}

function popTime(h: number[]): number {
  const top = h[0];
  const last = h.pop()!;
  if (h.length > 0) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && h[r] < h[l] ? r : l;
      if (h[c] >= last) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = last;
  }
  return top;
}

import type { Resources } from '../resources/types.ts';
import { containsResources } from '../resources/resources.ts';

/** Whatever carries an agent's filters: the allocator's agent record, so a cycle needs no map lookup. */
export interface FilterHolder {
  readonly filters: Filter[];
}

export interface Filter {
  readonly frameworkId: string;
  readonly holder: FilterHolder;
  readonly resources: Resources;
  /** Exclusive: the filter stops applying at this instant. */
  readonly expiresAt: number;
  /** Cleared early (revive, removal); its heap entry is skipped when it surfaces. */
  dead: boolean;
}

/**
 * Refusal filters created by declines (`refuse_seconds`), per (framework, agent).
 *
 * A filter hides an agent from a framework while it is unexpired AND the agent's available resources
 * fit inside what was refused (Mesos `RefusedOfferFilter`): if more became free since, the framework may
 * want it, so the agent is offered again. Pure bookkeeping; time comes in as `now`.
 *
 * Layout, chosen for the cycle's hot path: each agent keeps its own short list (no lookup per agent),
 * and one min-heap by expiry makes a cycle's sweep O(expired × log n). There is deliberately no
 * framework → agents index: keeping one in step cost more than the cycle itself, and the only user,
 * `clearFramework` (revive, removal), scans the holders instead.
 */
export class OfferFilters {
  private heap: Filter[] = [];
  private live = 0;
  private readonly perFramework = new Map<string, number>();

  add(frameworkId: string, holder: FilterHolder, resources: Resources, expiresAt: number): void {
    const filter: Filter = { frameworkId, holder, resources, expiresAt, dead: false };
    holder.filters.push(filter);
    this.perFramework.set(frameworkId, (this.perFramework.get(frameworkId) ?? 0) + 1);
    this.live++;
    this.push(filter);
  }

  isFiltered(frameworkId: string, holder: FilterHolder, available: Resources, now: number): boolean {
    for (const f of holder.filters) {
      if (f.frameworkId !== frameworkId || f.expiresAt <= now) continue;
      // Identity first: a whole declined offer usually comes back as the very object now available.
      if (f.resources === available || containsResources(f.resources, available)) return true;
    }
    return false;
  }

  /** Drops every filter whose time is up. */
  expire(now: number): void {
    while (this.heap.length > 0 && this.heap[0].expiresAt <= now) {
      const f = this.pop();
      if (!f.dead) this.drop(f);
    }
  }

  /** REVIVE and framework removal. O(holders) when the framework has filters, O(1) otherwise. */
  clearFramework(frameworkId: string, holders: Iterable<FilterHolder>): void {
    if (!this.perFramework.has(frameworkId)) return;
    for (const holder of holders) {
      if (holder.filters.length === 0) continue;
      for (const f of holder.filters.filter((x) => x.frameworkId === frameworkId)) this.drop(f);
    }
    this.perFramework.delete(frameworkId);
    this.compactIfStale();
  }

  /** Agent removal. */
  clearHolder(holder: FilterHolder): void {
    for (const f of [...holder.filters]) this.drop(f);
    this.compactIfStale();
  }

  count(): number {
    return this.live;
  }

  private drop(f: Filter): void {
    const list = f.holder.filters as Filter[];
    const at = list.indexOf(f);
    if (at >= 0) {
      list[at] = list[list.length - 1];
      list.pop();
    }
    f.dead = true;
    this.live--;
    const n = (this.perFramework.get(f.frameworkId) ?? 1) - 1;
    if (n > 0) this.perFramework.set(f.frameworkId, n);
    else this.perFramework.delete(f.frameworkId);
  }

  /** Dead entries are normally popped at expiry; rebuild when they dominate (e.g. long refusals then revive). */
  private compactIfStale(): void {
    if (this.heap.length <= 2 * this.live + 1024) return;
    const old = this.heap;
    this.heap = [];
    for (const f of old) if (!f.dead) this.push(f);
  }

  private push(f: Filter): void {
    const h = this.heap;
    h.push(f);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].expiresAt <= f.expiresAt) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = f;
  }

  private pop(): Filter {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && h[r].expiresAt < h[l].expiresAt ? r : l;
        if (h[c].expiresAt >= last.expiresAt) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

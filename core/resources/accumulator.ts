import type { Range, Resources } from './types.ts';
import { normalizeRanges } from './ranges.ts';
import { normalizeSet } from './sets.ts';
import { MAX_SCALAR } from './names.ts';

type Kind = 'scalar' | 'ranges' | 'set';

/**
 * Collects validated entries while reading text or JSON. A name seen twice with the same type adds up
 * (as Mesos does); with different types it is refused, because no later arithmetic could reconcile them.
 */
export class ResourceAccumulator {
  private readonly kinds = new Map<string, Kind>();
  private readonly scalars = new Map<string, number>();
  private readonly ranges = new Map<string, Range[]>();
  private readonly sets = new Map<string, string[]>();

  /** Returns an error message on a type conflict. `millis` is the value in thousandths. */
  addScalar(name: string, millis: number): string | undefined {
    const conflict = this.claim(name, 'scalar');
    if (conflict) return conflict;
    const total = (this.scalars.get(name) ?? 0) + millis;
    if (total > MAX_SCALAR * 1000) return `resource '${name}' adds up to more than ${MAX_SCALAR}`;
    this.scalars.set(name, total);
    return undefined;
  }

  addRanges(name: string, ranges: Range[]): string | undefined {
    const conflict = this.claim(name, 'ranges');
    if (conflict) return conflict;
    this.ranges.set(name, [...(this.ranges.get(name) ?? []), ...ranges]);
    return undefined;
  }

  addSet(name: string, items: string[]): string | undefined {
    const conflict = this.claim(name, 'set');
    if (conflict) return conflict;
    this.sets.set(name, [...(this.sets.get(name) ?? []), ...items]);
    return undefined;
  }

  /** Normalized result: zero scalars, empty ranges and empty sets are dropped. */
  build(): Resources {
    const out: Resources = { scalars: {}, ranges: {}, sets: {} };
    for (const [name, millis] of this.scalars) if (millis > 0) out.scalars[name] = millis / 1000;
    for (const [name, list] of this.ranges) if (list.length > 0) out.ranges[name] = normalizeRanges(list);
    for (const [name, items] of this.sets) if (items.length > 0) out.sets[name] = normalizeSet(items);
    return out;
  }

  private claim(name: string, kind: Kind): string | undefined {
    const prev = this.kinds.get(name);
    if (prev !== undefined && prev !== kind) return `resource '${name}' appears both as ${prev} and as ${kind}`;
    this.kinds.set(name, kind);
    return undefined;
  }
}

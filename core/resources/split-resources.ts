/**
 * Splits one agent's resources into `n` disjoint parts, for `orrery up --agents N` (several agents on one
 * host that together advertise what the host has). Scalars are divided in thousandths with the remainder on
 * the first part, so the parts add up exactly to the whole; each range resource is cut into `n` contiguous
 * blocks of (nearly) equal size; set items are dealt out in turn. Pure.
 */
import type { Range, Resources } from './types.ts';
import { normalizeResources } from './arithmetic.ts';
import { lowestOfRanges, rangesSize, subtractRangesNormalized } from './ranges.ts';

/** Preconditions: `r` is normalized, `n` is a positive integer. */
export function splitResources(r: Resources, n: number): Resources[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`splitResources: n must be a positive integer, got ${n}`);
  const parts: Resources[] = Array.from({ length: n }, () => ({ scalars: {}, ranges: {}, sets: {} }));
  for (const [name, v] of Object.entries(r.scalars)) {
    const total = Math.round(v * 1000);
    const each = Math.floor(total / n);
    parts.forEach((p, i) => (p.scalars[name] = (i === 0 ? total - each * (n - 1) : each) / 1000));
  }
  for (const [name, list] of Object.entries(r.ranges)) {
    let left: Range[] = list;
    const size = rangesSize(list);
    parts.forEach((p, i) => {
      const take = Math.floor(size / n) + (i < size % n ? 1 : 0);
      const block = lowestOfRanges(left, take);
      p.ranges[name] = block;
      left = subtractRangesNormalized(left, block);
    });
  }
  for (const [name, items] of Object.entries(r.sets)) {
    parts.forEach((p, i) => (p.sets[name] = items.filter((_, j) => j % n === i)));
  }
  return parts.map(normalizeResources);
}

import type { Resources } from '../resources/types.ts';

/** The scalars of one Resources value as parallel arrays: name indices and values in thousandths. */
export interface ScalarVector {
  readonly idx: readonly number[];
  readonly millis: readonly number[];
}

/**
 * Interns scalar names to small integers so the allocator's per-grant bookkeeping is array arithmetic
 * instead of string-keyed lookups. Vectors are cached per Resources object: the allocator hands the same
 * immutable objects around (an agent's free set becomes a grant, then an allocation, then comes back),
 * so most look-ups hit. Names are never forgotten; a name whose total drops to 0 simply stops counting.
 */
export class ScalarIndex {
  private readonly index = new Map<string, number>();
  private readonly cache = new WeakMap<Resources, ScalarVector>();

  vectorOf(r: Resources): ScalarVector {
    let v = this.cache.get(r);
    if (v) return v;
    let n = 0;
    for (const name in r.scalars) if (Object.hasOwn(r.scalars, name) && Math.round(r.scalars[name] * 1000) !== 0) n++;
    // Exact-size arrays: pushing into [] reserves 17 slots, kept for as long as the vector is cached.
    const idx = new Array<number>(n);
    const millis = new Array<number>(n);
    let k = 0;
    for (const name in r.scalars) {
      if (!Object.hasOwn(r.scalars, name)) continue;
      const m = Math.round(r.scalars[name] * 1000);
      if (m === 0) continue;
      let i = this.index.get(name);
      if (i === undefined) {
        i = this.index.size;
        this.index.set(name, i);
      }
      idx[k] = i;
      millis[k] = m;
      k++;
    }
    v = { idx, millis };
    this.cache.set(r, v);
    return v;
  }
}

/** into[i] += sign × v[i] over the vector's names; grows `into` with zeros (no holes) as needed. */
export function addVector(into: number[], v: ScalarVector, sign: 1 | -1): void {
  for (let k = 0; k < v.idx.length; k++) {
    const i = v.idx[k];
    while (into.length <= i) into.push(0);
    into[i] += sign * v.millis[k];
  }
}

/** into += sign × from, for dense vectors. */
export function addDense(into: number[], from: readonly number[], sign: 1 | -1): void {
  while (into.length < from.length) into.push(0);
  for (let i = 0; i < from.length; i++) into[i] += sign * from[i];
}

/** Whether `have` holds at least every value of `want` (both short, so a linear scan is cheapest). */
export function vectorContains(have: ScalarVector, want: ScalarVector): boolean {
  for (let k = 0; k < want.idx.length; k++) {
    const j = have.idx.indexOf(want.idx[k]);
    if (j < 0 || have.millis[j] < want.millis[k]) return false;
  }
  return true;
}

/**
 * max over names of allocated / total. Ranges and sets do not count (Mesos likewise: a share of port
 * numbers says nothing about load). Names with no cluster total are skipped.
 */
export function dominantShare(allocated: readonly number[], totals: readonly number[]): number {
  let share = 0;
  for (let i = 0; i < allocated.length; i++) {
    const total = totals[i] ?? 0;
    if (total <= 0) continue;
    const s = allocated[i] / total;
    if (s > share) share = s;
  }
  return share;
}

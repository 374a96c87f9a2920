/**
 * DRF queue order: a list kept sorted by share ÷ weight, repaired in O(log n) comparisons + a shift
 * after a single key grows (the common case in a cycle: the framework just granted an agent moves back).
 */

/** An entry of a DRF queue. `key` is share ÷ weight; ties are broken by `name` so runs are deterministic. */
export interface Ranked {
  readonly name: string;
  key: number;
}

const before = (a: Ranked, b: Ranked): boolean => a.key < b.key || (a.key === b.key && a.name < b.name);

export function sortRanked<T extends Ranked>(list: T[]): T[] {
  return list.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
}

/** Restores order after `list[i].key` increased. Precondition: the list was ordered before the increase. */
export function moveAfterIncrease<T extends Ranked>(list: T[], i: number): void {
  const item = list[i];
  let lo = i + 1;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid], item)) lo = mid + 1;
    else hi = mid;
  }
  // A plain loop: Array.prototype.copyWithin is far slower than this on small arrays of objects in V8.
  for (let j = i; j < lo - 1; j++) list[j] = list[j + 1];
  list[lo - 1] = item;
}

import type { Range } from './types.ts';

/**
 * Inclusive integer range lists (`ports:[31000-32000]`).
 * "Normalized" means sorted by begin, non-overlapping and non-adjacent (adjacent ranges are merged).
 * Every function here returns a new normalized array; the `*Normalized` inputs must already be normalized.
 */

/** Sorts and merges overlapping or adjacent ranges. Precondition: each range has begin <= end. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  if (ranges.length <= 1) return ranges.map((r) => [r[0], r[1]] as const);
  const sorted = [...ranges].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Range[] = [];
  let begin = sorted[0][0];
  let end = sorted[0][1];
  for (let i = 1; i < sorted.length; i++) {
    const [b, e] = sorted[i];
    if (b <= end + 1) {
      if (e > end) end = e;
    } else {
      out.push([begin, end]);
      begin = b;
      end = e;
    }
  }
  out.push([begin, end]);
  return out;
}

/** Whether the list is already normalized (cheap check used to skip work). */
export function isNormalizedRanges(ranges: readonly Range[]): boolean {
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i][0] > ranges[i][1]) return false;
    if (i > 0 && ranges[i][0] <= ranges[i - 1][1] + 1) return false;
  }
  return true;
}

export function addRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  if (a.length === 0) return normalizeRanges(b);
  if (b.length === 0) return normalizeRanges(a);
  return normalizeRanges([...a, ...b]);
}

/** a − b for normalized inputs; splits ranges where b punches holes. */
export function subtractRangesNormalized(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const [begin0, end] of a) {
    let begin = begin0;
    while (j < b.length && b[j][1] < begin) j++;
    let k = j;
    while (k < b.length && b[k][0] <= end && begin <= end) {
      const [hb, he] = b[k];
      if (hb > begin) out.push([begin, hb - 1]);
      begin = he + 1;
      k++;
    }
    if (begin <= end) out.push([begin, end]);
  }
  return out;
}

/** Whether every value of b lies in a, for normalized inputs. */
export function containsRangesNormalized(a: readonly Range[], b: readonly Range[]): boolean {
  let i = 0;
  for (const [bb, be] of b) {
    while (i < a.length && a[i][1] < bb) i++;
    if (i === a.length) return false;
    if (a[i][0] > bb || a[i][1] < be) return false;
  }
  return true;
}

/** Whether the two normalized lists share at least one value. */
export function rangesIntersect(a: readonly Range[], b: readonly Range[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i][1] < b[j][0]) i++;
    else if (b[j][1] < a[i][0]) j++;
    else return true;
  }
  return false;
}

/** Number of integers covered by a normalized list. */
export function rangesSize(ranges: readonly Range[]): number {
  let n = 0;
  for (const [b, e] of ranges) n += e - b + 1;
  return n;
}

export function equalRanges(a: readonly Range[], b: readonly Range[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i][0] !== b[i][0] || a[i][1] !== b[i][1]) return false;
  }
  return true;
}

/** The lowest `count` values of a normalized list, as a normalized list. Precondition: count <= rangesSize(ranges). */
export function lowestOfRanges(ranges: readonly Range[], count: number): Range[] {
  const out: Range[] = [];
  let left = count;
  for (const [b, e] of ranges) {
    if (left <= 0) break;
    const size = e - b + 1;
    if (size <= left) {
      out.push([b, e]);
      left -= size;
    } else {
      out.push([b, b + left - 1]);
      left = 0;
    }
  }
  return out;
}

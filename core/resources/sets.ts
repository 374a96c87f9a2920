/**
 * Set resources (`disks:{ssd1,ssd2}`) as sorted unique string arrays.
 * Ordering is by UTF-16 code units (`<`), not locale, so it is the same on every host.
 */

const byCodeUnit = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function normalizeSet(items: readonly string[]): string[] {
  const sorted = [...items].sort(byCodeUnit);
  const out: string[] = [];
  for (const item of sorted) {
    if (out.length === 0 || out[out.length - 1] !== item) out.push(item);
  }
  return out;
}

export function isNormalizedSet(items: readonly string[]): boolean {
  for (let i = 1; i < items.length; i++) if (!(items[i - 1] < items[i])) return false;
  return true;
}

export function addSets(a: readonly string[], b: readonly string[]): string[] {
  return normalizeSet([...a, ...b]);
}

/** a − b for normalized inputs. */
export function subtractSetsNormalized(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  const drop = new Set(b);
  return a.filter((item) => !drop.has(item));
}

export function containsSetNormalized(a: readonly string[], b: readonly string[]): boolean {
  if (b.length > a.length) return false;
  let i = 0;
  for (const item of b) {
    while (i < a.length && a[i] < item) i++;
    if (i === a.length || a[i] !== item) return false;
    i++;
  }
  return true;
}

export function setsIntersect(a: readonly string[], b: readonly string[]): boolean {
  const small = a.length <= b.length ? a : b;
  const big = new Set(a.length <= b.length ? b : a);
  return small.some((item) => big.has(item));
}

export function equalSets(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

export { byCodeUnit };

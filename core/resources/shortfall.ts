import { containsResources } from './resources.ts';
import type { Resources } from './types.ts';

/** "cpus 4 > 2 offered; ports [8080-8080] not offered" — what `need` has beyond `have`. */
export function describeShortfall(need: Resources, have: Resources): string {
  const parts: string[] = [];
  for (const [name, v] of Object.entries(need.scalars)) {
    const h = Object.hasOwn(have.scalars, name) ? have.scalars[name] : 0;
    if (v > h) parts.push(`${name} ${v} > ${h} offered`);
  }
  for (const [name, ranges] of Object.entries(need.ranges)) {
    const h: Resources = { scalars: {}, ranges: { [name]: Object.hasOwn(have.ranges, name) ? have.ranges[name] : [] }, sets: {} };
    if (!containsResources(h, { scalars: {}, ranges: { [name]: ranges }, sets: {} })) {
      parts.push(`${name} ${ranges.map(([a, b]) => `[${a}-${b}]`).join(',')} not all offered`);
    }
  }
  for (const [name, items] of Object.entries(need.sets)) {
    const h = new Set(Object.hasOwn(have.sets, name) ? have.sets[name] : []);
    const missing = items.filter((x) => !h.has(x));
    if (missing.length) parts.push(`${name} {${missing.join(',')}} not offered`);
  }
  return parts.join('; ') || 'resources not offered';
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addResources, containsResources, emptyResources, equalResources, formatResources, parseResources, rangesIntersect, setsIntersect, type Resources } from './resources.ts';
import { splitResources } from './split-resources.ts';

function res(text: string): Resources {
  const parsed = parseResources(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('splitResources', () => {
  it('splits scalars, port ranges and sets between agents', () => {
    const parts = splitResources(res('cpus:3;mem:3072;ports:[31000-31299];disks:{a,b,c}'), 3);
    expect(parts.map(formatResources)).toEqual([
      'cpus:1;mem:1024;disks:{a};ports:[31000-31099]',
      'cpus:1;mem:1024;disks:{b};ports:[31100-31199]',
      'cpus:1;mem:1024;disks:{c};ports:[31200-31299]',
    ]);
  });

  it('keeps thousandths exact: the parts add up to the whole', () => {
    const parts = splitResources(res('cpus:2;mem:1000'), 3);
    expect(parts.map((p) => p.scalars.cpus)).toEqual([0.668, 0.666, 0.666]);
    expect(equalResources(parts.reduce(addResources, emptyResources()), res('cpus:2;mem:1000'))).toBe(true);
  });

  it('property: parts are disjoint and add up to the whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 64000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 600 }), (n, cpuMillis, portStart, portCount) => {
        const whole = res(`cpus:${cpuMillis / 1000};ports:[${portStart}-${portStart + portCount - 1}];slots:{a,b,c,d,e}`);
        const parts = splitResources(whole, n);
        expect(parts).toHaveLength(n);
        expect(equalResources(parts.reduce(addResources, emptyResources()), whole)).toBe(true);
        for (let i = 0; i < n; i++) {
          expect(containsResources(whole, parts[i])).toBe(true);
          for (let j = i + 1; j < n; j++) {
            expect(rangesIntersect(parts[i].ranges.ports ?? [], parts[j].ranges.ports ?? [])).toBe(false);
            expect(setsIntersect(parts[i].sets.slots ?? [], parts[j].sets.slots ?? [])).toBe(false);
          }
        }
      }),
    );
  });
});

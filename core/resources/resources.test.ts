import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addResources,
  containsResources,
  emptyResources,
  equalResources,
  formatAttributes,
  formatResources,
  fromMesosJson,
  isEmptyResources,
  normalizeResources,
  parseAttributes,
  parseResources,
  resourcesFromRequest,
  scalarOf,
  subtractResources,
  takePorts,
  toMesosJson,
  type Range,
  type Resources,
} from './resources.ts';

/** Test builder in the spirit of Mesos' `createSlaveInfo("cpus:2;mem:1024")`. */
function res(text: string): Resources {
  const parsed = parseResources(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

const rawRange = fc.tuple(fc.nat(2000), fc.nat(50)).map(([b, len]): Range => [b, b + len]);
/** Possibly unnormalized: unsorted overlapping ranges, duplicate set items, scalars with many decimals. */
const rawResources: fc.Arbitrary<Resources> = fc.record({
  scalars: fc.dictionary(fc.constantFrom('cpus', 'mem', 'disk', 'gpus', 'cassandra-slot'), fc.double({ min: 0, max: 1e6, noNaN: true })),
  ranges: fc.dictionary(fc.constantFrom('ports', 'ephemeral_ports'), fc.array(rawRange, { maxLength: 6 })),
  sets: fc.dictionary(fc.constantFrom('disks', 'gpu.ids'), fc.array(fc.constantFrom('ssd1', 'ssd2', 'hdd-3', 'nvme0', 'a.b'), { maxLength: 6 })),
});
const resources = rawResources.map(normalizeResources);

describe('resource arithmetic (properties)', () => {
  it('subtract undoes add (ranges and sets are unions, so their parts are made disjoint first)', () => {
    fc.assert(
      fc.property(resources, resources, (a, b0) => {
        const nonScalar = (r: Resources): Resources => ({ scalars: {}, ranges: r.ranges, sets: r.sets });
        const rest = subtractResources(addResources(nonScalar(a), nonScalar(b0)), nonScalar(a));
        const b = addResources(rest, { scalars: b0.scalars, ranges: {}, sets: {} });
        expect(equalResources(subtractResources(addResources(a, b), b), a)).toBe(true);
        expect(equalResources(subtractResources(addResources(a, b), a), b)).toBe(true);
      }),
    );
  });

  it('a sum contains both parts, and the difference is the other part', () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        const sum = addResources(a, b);
        expect(containsResources(sum, a)).toBe(true);
        expect(containsResources(sum, b)).toBe(true);
        const rest = subtractResources(sum, a);
        expect(Object.values(rest.scalars).every((v) => v > 0)).toBe(true);
        expect(containsResources(b, rest)).toBe(true);
      }),
    );
  });

  it('subtract throws exactly when the subtrahend is not contained', () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        if (containsResources(a, b)) expect(() => subtractResources(a, b)).not.toThrow();
        else expect(() => subtractResources(a, b)).toThrow(/not contained/);
      }),
    );
  });

  it('normalization is idempotent and results are normalized', () => {
    fc.assert(
      fc.property(rawResources, (raw) => {
        const once = normalizeResources(raw);
        expect(normalizeResources(once)).toEqual(once);
        for (const list of Object.values(once.ranges)) {
          for (let i = 1; i < list.length; i++) expect(list[i][0]).toBeGreaterThan(list[i - 1][1] + 1);
        }
        for (const v of Object.values(once.scalars)) expect(Math.round(v * 1000) / 1000).toBe(v);
      }),
    );
  });

  it('parse(format(r)) equals r', () => {
    fc.assert(
      fc.property(resources, (r) => {
        const back = parseResources(formatResources(r));
        expect(back).toEqual({ ok: true, value: r });
      }),
    );
  });

  it('fromMesosJson(toMesosJson(r)) equals r', () => {
    fc.assert(
      fc.property(resources, (r) => {
        expect(fromMesosJson(toMesosJson(r))).toEqual({ ok: true, value: r });
      }),
    );
  });

  it('inputs are never mutated', () => {
    fc.assert(
      fc.property(resources, resources, (a, b) => {
        const before = JSON.stringify([a, b]);
        const sum = addResources(a, b);
        subtractResources(sum, b);
        containsResources(a, b);
        expect(JSON.stringify([a, b])).toBe(before);
      }),
    );
  });
});

describe('resource arithmetic (examples)', () => {
  it('keeps scalars to 3 decimals so repeated additions do not drift', () => {
    let r = emptyResources();
    for (let i = 0; i < 10; i++) r = addResources(r, res('cpus:0.1'));
    expect(scalarOf(r, 'cpus')).toBe(1);
    expect(scalarOf(addResources(res('cpus:0.1'), res('cpus:0.2')), 'cpus')).toBe(0.3);
    for (let i = 0; i < 10; i++) r = subtractResources(r, res('cpus:0.1'));
    expect(isEmptyResources(r)).toBe(true);
    expect(r.scalars).toEqual({});
  });

  it('splits ranges on subtract and merges adjacent ones on add', () => {
    const left = subtractResources(res('ports:[31000-32000]'), res('ports:[31500-31500]'));
    expect(left.ranges.ports).toEqual([
      [31000, 31499],
      [31501, 32000],
    ]);
    expect(addResources(left, res('ports:[31500-31500]')).ranges.ports).toEqual([[31000, 32000]]);
    expect(subtractResources(res('ports:[1-5]'), res('ports:[1-5]')).ranges).toEqual({});
  });

  it('handles sets', () => {
    const r = res('disks:{ssd2,ssd1,ssd2}');
    expect(r.sets.disks).toEqual(['ssd1', 'ssd2']);
    expect(subtractResources(r, res('disks:{ssd1}')).sets.disks).toEqual(['ssd2']);
    expect(containsResources(r, res('disks:{ssd3}'))).toBe(false);
  });

  it('adds up duplicate names of the same type and accepts the * role', () => {
    const r = res('cpus:1;cpus(*):2.5;ports:[1-2];ports:[3-4];mem:0');
    expect(r).toEqual({ scalars: { cpus: 3.5 }, ranges: { ports: [[1, 4]] }, sets: {} });
  });

  it('formats canonically', () => {
    expect(formatResources(res('zeta:1;ports:[5-6,1-2];gpus:1;disk:10;mem:5;cpus:0.25;disks:{b,a}'))).toBe(
      'cpus:0.25;mem:5;disk:10;gpus:1;disks:{a,b};ports:[1-2,5-6];zeta:1',
    );
    expect(formatResources(emptyResources())).toBe('');
  });

  it('takes the lowest free ports', () => {
    const free = res('ports:[31000-31001,31005-31010]');
    expect(takePorts(free, 3)).toEqual({
      ok: true,
      value: [
        [31000, 31001],
        [31005, 31005],
      ],
    });
    expect(takePorts(free, 0)).toEqual({ ok: true, value: [] });
    expect(takePorts(free, 9).ok).toBe(false);
    expect(takePorts(free, -1).ok).toBe(false);
    expect(takePorts(emptyResources(), 1).ok).toBe(false);
  });

  it('builds resources from a request', () => {
    expect(resourcesFromRequest({ cpus: 0.5, mem: 128, disk: 0, gpus: undefined, 'cassandra-slot': 1 })).toEqual({
      scalars: { cpus: 0.5, mem: 128, 'cassandra-slot': 1 },
      ranges: {},
      sets: {},
    });
    expect(() => resourcesFromRequest({ cpus: -1 })).toThrow();
  });

  it('compares for equality ignoring zero and empty entries', () => {
    expect(equalResources({ scalars: { cpus: 0 }, ranges: { ports: [] }, sets: {} }, emptyResources())).toBe(true);
    expect(equalResources(res('cpus:1'), res('cpus:1.001'))).toBe(false);
  });
});

describe('parseResources errors', () => {
  const cases: Array<[text: string, field: string | undefined, pattern: RegExp]> = [
    [':4', '', /empty/],
    ['cp us:4', 'cp us', /invalid characters/],
    ['cpus!:4', 'cpus!', /invalid characters/],
    ['__proto__:1', '__proto__', /reserved/],
    ['cpus', 'cpus', /no ':'/],
    ['cpus:', 'cpus', /no value/],
    ['cpus:-1', 'cpus', /negative/],
    ['cpus:NaN', 'cpus', /not a non-negative decimal/],
    ['cpus:Infinity', 'cpus', /not a non-negative decimal/],
    ['cpus:1e400', 'cpus', /not a non-negative decimal/],
    ['cpus:99999999999999999', 'cpus', /larger than/],
    ['ports:[5-3]', 'ports', /begins after it ends/],
    ['ports:[1.5-3]', 'ports', /malformed/],
    ['ports:[-1-3]', 'ports', /malformed/],
    ['ports:[1-3', 'ports', /closing/],
    ['ports:[1-3,,5-6]', 'ports', /malformed/],
    ['disks:{a,,b}', 'disks', /empty item/],
    ['disks:{a b}', 'disks', /invalid characters/],
    ['cpus(web):4', 'cpus', /role 'web'/],
    ['cpus:1;cpus:[1-2]', 'cpus', /both as scalar and as ranges/],
  ];
  for (const [text, field, pattern] of cases) {
    it(`refuses '${text}'`, () => {
      const r = parseResources(text);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toMatch(pattern);
      if (field) expect(r.error.field).toBe(field);
    });
  }

  it('refuses text longer than 4096 characters', () => {
    const r = parseResources('cpus:1;'.repeat(600));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/4096/);
  });

  it('accepts empty text and stray separators', () => {
    expect(parseResources('')).toEqual({ ok: true, value: emptyResources() });
    expect(parseResources(' cpus : 2 ;; mem:1; ')).toEqual({ ok: true, value: res('cpus:2;mem:1') });
  });
});

describe('fromMesosJson errors', () => {
  it('refuses malformed lists with the offending entry named', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{}, /array/],
      [[{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }], /negative/],
      [[{ name: 'cpus', type: 'SCALAR' }], /scalar.value/],
      [[{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'web' }], /role 'web'/],
      [[{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 5, end: 3 }] } }], /begins after/],
      [[{ name: 'disks', type: 'SET', set: { item: [1] } }], /not text/],
      [[{ name: 'x', type: 'TEXT' }], /expected SCALAR/],
      [[{ name: 'bad name', type: 'SCALAR', scalar: { value: 1 } }], /invalid characters/],
      [[{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }, { name: 'cpus', type: 'SET', set: { item: ['a'] } }], /both/],
    ];
    for (const [input, pattern] of bad) {
      const r = fromMesosJson(input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(pattern);
    }
  });
});

describe('attributes', () => {
  it('parses and formats canonically', () => {
    const r = parseAttributes('rack:a; os:linux;level:10;keys:[1000-1500]');
    expect(r).toEqual({ ok: true, value: { rack: 'a', os: 'linux', level: '10', keys: '[1000-1500]' } });
    if (r.ok) expect(formatAttributes(r.value)).toBe('keys:[1000-1500];level:10;os:linux;rack:a');
  });

  it('refuses bad entries', () => {
    for (const [text, pattern] of [
      ['rack', /no ':'/],
      ['rack:', /no value/],
      ['ra ck:a', /invalid characters/],
      ['rack:a;rack:b', /twice/],
      ['x'.repeat(5000), /4096/],
    ] as const) {
      const r = parseAttributes(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(pattern);
    }
  });
});

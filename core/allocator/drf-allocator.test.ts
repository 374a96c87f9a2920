import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DrfAllocator, type Grant } from './drf-allocator.ts';
import { res, seededRandom } from './test-support.ts';
import {
  addResources,
  containsResources,
  emptyResources,
  equalResources,
  formatResources,
  isEmptyResources,
  normalizeResources,
  rangesIntersect,
  setsIntersect,
  subtractResources,
  takePorts,
  type Resources,
} from '../resources/resources.ts';

/** Roughly half of `r`: scalars halved (3 decimals), the lowest half of each range, the first half of each set. */
function halfOf(r: Resources): Resources {
  const out = emptyResources();
  for (const [name, v] of Object.entries(r.scalars)) out.scalars[name] = Math.floor(Math.round(v * 1000) / 2) / 1000;
  for (const name of Object.keys(r.ranges)) {
    const size = r.ranges[name].reduce((n, [b, e]) => n + e - b + 1, 0);
    const taken = takePorts(r, Math.floor(size / 2), name);
    if (taken.ok) out.ranges[name] = taken.value;
  }
  for (const [name, items] of Object.entries(r.sets)) out.sets[name] = items.slice(0, Math.floor(items.length / 2));
  return normalizeResources(out);
}

/** Each grant launches as many fixed-size tasks as fit; the rest is declined with refuseMs 0. Returns cycles run. */
function runHungry(alloc: DrfAllocator, taskOf: Map<string, Resources>, maxCycles = 500): number {
  let now = 0;
  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    now += 1000;
    let launched = 0;
    for (const g of alloc.runCycle(now)) {
      const task = taskOf.get(g.frameworkId);
      let left = g.resources;
      while (task && containsResources(left, task)) {
        left = subtractResources(left, task);
        launched++;
      }
      alloc.recover(g.frameworkId, g.agentId, left, { refuseMs: 0, now });
    }
    if (launched === 0) return cycle;
  }
  throw new Error('frameworks never stopped launching');
}

const byAgent = (grants: Grant[]) => new Map(grants.map((g) => [g.agentId, g]));

describe('DrfAllocator invariants (property)', () => {
  const shapes = [
    'cpus:4;mem:4096;ports:[31000-31009]',
    'cpus:1;mem:512;disks:{ssd1,ssd2,ssd3}',
    'cpus:16;mem:65536;disk:1000;ports:[1-100,200-300]',
    'mem:64',
    'cpus:0.5;gpus:1',
  ].map(res);
  const agentIds = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
  const fwIds = ['f0', 'f1', 'f2', 'f3'];
  const idx = fc.nat(20);
  const op = fc.oneof(
    fc.record({ k: fc.constant('addAgent' as const), a: idx, shape: fc.nat(shapes.length - 1), withAlloc: fc.option(idx) }),
    fc.record({ k: fc.constant('removeAgent' as const), a: idx }),
    fc.record({ k: fc.constant('addFramework' as const), f: idx, role: fc.constantFrom('r1', 'r2'), weight: fc.constantFrom(1, 2, 0.5) }),
    fc.record({ k: fc.constant('removeFramework' as const), f: idx }),
    fc.record({ k: fc.constant('cycle' as const), dt: fc.constantFrom(0, 500, 2000) }),
    fc.record({ k: fc.constant('cycle' as const), dt: fc.constantFrom(0, 500, 2000) }),
    fc.record({ k: fc.constant('recover' as const), pick: idx, half: fc.boolean(), refuse: fc.boolean() }),
    fc.record({ k: fc.constant('recover' as const), pick: idx, half: fc.boolean(), refuse: fc.boolean() }),
    fc.record({ k: fc.constant('allocate' as const), a: idx, f: idx }),
    fc.record({
      k: fc.constantFrom('suppress', 'revive', 'deactivateAgent', 'activateAgent', 'deactivateFramework', 'activateFramework'),
      i: idx,
    }),
  );

  it('never over-allocates, never grants a resource twice, keeps shares in [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer(), (ops, seed) => {
        const alloc = new DrfAllocator({ random: seededRandom(seed) });
        const total = new Map<string, Resources>();
        const used = new Map<string, Map<string, Resources>>();
        const registered = new Map<string, { active: boolean; suppressed: boolean }>();
        let now = 0;
        const usedOn = (a: string) => used.get(a) ?? new Map<string, Resources>();
        const free = (a: string) => [...usedOn(a).values()].reduce(subtractResources, total.get(a)!);
        const hold = (a: string, f: string, r: Resources) => {
          const m = usedOn(a);
          m.set(f, addResources(m.get(f) ?? emptyResources(), r));
          used.set(a, m);
        };

        for (const o of ops) {
          switch (o.k) {
            case 'addAgent': {
              const a = agentIds[o.a % agentIds.length];
              if (total.has(a)) break;
              const shape = shapes[o.shape];
              const allocated = o.withAlloc === null ? [] : [{ frameworkId: fwIds[o.withAlloc % fwIds.length], resources: halfOf(shape) }];
              alloc.addAgent(a, shape, allocated);
              total.set(a, shape);
              for (const x of allocated) if (!isEmptyResources(x.resources)) hold(a, x.frameworkId, x.resources);
              break;
            }
            case 'removeAgent': {
              const a = agentIds[o.a % agentIds.length];
              alloc.removeAgent(a);
              total.delete(a);
              used.delete(a);
              break;
            }
            case 'addFramework': {
              const f = fwIds[o.f % fwIds.length];
              alloc.addFramework(f, { role: o.role, weight: o.weight });
              registered.set(f, { active: true, suppressed: false });
              break;
            }
            case 'removeFramework': {
              const f = fwIds[o.f % fwIds.length];
              alloc.removeFramework(f);
              registered.delete(f);
              for (const m of used.values()) m.delete(f);
              break;
            }
            case 'cycle': {
              now += o.dt;
              const grants = alloc.runCycle(now);
              expect(byAgent(grants).size).toBe(grants.length);
              for (const g of grants) {
                const status = registered.get(g.frameworkId);
                expect(status?.active && !status.suppressed, `grant to ineligible ${g.frameworkId}`).toBe(true);
                expect(containsResources(free(g.agentId), g.resources)).toBe(true);
                for (const held of usedOn(g.agentId).values()) {
                  for (const [name, list] of Object.entries(g.resources.ranges)) {
                    expect(rangesIntersect(list, held.ranges[name] ?? [])).toBe(false);
                  }
                  for (const [name, items] of Object.entries(g.resources.sets)) {
                    expect(setsIntersect(items, held.sets[name] ?? [])).toBe(false);
                  }
                }
                hold(g.agentId, g.frameworkId, g.resources);
              }
              break;
            }
            case 'recover': {
              const held = [...used].flatMap(([a, m]) => [...m].map(([f, r]) => ({ a, f, r })));
              if (held.length === 0) break;
              const { a, f, r } = held[o.pick % held.length];
              const part = o.half ? halfOf(r) : r;
              if (isEmptyResources(part)) break;
              alloc.recover(f, a, part, { refuseMs: o.refuse ? 1000 : 0, now });
              const left = subtractResources(r, part);
              if (isEmptyResources(left)) usedOn(a).delete(f);
              else usedOn(a).set(f, left);
              break;
            }
            case 'allocate': {
              const a = agentIds[o.a % agentIds.length];
              if (!total.has(a)) break;
              const part = halfOf(free(a));
              if (isEmptyResources(part)) break;
              const f = fwIds[o.f % fwIds.length];
              alloc.allocate(f, a, part);
              hold(a, f, part);
              break;
            }
            default: {
              const a = agentIds[o.i % agentIds.length];
              const f = fwIds[o.i % fwIds.length];
              const status = registered.get(f);
              if (o.k === 'deactivateAgent') alloc.deactivateAgent(a);
              else if (o.k === 'activateAgent') alloc.activateAgent(a);
              else {
                alloc[o.k](f);
                if (status && o.k === 'suppress') status.suppressed = true;
                if (status && o.k === 'revive') status.suppressed = false;
                if (status && o.k === 'deactivateFramework') status.active = false;
                if (status && o.k === 'activateFramework') status.active = true;
              }
            }
          }

          for (const [a, t] of total) {
            const avail = alloc.available(a)!;
            expect(containsResources(t, avail)).toBe(true);
            expect(formatResources(avail)).toBe(formatResources(free(a)));
          }
          for (const f of fwIds) {
            let sum = emptyResources();
            for (const m of used.values()) if (m.has(f)) sum = addResources(sum, m.get(f)!);
            expect(equalResources(alloc.allocatedTo(f), sum)).toBe(true);
          }
          for (const s of [...alloc.frameworkShares().values(), ...alloc.roleShares().values()]) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(1);
          }
          expect(alloc.stats().agents).toBe(total.size);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('DrfAllocator fairness', () => {
  const cluster = (alloc: DrfAllocator, n: number) => {
    for (let i = 0; i < n; i++) alloc.addAgent(`agent-${i}`, res('cpus:8;mem:16384'));
  };

  // A is memory-dominant, B cpu-dominant; both task shapes tile an agent exactly, so neither is starved by
  // crumbs the other left (DRF only promises equal shares while both can still use what they are offered).
  it('equalizes dominant shares of two hungry frameworks with different dominant resources', () => {
    const alloc = new DrfAllocator({ random: seededRandom(1) });
    cluster(alloc, 50);
    alloc.addFramework('A', { role: 'batch' });
    alloc.addFramework('B', { role: 'batch' });
    runHungry(alloc, new Map([['A', res('cpus:1;mem:4096')], ['B', res('cpus:2;mem:256')]]));
    const shares = alloc.frameworkShares();
    const [a, b] = [shares.get('A')!, shares.get('B')!];
    expect(a).toBe(alloc.allocatedTo('A').scalars.mem / (50 * 16384));
    expect(b).toBe(alloc.allocatedTo('B').scalars.cpus / (50 * 8));
    expect(a).toBeGreaterThan(0.3);
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThanOrEqual(0.1);
  });

  it('gives roles with weights 1 and 3 dominant shares in ratio 1:3', () => {
    const alloc = new DrfAllocator({ random: seededRandom(2) });
    cluster(alloc, 60);
    alloc.setRoleWeight('light', 1);
    alloc.setRoleWeight('heavy', 3);
    alloc.addFramework('L', { role: 'light' });
    alloc.addFramework('H', { role: 'heavy' });
    runHungry(alloc, new Map([['L', res('cpus:1;mem:1024')], ['H', res('cpus:1;mem:1024')]]));
    const roles = alloc.roleShares();
    const ratio = roles.get('light')! / roles.get('heavy')!;
    expect(Math.abs(ratio - 1 / 3) / (1 / 3)).toBeLessThanOrEqual(0.1);
  });

  it('applies framework weights within a role', () => {
    const alloc = new DrfAllocator({ random: seededRandom(3) });
    cluster(alloc, 60);
    alloc.addFramework('small', { role: 'r', weight: 1 });
    alloc.addFramework('big', { role: 'r', weight: 3 });
    runHungry(alloc, new Map([['small', res('cpus:2;mem:512')], ['big', res('cpus:1;mem:2048')]]));
    const shares = alloc.frameworkShares();
    const ratio = shares.get('small')! / shares.get('big')!;
    expect(Math.abs(ratio - 1 / 3) / (1 / 3)).toBeLessThanOrEqual(0.1);
  });

  it('reports dominant shares over scalar cluster totals, ignoring ports', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:10;mem:100;ports:[1-10]'));
    alloc.addAgent('y', res('cpus:10;mem:100'));
    alloc.addFramework('A', { role: 'r' });
    alloc.allocate('A', 'x', res('cpus:2;mem:50;ports:[1-10]'));
    expect(alloc.frameworkShares().get('A')).toBe(0.25);
    alloc.deactivateAgent('y');
    expect(alloc.frameworkShares().get('A')).toBe(0.25);
    alloc.removeAgent('y');
    expect(alloc.frameworkShares().get('A')).toBe(0.5);
  });
});

describe('DrfAllocator offer filters', () => {
  /** B holds a whole second agent, so when A is eligible DRF prefers A. */
  function setup() {
    const alloc = new DrfAllocator({ random: seededRandom(4) });
    alloc.addAgent('shared', res('cpus:4;mem:4096'));
    alloc.addAgent('b-only', res('cpus:1;mem:1024'));
    alloc.addFramework('A', { role: 'r' });
    alloc.addFramework('B', { role: 'r' });
    alloc.allocate('B', 'b-only', res('cpus:1;mem:1024'));
    return alloc;
  }
  const onlyGrant = (grants: Grant[]) => {
    expect(grants).toHaveLength(1);
    return grants[0];
  };

  it('keeps declined resources from the same framework until the filter expires', () => {
    const alloc = setup();
    const first = onlyGrant(alloc.runCycle(0));
    expect(first.frameworkId).toBe('A');
    alloc.recover('A', 'shared', first.resources, { refuseMs: 5000, now: 0 });
    expect(alloc.stats().filters).toBe(1);

    for (const now of [1000, 4999]) {
      const g = onlyGrant(alloc.runCycle(now));
      expect(g.frameworkId).toBe('B');
      alloc.recover('B', 'shared', g.resources, { refuseMs: 0, now });
    }
    const back = onlyGrant(alloc.runCycle(5000));
    expect(back.frameworkId).toBe('A');
    expect(alloc.stats().filters).toBe(0);
  });

  it('offers again before expiry when more than the refused resources became free', () => {
    const alloc = setup();
    alloc.suppress('B');
    alloc.allocate('A', 'shared', res('cpus:1;mem:1024'));
    const g = onlyGrant(alloc.runCycle(0));
    expect(g.frameworkId).toBe('A');
    alloc.recover('A', 'shared', g.resources, { refuseMs: 60_000, now: 0 });
    expect(alloc.runCycle(1000)).toEqual([]);
    alloc.recover('A', 'shared', res('cpus:1;mem:1024'));
    const again = onlyGrant(alloc.runCycle(2000));
    expect(again.frameworkId).toBe('A');
    expect(formatResources(again.resources)).toBe('cpus:4;mem:4096');
  });

  it('revive clears filters', () => {
    const alloc = setup();
    alloc.suppress('B');
    const g = onlyGrant(alloc.runCycle(0));
    alloc.recover('A', 'shared', g.resources, { refuseMs: 3_600_000, now: 0 });
    expect(alloc.runCycle(1)).toEqual([]);
    alloc.revive('A');
    expect(onlyGrant(alloc.runCycle(2)).frameworkId).toBe('A');
  });

  it('needs now with refuseMs and refuses to free what is not held', () => {
    const alloc = setup();
    const g = onlyGrant(alloc.runCycle(0));
    expect(() => alloc.recover('A', 'shared', g.resources, { refuseMs: 10 })).toThrow(/now/);
    expect(() => alloc.recover('B', 'shared', res('cpus:1'))).toThrow(/does not hold/);
  });
});

describe('DrfAllocator eligibility', () => {
  it('suppressed frameworks get nothing until revived', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:2;mem:2048'));
    alloc.addFramework('A', { role: 'r', suppressed: true });
    expect(alloc.runCycle(0)).toEqual([]);
    alloc.addFramework('B', { role: 'r' });
    alloc.suppress('B');
    expect(alloc.runCycle(1)).toEqual([]);
    alloc.revive('A');
    expect(alloc.runCycle(2).map((g) => g.frameworkId)).toEqual(['A']);
  });

  it('deactivated agents get no offers but still count in totals; deactivated frameworks keep allocations', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:2;mem:2048'));
    alloc.addAgent('y', res('cpus:2;mem:2048'));
    alloc.addFramework('A', { role: 'r' });
    alloc.deactivateAgent('y');
    const grants = alloc.runCycle(0);
    expect(grants.map((g) => g.agentId)).toEqual(['x']);
    expect(alloc.frameworkShares().get('A')).toBe(0.5);

    alloc.deactivateFramework('A');
    alloc.activateAgent('y');
    expect(alloc.runCycle(1)).toEqual([]);
    expect(formatResources(alloc.allocatedTo('A'))).toBe('cpus:2;mem:2048');
    alloc.activateFramework('A');
    expect(alloc.runCycle(2).map((g) => g.agentId)).toEqual(['y']);
  });

  it('offers an agent only when its free resources reach a minimum', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('crumbs', res('cpus:0.005;mem:16;disk:100'));
    alloc.addAgent('memory-only', res('mem:32'));
    alloc.addFramework('A', { role: 'r' });
    expect(alloc.runCycle(0).map((g) => g.agentId)).toEqual(['memory-only']);

    const gpuOnly = new DrfAllocator({ minAllocatable: [res('gpus:1')] });
    gpuOnly.addAgent('plain', res('cpus:8;mem:8192'));
    gpuOnly.addAgent('gpu', res('cpus:8;mem:8192;gpus:1'));
    gpuOnly.addFramework('A', { role: 'r' });
    expect(gpuOnly.runCycle(0).map((g) => g.agentId)).toEqual(['gpu']);

    const anything = new DrfAllocator({ minAllocatable: [] });
    anything.addAgent('crumbs', res('disk:1'));
    anything.addFramework('A', { role: 'r' });
    expect(anything.runCycle(0).map((g) => g.agentId)).toEqual(['crumbs']);
  });
});

describe('DrfAllocator bookkeeping', () => {
  it('tracks allocations found on a re-registering agent before the framework subscribes', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:4;mem:4096'), [{ frameworkId: 'late', resources: res('cpus:1;mem:1024') }]);
    alloc.addAgent('y', res('cpus:4;mem:4096'));
    alloc.addFramework('other', { role: 'r' });
    expect(alloc.roleShares().get('*')).toBe(0.125);
    const grants = alloc.runCycle(0);
    expect(grants.map((g) => g.frameworkId)).toEqual(['other', 'other']);
    expect(formatResources(alloc.available('x')!)).toBe('');

    alloc.addFramework('late', { role: 'web' });
    expect(alloc.roleShares().has('*')).toBe(false);
    expect(alloc.roleShares().get('web')).toBe(0.125);
    expect(formatResources(alloc.allocatedTo('late'))).toBe('cpus:1;mem:1024');
  });

  it('refuses to over-allocate and to add an agent twice', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:1;mem:1024;ports:[1-10]'));
    alloc.addFramework('A', { role: 'r' });
    alloc.allocate('A', 'x', res('ports:[5-6]'));
    expect(() => alloc.allocate('A', 'x', res('ports:[6-7]'))).toThrow(/not available/);
    expect(() => alloc.allocate('A', 'x', res('cpus:2'))).toThrow(/not available/);
    expect(() => alloc.allocate('A', 'nowhere', res('cpus:1'))).toThrow(/unknown agent/);
    expect(() => alloc.addAgent('x', res('cpus:1'))).toThrow(/already/);
    expect(() => alloc.addAgent('z', res('cpus:1'), [{ frameworkId: 'A', resources: res('cpus:2') }])).toThrow(/exceed/);
  });

  it('returns resources on framework and agent removal', () => {
    const alloc = new DrfAllocator();
    alloc.addAgent('x', res('cpus:4;mem:4096'));
    alloc.addAgent('y', res('cpus:4;mem:4096'));
    alloc.addFramework('A', { role: 'r' });
    alloc.addFramework('B', { role: 'r' });
    alloc.allocate('A', 'x', res('cpus:1;mem:100'));
    alloc.allocate('B', 'x', res('cpus:1;mem:100'));
    alloc.allocate('A', 'y', res('cpus:2;mem:200'));
    alloc.recover('A', 'y', res('cpus:1'), { refuseMs: 1000, now: 0 });
    alloc.removeFramework('A');
    expect(formatResources(alloc.available('x')!)).toBe('cpus:3;mem:3996');
    expect(formatResources(alloc.available('y')!)).toBe('cpus:4;mem:4096');
    expect(alloc.stats()).toEqual({ agents: 2, frameworks: 1, filters: 0 });
    alloc.removeAgent('x');
    expect(isEmptyResources(alloc.allocatedTo('B'))).toBe(true);
    expect(alloc.frameworkShares().get('B')).toBe(0);
    expect(alloc.stats()).toEqual({ agents: 1, frameworks: 1, filters: 0 });
  });
});

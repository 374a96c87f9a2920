import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  advanceDeployment,
  capacityBounds,
  converge,
  DeploymentStatus,
  killOrder,
  planDeployment,
  type ConvergeTarget,
  type DeploymentProgress,
  type InstanceSnapshot,
} from './deployment-planner.ts';

const OLD = 'old';
const NEW = 'new';

function inst(id: string, over: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  return { id, config: OLD, phase: 'RUNNING', healthy: true, doomed: false, stagedAt: 0, ...over };
}

function target(instances: number, minimumHealthCapacity: number, maximumOverCapacity: number, over: Partial<ConvergeTarget> = {}): ConvergeTarget {
  return { config: NEW, instances, minimumHealthCapacity, maximumOverCapacity, killSelection: 'YOUNGEST_FIRST', ...over };
}

/** One simulated world: instances plus whether each config can ever become healthy. */
interface World {
  live: InstanceSnapshot[];
  seq: number;
}

const healthyCount = (live: readonly InstanceSnapshot[]): number => live.filter((i) => i.phase !== 'KILLING' && i.healthy).length;

/**
 * Applies one converge result and checks the two invariants on the way: kills never take the healthy count
 * below the floor (or below where it already was), launches never take the live count above the maximum.
 */
function step(world: World, t: ConvergeTarget, now: number): ReturnType<typeof converge> {
  const r = converge(t, world.live, { healthKillBudget: 1 });
  const { minHealthy, maxTotal } = capacityBounds(t.instances, t);
  const before = healthyCount(world.live);
  const totalBefore = world.live.length;
  const killed = new Set(r.kill.map((k) => k.id));
  for (const i of world.live) if (killed.has(i.id)) i.phase = 'KILLING';
  const after = healthyCount(world.live);
  expect(after).toBeGreaterThanOrEqual(Math.min(minHealthy, before));
  for (let k = 0; k < r.launch; k++) world.live.push(inst(`n${world.seq++}`, { config: t.config, phase: 'STAGING', healthy: false, stagedAt: now }));
  if (r.launch > 0) expect(world.live.length).toBeLessThanOrEqual(maxTotal);
  expect(world.live.length).toBeLessThanOrEqual(Math.max(maxTotal, totalBefore));
  return r;
}

/** Progress events chosen by fast-check: start, become healthy (if the config can), finish dying. */
function progress(world: World, picks: number[], good: (config: string) => boolean): void {
  for (const p of picks) {
    if (world.live.length === 0) return;
    const i = world.live[p % world.live.length];
    if (i.phase === 'STAGING') i.phase = 'RUNNING';
    else if (i.phase === 'RUNNING' && !i.healthy && !i.doomed && good(i.config)) i.healthy = true;
    else if (i.phase === 'KILLING') world.live = world.live.filter((x) => x !== i);
  }
}

/** Everything moves: all staged start, good ones become healthy, killing ones are gone. */
function settle(world: World, good: (config: string) => boolean): void {
  world.live = world.live.filter((i) => i.phase !== 'KILLING');
  for (const i of world.live) {
    if (i.phase === 'STAGING') i.phase = 'RUNNING';
    else if (!i.healthy && !i.doomed && good(i.config)) i.healthy = true;
  }
}

const strategyArb = fc.record({
  instances: fc.integer({ min: 0, max: 12 }),
  min: fc.constantFrom(0, 0.25, 0.5, 0.7, 0.9, 1),
  over: fc.constantFrom(0, 0.1, 0.25, 0.5, 1),
  selection: fc.constantFrom('YOUNGEST_FIRST' as const, 'OLDEST_FIRST' as const),
});

const instanceArb = fc.record({
  config: fc.constantFrom(OLD, NEW),
  phase: fc.constantFrom('STAGING' as const, 'RUNNING' as const, 'KILLING' as const),
  healthy: fc.boolean(),
  doomed: fc.boolean(),
  stagedAt: fc.integer({ min: 0, max: 100 }),
});

describe('capacityBounds', () => {
  it('follows Marathon: ⌈m × n⌉ healthy, ⌊(1 + o) × n⌋ live', () => {
    expect(capacityBounds(4, { minimumHealthCapacity: 0.5, maximumOverCapacity: 0.25 })).toEqual({ minHealthy: 2, maxTotal: 5 });
    expect(capacityBounds(10, { minimumHealthCapacity: 0.7, maximumOverCapacity: 0 })).toEqual({ minHealthy: 7, maxTotal: 10 });
    expect(capacityBounds(3, { minimumHealthCapacity: 1, maximumOverCapacity: 1 })).toEqual({ minHealthy: 3, maxTotal: 6 });
  });

  it('leaves room for one extra task when the bounds would forbid any move', () => {
    expect(capacityBounds(3, { minimumHealthCapacity: 1, maximumOverCapacity: 0 })).toEqual({ minHealthy: 3, maxTotal: 4 });
  });
});

describe('planDeployment', () => {
  it('starts, scales, restarts and stops', () => {
    expect(planDeployment(undefined, { config: 'a', instances: 3 }, [])).toEqual([{ action: 'START', instances: 0 }, { action: 'SCALE', instances: 3 }]);
    expect(planDeployment({ config: 'a', instances: 3 }, { config: 'a', instances: 5 }, ['a', 'a', 'a'])).toEqual([{ action: 'SCALE', instances: 5 }]);
    expect(planDeployment({ config: 'a', instances: 3 }, { config: 'b', instances: 3 }, ['a'])).toEqual([{ action: 'RESTART', instances: 3 }]);
    expect(planDeployment({ config: 'a', instances: 3 }, undefined, ['a'])).toEqual([{ action: 'STOP', instances: 0 }]);
    expect(planDeployment({ config: 'a', instances: 3 }, { config: 'a', instances: 3 }, ['a', 'a', 'a'])).toEqual([]);
  });

  it('restarts when instances still run another config, even if the definition did not change', () => {
    expect(planDeployment({ config: 'a', instances: 2 }, { config: 'a', instances: 3 }, ['a', 'b'])).toEqual([{ action: 'RESTART', instances: 3 }]);
  });
});

describe('converge', () => {
  it('scales down by kill selection, not-running and unhealthy first', () => {
    const live = [inst('a', { config: NEW, stagedAt: 1 }), inst('b', { config: NEW, stagedAt: 3 }), inst('c', { config: NEW, stagedAt: 2 }), inst('d', { config: NEW, stagedAt: 0, healthy: false })];
    expect(converge(target(2, 0, 1), live, { healthKillBudget: 0 }).kill.map((k) => k.id)).toEqual(['d', 'b']);
    expect(converge(target(2, 0, 1, { killSelection: 'OLDEST_FIRST' }), live, { healthKillBudget: 0 }).kill.map((k) => k.id)).toEqual(['d', 'a']);
  });

  it('rolls 4 instances with 0.5 / 0.25: two old killed, one new launched, then waits for health', () => {
    const live = [0, 1, 2, 3].map((i) => inst(`o${i}`, { stagedAt: i }));
    const r = converge(target(4, 0.5, 0.25), live, { healthKillBudget: 0 });
    expect(r.kill.map((k) => k.reason)).toEqual(['UPGRADE', 'UPGRADE']);
    expect(r.launch).toBe(1);
    expect(r.complete).toBe(false);
    expect(r.blocked).toContain('healthy');
  });

  it('replaces an unhealthy instance before killing it, then kills it within the budget', () => {
    const live = [inst('a', { config: NEW }), inst('b', { config: NEW }), inst('c', { config: NEW, healthy: false, doomed: true })];
    const first = converge(target(3, 1, 1), live, { healthKillBudget: 5 });
    expect(first).toMatchObject({ launch: 1, kill: [] });
    live.push(inst('d', { config: NEW }));
    expect(converge(target(3, 1, 1), live, { healthKillBudget: 0 }).kill).toEqual([]);
    expect(converge(target(3, 1, 1), live, { healthKillBudget: 1 }).kill).toEqual([{ id: 'c', reason: 'UNHEALTHY' }]);
  });

  it('kills an unhealthy instance first when there is no room for a replacement', () => {
    const live = [inst('a', { config: NEW }), inst('b', { config: NEW, healthy: false, doomed: true })];
    // 2 instances, minimum health 0.5 and no over-capacity: maxTotal 2.
    expect(converge(target(2, 0.5, 0), live, { healthKillBudget: 1 }).kill).toEqual([{ id: 'b', reason: 'UNHEALTHY' }]);
  });

  it('kills a failed launch (doomed before it was ever healthy) at once, outside the health-kill budget', () => {
    // The QA case: 1 instance that never passes its check. It was replaced first and both were kept forever.
    const sick = inst('a', { config: NEW, healthy: false, doomed: true, failedLaunch: true });
    const r = converge(target(1, 1, 1), [sick], { healthKillBudget: 0 });
    expect(r.kill).toEqual([{ id: 'a', reason: 'NEVER_HEALTHY' }]);
    // Its replacement is wanted (the supervisor holds it back for the backoff); the doomed one still counts as
    // live until it is gone, so the bounds hold.
    expect(r.launch).toBe(1);
    expect(r.complete).toBe(false);
    // A doomed instance that was healthy once still waits for its replacement to be healthy.
    const flapped = inst('b', { config: NEW, healthy: false, doomed: true });
    const replacement = inst('c', { config: NEW, healthy: false, stagedAt: 1 });
    expect(converge(target(1, 1, 1), [flapped, replacement], { healthKillBudget: 5 }).kill).toEqual([]);
    // Both kinds at once: the failed launch goes, the other waits (and is not counted against the budget).
    const both = converge(target(2, 1, 1), [inst('d', { config: NEW }), flapped, { ...sick, id: 'e' }], { healthKillBudget: 1 });
    expect(both.kill).toEqual([{ id: 'e', reason: 'NEVER_HEALTHY' }]);
  });

  it('stops everything for a deleted app', () => {
    const r = converge(null, [inst('a'), inst('b', { phase: 'KILLING' })], { healthKillBudget: 0 });
    expect(r.kill).toEqual([{ id: 'a', reason: 'STOP' }]);
    expect(r.complete).toBe(false);
    expect(converge(null, [], { healthKillBudget: 0 }).complete).toBe(true);
  });

  it('orders kills: staging, unhealthy, then youngest or oldest', () => {
    const list = [inst('h1', { stagedAt: 1 }), inst('s', { phase: 'STAGING', healthy: false, stagedAt: 0 }), inst('u', { healthy: false, stagedAt: 5 }), inst('h2', { stagedAt: 2 })];
    expect(killOrder(list, 'YOUNGEST_FIRST').map((i) => i.id)).toEqual(['s', 'u', 'h2', 'h1']);
    expect(killOrder(list, 'OLDEST_FIRST').map((i) => i.id)).toEqual(['s', 'u', 'h1', 'h2']);
  });
});

describe('converge properties', () => {
  it('never kills below the health floor and never launches above the maximum, from any state', () => {
    fc.assert(
      fc.property(strategyArb, fc.array(instanceArb, { maxLength: 20 }), fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 1, maxLength: 25 }), (s, initial, rounds) => {
        const world: World = { live: initial.map((x, i) => inst(`i${i}`, { ...x, healthy: x.phase === 'RUNNING' && x.healthy && !x.doomed })), seq: 0 };
        const t = target(s.instances, s.min, s.over, { killSelection: s.selection });
        rounds.forEach((picks, r) => {
          step(world, t, r + 200);
          progress(world, picks, () => true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a good new version rolls out completely: every old instance replaced by a healthy new one', () => {
    fc.assert(
      fc.property(strategyArb, fc.integer({ min: 0, max: 12 }), fc.array(fc.array(fc.nat(), { maxLength: 6 }), { maxLength: 10 }), (s, oldCount, noise) => {
        const world: World = { live: Array.from({ length: oldCount }, (_, i) => inst(`o${i}`, { stagedAt: i })), seq: 0 };
        const t = target(s.instances, s.min, s.over, { killSelection: s.selection });
        noise.forEach((picks, r) => {
          step(world, t, 100 + r);
          progress(world, picks, () => true);
        });
        let done = false;
        for (let r = 0; r < 4 * (s.instances + oldCount + 2) && !done; r++) {
          done = step(world, t, 200 + r).complete;
          settle(world, () => true);
        }
        expect(done).toBe(true);
        expect(world.live).toHaveLength(s.instances);
        expect(world.live.every((i) => i.config === NEW && i.healthy)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('a version that never becomes healthy never completes and keeps the old healthy floor', () => {
    fc.assert(
      fc.property(strategyArb.filter((s) => s.instances > 0), fc.array(fc.array(fc.nat(), { maxLength: 6 }), { minLength: 5, maxLength: 30 }), (s, rounds) => {
        const world: World = { live: Array.from({ length: s.instances }, (_, i) => inst(`o${i}`, { stagedAt: i })), seq: 0 };
        const t = target(s.instances, s.min, s.over, { killSelection: s.selection });
        const { minHealthy } = capacityBounds(s.instances, t);
        rounds.forEach((picks, r) => {
          expect(step(world, t, r).complete).toBe(false);
          progress(world, picks, (c) => c === OLD);
          expect(healthyCount(world.live)).toBeGreaterThanOrEqual(minHealthy);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('advanceDeployment', () => {
  const base: DeploymentProgress = {
    steps: [{ action: 'START', instances: 0 }, { action: 'SCALE', instances: 2 }],
    currentStep: 0,
    status: DeploymentStatus.RUNNING,
    progressAt: 0,
    progressMark: '',
    progressDeadlineMs: 10_000,
  };

  it('moves through finished steps and succeeds after the last', () => {
    const a = advanceDeployment(base, (s) => s.action === 'START', { mark: 'm0' }, 1000);
    expect(a.deployment.currentStep).toBe(1);
    expect(a.events).toEqual([{ type: 'step', step: 1 }]);
    const b = advanceDeployment(a.deployment, () => true, { mark: 'm1' }, 2000);
    expect(b.deployment.status).toBe('SUCCEEDED');
    expect(b.events).toEqual([{ type: 'step', step: 2 }, { type: 'succeeded' }]);
  });

  it('fails when the progress mark stays the same for the deadline, and not before', () => {
    const a = advanceDeployment({ ...base, currentStep: 1 }, () => false, { mark: 'x' }, 1000);
    expect(a.deployment.progressAt).toBe(1000);
    expect(advanceDeployment(a.deployment, () => false, { mark: 'x' }, 10_999).deployment.status).toBe('RUNNING');
    const failed = advanceDeployment(a.deployment, () => false, { mark: 'x', stalledBecause: 'not healthy' }, 11_000);
    expect(failed.deployment.status).toBe('FAILED');
    expect(failed.deployment.reason).toContain('not healthy');
    expect(failed.events[0].type).toBe('failed');
  });
});

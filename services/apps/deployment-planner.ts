/**
 * The deployment planner. Pure: time comes in as `now`, nothing here does I/O.
 *
 * - `planDeployment(current, target)`: the steps of a change — START (a new app), SCALE, RESTART (rolling
 *   replacement), STOP — as Marathon's DeploymentPlan does.
 * - `converge(target, instances)`: what to launch and kill *now* to move the live instances towards the target
 *   without leaving the upgrade strategy's bounds. The supervisor calls it on every tick, during deployments and
 *   in steady state (a dead task is just one instance short), so a rolling upgrade and the replacement of a
 *   crashed task follow the same rules.
 * - `advanceDeployment`: the deployment's state machine (next step, succeeded, failed on its progress deadline).
 *
 * Bounds (Marathon's): with N instances, never kill a healthy instance when that leaves fewer than
 * ⌈minimumHealthCapacity × N⌉ healthy, never launch beyond ⌊(1 + maximumOverCapacity) × N⌋ live tasks. When the
 * two leave no room to move (e.g. 1 and 0), one task above the maximum is allowed: Marathon kills a healthy task
 * instead "to get the ball rolling"; we keep the health floor and surge by one.
 */
import type { KillSelection } from './app-spec.ts';

export type DeploymentAction = 'START' | 'SCALE' | 'RESTART' | 'STOP';

export interface DeploymentStep {
  action: DeploymentAction;
  /** Instances wanted when the step is done. */
  instances: number;
}

/** A live (non-terminal, reachable) instance as the planner sees it. */
export interface InstanceSnapshot {
  id: string;
  /** Task config hash the instance runs. */
  config: string;
  phase: 'STAGING' | 'RUNNING' | 'KILLING';
  /** RUNNING and passing its health checks (or RUNNING, when the app has none). */
  healthy: boolean;
  /** Failed its health checks too often: replace it. */
  doomed: boolean;
  /**
   * Doomed before it ever passed its checks (grace period and `maxConsecutiveFailures` used up): a failed launch,
   * not a flap. Killed at once — there is nothing to keep serving until a replacement is healthy — and outside
   * the health-kill rate limit, which protects instances that were healthy.
   */
  failedLaunch?: boolean;
  stagedAt: number;
}

export interface ConvergeTarget {
  config: string;
  instances: number;
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
  killSelection: KillSelection;
}

export type KillReason = 'SCALE_DOWN' | 'UPGRADE' | 'UNHEALTHY' | 'NEVER_HEALTHY' | 'STOP';

export interface ConvergeResult {
  /** New instances of the target config to launch now. */
  launch: number;
  kill: Array<{ id: string; reason: KillReason }>;
  /** All live instances run the target config, are healthy and number `instances`. */
  complete: boolean;
  /** Why the planner holds back (capacity, health floor, replacement not healthy yet), when it does. */
  blocked?: string;
  minHealthy: number;
  maxTotal: number;
}

export interface CapacityBounds {
  minHealthy: number;
  maxTotal: number;
}

export function capacityBounds(instances: number, s: { minimumHealthCapacity: number; maximumOverCapacity: number }): CapacityBounds {
  // Round before ceil/floor: 0.7 × 10 is 7.000000000000001 in binary floating point.
  const minHealthy = Math.ceil(Math.round(s.minimumHealthCapacity * instances * 1e6) / 1e6);
  let maxTotal = Math.floor(Math.round((1 + s.maximumOverCapacity) * instances * 1e6) / 1e6);
  if (instances > 0 && maxTotal <= minHealthy) maxTotal = minHealthy + 1;
  return { minHealthy, maxTotal };
}

/** Kill order: not yet running first, then unhealthy, then by kill selection. */
export function killOrder<T extends Pick<InstanceSnapshot, 'phase' | 'healthy' | 'stagedAt' | 'id'>>(list: readonly T[], selection: KillSelection): T[] {
  const rank = (i: T): number => (i.phase !== 'RUNNING' ? 0 : i.healthy ? 2 : 1);
  return [...list].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const age = selection === 'OLDEST_FIRST' ? a.stagedAt - b.stagedAt : b.stagedAt - a.stagedAt;
    return age !== 0 ? age : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/**
 * Launches and kills that move `instances` towards `target` (null: the app is being deleted, kill everything).
 * `healthKillBudget` caps kills of doomed instances (the supervisor's rate limit). Killing tasks are still
 * counted as live until they are gone, so capacity is never exceeded while they shut down.
 */
export function converge(target: ConvergeTarget | null, instances: readonly InstanceSnapshot[], opts: { healthKillBudget: number }): ConvergeResult {
  const alive = instances.filter((i) => i.phase !== 'KILLING');
  const total = instances.length;
  if (target === null) {
    return { launch: 0, kill: alive.map((i) => ({ id: i.id, reason: 'STOP' as const })), complete: total === 0, minHealthy: 0, maxTotal: 0 };
  }
  const n = target.instances;
  const { minHealthy, maxTotal } = capacityBounds(n, target);
  let healthy = alive.filter((i) => i.healthy).length;
  const kill: ConvergeResult['kill'] = [];
  const blocked: string[] = [];
  const tryKill = (i: InstanceSnapshot, reason: KillReason): boolean => {
    if (i.healthy && healthy - 1 < minHealthy) return false;
    if (i.healthy) healthy--;
    kill.push({ id: i.id, reason });
    return true;
  };

  const current = alive.filter((i) => i.config === target.config && !i.doomed);
  const old = alive.filter((i) => i.config !== target.config);
  const doomed = alive.filter((i) => i.config === target.config && i.doomed);

  // Too many of the target config: scale down.
  let surplus = current.length - n;
  const keptCurrent = new Set(current.map((i) => i.id));
  for (const victim of killOrder(current, target.killSelection)) {
    if (surplus <= 0) break;
    if (!tryKill(victim, 'SCALE_DOWN')) {
      blocked.push(`scale down held at ${minHealthy} healthy (minimumHealthCapacity)`);
      break;
    }
    keptCurrent.delete(victim.id);
    surplus--;
  }

  // Old config: unhealthy ones go at once, healthy ones while the health floor allows.
  let oldLeft = old.length;
  for (const victim of killOrder(old, target.killSelection)) {
    if (!tryKill(victim, 'UPGRADE')) {
      blocked.push(`waiting for new instances to become healthy before killing ${oldLeft} old (keeping ${minHealthy} healthy)`);
      break;
    }
    oldLeft--;
  }

  // Doomed before ever being healthy: a failed launch, killed at once (the replacement waits for the backoff).
  for (const victim of doomed) if (victim.failedLaunch) kill.push({ id: victim.id, reason: 'NEVER_HEALTHY' });

  // Doomed by health checks after being healthy: replacement first, then the kill (rate-limited).
  const healthyCurrent = current.filter((i) => i.healthy && keptCurrent.has(i.id)).length;
  const noRoom = total >= maxTotal && keptCurrent.size < n;
  let budget = opts.healthKillBudget;
  for (const victim of doomed) {
    if (victim.failedLaunch) continue;
    if (!(healthyCurrent >= n || noRoom)) {
      blocked.push(`unhealthy instance ${victim.id} is killed once its replacement is healthy`);
      break;
    }
    if (budget <= 0) {
      blocked.push('health kills rate-limited');
      break;
    }
    budget--;
    kill.push({ id: victim.id, reason: 'UNHEALTHY' });
  }

  const want = Math.max(0, n - keptCurrent.size);
  const room = Math.max(0, maxTotal - total);
  const launch = Math.min(want, room);
  if (launch < want) blocked.push(`at maximum capacity: ${total} live tasks, at most ${maxTotal} (maximumOverCapacity)`);

  const complete = kill.length === 0 && launch === 0 && total === n && current.length === n && current.every((i) => i.healthy);
  const result: ConvergeResult = { launch, kill, complete, minHealthy, maxTotal };
  if (blocked.length) result.blocked = blocked.join('; ');
  return result;
}

/**
 * The steps of a change from `current` (undefined: the app is new) to `target` (undefined: delete it).
 * `liveConfigs` are the config hashes of the app's live instances: any other than the target's means a
 * rolling RESTART. No change at all gives no steps (the deployment succeeds at once).
 */
export function planDeployment(
  current: { config: string; instances: number } | undefined,
  target: { config: string; instances: number } | undefined,
  liveConfigs: readonly string[],
): DeploymentStep[] {
  if (!target) return [{ action: 'STOP', instances: 0 }];
  if (!current) return target.instances > 0 ? [{ action: 'START', instances: 0 }, { action: 'SCALE', instances: target.instances }] : [{ action: 'START', instances: 0 }];
  if (current.config !== target.config || liveConfigs.some((c) => c !== target.config)) return [{ action: 'RESTART', instances: target.instances }];
  if (current.instances !== target.instances) return [{ action: 'SCALE', instances: target.instances }];
  return [];
}

export const DeploymentStatus = { RUNNING: 'RUNNING', SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED', CANCELLED: 'CANCELLED' } as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

/** What the state machine needs of a deployment. */
export interface DeploymentProgress {
  steps: DeploymentStep[];
  /** 0-based index of the step being executed; `steps.length` once all are done. */
  currentStep: number;
  status: DeploymentStatus;
  /** When the progress mark last changed. */
  progressAt: number;
  /** A summary of progress (step, new healthy, old left); any change of it is progress. */
  progressMark: string;
  progressDeadlineMs: number;
  finishedAt?: number;
  reason?: string;
}

export type DeploymentEvent = { type: 'step'; step: number } | { type: 'succeeded' } | { type: 'failed'; reason: string };

/**
 * One tick of a running deployment: `stepDone` says whether the current step's goal is met (START: always;
 * SCALE/RESTART: `converge(...).complete`; STOP: no live instance left). Advances through every finished step,
 * succeeds after the last, and fails when the progress mark has not changed for the progress deadline.
 */
export function advanceDeployment<D extends DeploymentProgress>(
  d: D,
  stepDone: (step: DeploymentStep) => boolean,
  observation: { mark: string; stalledBecause?: string },
  now: number,
): { deployment: D; events: DeploymentEvent[] } {
  if (d.status !== DeploymentStatus.RUNNING) return { deployment: d, events: [] };
  const next: D = { ...d };
  const events: DeploymentEvent[] = [];
  while (next.currentStep < next.steps.length && stepDone(next.steps[next.currentStep])) {
    next.currentStep++;
    next.progressAt = now;
    events.push({ type: 'step', step: next.currentStep });
  }
  if (next.currentStep >= next.steps.length) {
    next.status = DeploymentStatus.SUCCEEDED;
    next.finishedAt = now;
    events.push({ type: 'succeeded' });
    return { deployment: next, events };
  }
  if (observation.mark !== next.progressMark) {
    next.progressMark = observation.mark;
    next.progressAt = now;
  } else if (now - next.progressAt >= next.progressDeadlineMs) {
    next.status = DeploymentStatus.FAILED;
    next.finishedAt = now;
    const step = next.steps[next.currentStep];
    next.reason = `no progress for ${Math.round(next.progressDeadlineMs / 1000)} s in step ${next.currentStep + 1} of ${next.steps.length} (${step.action})${observation.stalledBecause ? `: ${observation.stalledBecause}` : ''}`;
    events.push({ type: 'failed', reason: next.reason });
  }
  return { deployment: next, events };
}

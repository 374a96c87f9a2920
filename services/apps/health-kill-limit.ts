/**
 * The health-kill rate limit of one app, pure (Marathon #3317, #3318): a flapping network or an overloaded
 * checker must not take a whole app down. Per detection window (the slowest check's interval × failures) at most
 * `share` of the app's instances (at least 1) are killed for their health, and none while `pauseShare` of them
 * (and at least 2) that were healthy fail at once — then the checker or the network is the likelier culprit —
 * nor for one window after.
 *
 * Only instances that were healthy count: one that never passed its checks is a failed launch, killed outside
 * this limit (counting those paused the kills of a 1-instance app and of its replacement forever).
 */
import type { HealthCheckSpec } from './app-spec.ts';

export interface HealthKillLimitInput {
  checks: readonly Pick<HealthCheckSpec, 'intervalSeconds' | 'maxConsecutiveFailures'>[];
  /** Instances the app wants (not the live ones: replacements started meanwhile must not dilute the share). */
  wanted: number;
  /** Live instances not being killed that were healthy once and fail now (doomed, or failing their checks). */
  failingHealthyOnce: number;
  /** Times of the app's recent health kills. */
  kills: readonly number[];
  /** The end of the pause after the last fault, if one was paused. */
  pausedUntil?: number;
  share: number;
  pauseShare: number;
  now: number;
}

export interface HealthKillLimit {
  /** Health kills allowed now. */
  budget: number;
  /** The kills still inside the window. */
  kills: number[];
  /** Why kills are paused, when they are. */
  paused?: string;
  pausedUntil?: number;
}

export function healthKillLimit(input: HealthKillLimitInput): HealthKillLimit {
  const { checks, wanted, failingHealthyOnce: failing, share, pauseShare, now } = input;
  if (checks.length === 0) return { budget: 0, kills: [] };
  const windowMs = Math.max(1000, ...checks.map((c) => c.intervalSeconds * Math.max(1, c.maxConsecutiveFailures) * 1000));
  const kills = input.kills.filter((t) => now - t < windowMs);
  if (failing >= 2 && failing >= pauseShare * wanted) {
    // The pause outlasts the fault by one detection window: instances recovering from the same fault pass their
    // checks a few intervals apart, and the last ones must not be killed for being a little late.
    return {
      budget: 0,
      kills,
      paused: `${failing} of ${wanted} instances unhealthy at once: health kills paused (checker or network fault suspected)`,
      pausedUntil: now + windowMs,
    };
  }
  if (input.pausedUntil !== undefined && now < input.pausedUntil) {
    return { budget: 0, kills, paused: `health kills paused until ${new Date(input.pausedUntil).toISOString()}: many instances failed at once`, pausedUntil: input.pausedUntil };
  }
  const limit = Math.max(1, Math.ceil(share * wanted));
  return { budget: Math.max(0, limit - kills.length), kills };
}

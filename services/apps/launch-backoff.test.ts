import { describe, expect, it } from 'vitest';
import { delayAfter, NO_BACKOFF, recordFailure, remainingMs, resetsBackoff, STABLE_MS } from './launch-backoff.ts';

const policy = { backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 };

describe('launch backoff', () => {
  it('grows by the factor per failure up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => delayAfter(n, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
    const s = recordFailure(recordFailure(NO_BACKOFF, policy, 1000), policy, 3000);
    expect(s).toEqual({ failures: 2, delayMs: 2000, until: 5000, lastFailureAt: 3000 });
    expect(remainingMs(s, 4000)).toBe(1000);
  });

  it('is reset only by an instance launched after the last failure that stayed up', () => {
    const s = recordFailure(NO_BACKOFF, policy, 50_000);
    // A sibling up since long before the failure proves nothing about the instance that keeps dying.
    expect(resetsBackoff(s, 0, 1000, 60_000)).toBe(false);
    expect(resetsBackoff(s, 51_000, 51_500, 51_500 + STABLE_MS - 1)).toBe(false);
    expect(resetsBackoff(s, 51_000, 51_500, 51_500 + STABLE_MS)).toBe(true);
    expect(resetsBackoff(NO_BACKOFF, 51_000, 51_500, 100_000)).toBe(false);
  });
});

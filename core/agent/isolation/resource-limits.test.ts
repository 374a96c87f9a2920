import { describe, expect, it } from 'vitest';
import type { Resources } from '../../resources/types.ts';
import { cgroupLimits, memoryLimitation, memoryLimitMb, sharesToWeight } from './resource-limits.ts';

const res = (scalars: Record<string, number>): Resources => ({ scalars, ranges: {}, sets: {} });

describe('resource limits', () => {
  it('follows Mesos: 1024 shares per cpu (min 2), memory at least 32 MB, quota only when asked', () => {
    expect(cgroupLimits(res({ cpus: 1.5, mem: 64 }), false)).toEqual({ cpuPeriodUs: 100_000, cpuShares: 1536, memBytes: 64 * 1024 * 1024 });
    expect(cgroupLimits(res({ cpus: 0.001, mem: 8 }), true)).toEqual({ cpuPeriodUs: 100_000, cpuShares: 2, cpuQuotaUs: 1000, memBytes: 32 * 1024 * 1024 });
    expect(cgroupLimits(res({ cpus: 0.5 }), true)).toEqual({ cpuPeriodUs: 100_000, cpuShares: 512, cpuQuotaUs: 50_000 });
    expect(memoryLimitMb(res({ mem: 0 }))).toBeUndefined();
  });

  it('converts shares to cgroup v2 weights', () => {
    expect(sharesToWeight(2)).toBe(1);
    expect(sharesToWeight(1024)).toBe(39);
    expect(sharesToWeight(262_144)).toBe(10_000);
  });

  it('names the limit in the memory limitation', () => {
    expect(memoryLimitation(64 * 1024 * 1024, 'killed')).toEqual({
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      message: "Memory limit exceeded: the task's limit is 64 MB; killed",
    });
  });
});

import type { Resources } from '../../resources/types.ts';
import { TaskReason } from '../../sdk/protocol.ts';
import type { Limitation } from '../isolator.ts';

/**
 * The limits a task's resources translate to, with Mesos' rules (cgroups/mem, cgroups/cpu): memory at least 32 MB;
 * CPU shares 1024 per cpu, at least 2; the optional CFS hard quota `cpus` × the 100 ms period, at least 1 ms. Pure.
 */
export const MIN_MEMORY_MB = 32;
export const CPU_SHARES_PER_CPU = 1024;
export const MIN_CPU_SHARES = 2;
export const CFS_PERIOD_US = 100_000;
export const MIN_CFS_QUOTA_US = 1000;
const MB = 1024 * 1024;

export interface CgroupLimits {
  memBytes?: number;
  cpuShares?: number;
  /** With the hard quota on: CPU time allowed per `cpuPeriodUs`. */
  cpuQuotaUs?: number;
  cpuPeriodUs: number;
}

/** The task's memory limit in MB, or undefined when it asks for no memory (then nothing is enforced). */
export function memoryLimitMb(resources: Resources | undefined): number | undefined {
  const mem = resources?.scalars?.mem;
  if (typeof mem !== 'number' || !Number.isFinite(mem) || mem <= 0) return undefined;
  return Math.max(MIN_MEMORY_MB, mem);
}

export function memoryLimitBytes(resources: Resources | undefined): number | undefined {
  const mb = memoryLimitMb(resources);
  return mb === undefined ? undefined : Math.round(mb * MB);
}

export function cgroupLimits(resources: Resources | undefined, hardCpuQuota: boolean): CgroupLimits {
  const limits: CgroupLimits = { cpuPeriodUs: CFS_PERIOD_US };
  const memBytes = memoryLimitBytes(resources);
  if (memBytes !== undefined) limits.memBytes = memBytes;
  const cpus = resources?.scalars?.cpus;
  if (typeof cpus === 'number' && Number.isFinite(cpus) && cpus > 0) {
    limits.cpuShares = Math.max(MIN_CPU_SHARES, Math.round(cpus * CPU_SHARES_PER_CPU));
    if (hardCpuQuota) limits.cpuQuotaUs = Math.max(MIN_CFS_QUOTA_US, Math.round(cpus * CFS_PERIOD_US));
  }
  return limits;
}

/** cgroup v2 `cpu.weight` (1…10000) for v1 shares, the conversion runc and systemd use. */
export function sharesToWeight(shares: number): number {
  return Math.min(10_000, Math.max(1, 1 + Math.floor(((shares - 2) * 9999) / 262_142)));
}

export function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** The memory limitation, naming the limit and how it was enforced. */
export function memoryLimitation(limitBytes: number, how: string): Limitation {
  return { reason: TaskReason.CONTAINER_LIMITATION_MEMORY, message: `Memory limit exceeded: the task's limit is ${formatMb(limitBytes)}; ${how}` };
}

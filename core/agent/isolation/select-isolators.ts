import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { Clock } from '../../clock/clock.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Isolator } from '../isolator.ts';
import { readCgroupFile } from './cgroup-files.ts';
import { readCgroupMounts, type CgroupMounts } from './cgroup-mounts.ts';
import { CgroupsIsolator } from './cgroups-isolator.ts';
import { CgroupsV1Layout } from './cgroups-v1-layout.ts';
import { CgroupsV2Layout } from './cgroups-v2-layout.ts';
import { IsolationMode, parseIsolation } from './isolation-options.ts';
import { PidNamespaceIsolator } from './pid-namespace-isolator.ts';
import { PosixIsolator } from './posix-isolator.ts';

export interface IsolationSettings {
  /** `auto` | `cgroups` | `posix`, optionally `,pid` (isolation-options.ts). */
  isolation: string;
  /** The agent's work dir: names its parent cgroup, stable across restarts and distinct per agent on a host. */
  workDir: string;
  /** Top cgroup under each hierarchy (Mesos' --cgroups_root). */
  cgroupsRoot: string;
  hardCpuQuota: boolean;
  pollMs: number;
  clock: Clock;
  log: Logger;
  /** For tests; default: this host's /proc/self/mountinfo. */
  mounts?: CgroupMounts;
}

/**
 * The resource isolators the agent applies, in wrapper order. `auto` takes cgroups v1 (memory and cpu mounted and
 * writable), else cgroups v2 (its hierarchy has them), else posix, and logs why it fell back. An explicit choice the
 * host cannot honour throws with the reason, so a misconfigured agent does not run tasks unconfined.
 */
export function selectIsolators(s: IsolationSettings): Isolator[] {
  const choice = parseIsolation(s.isolation);
  if (!choice.ok) throw new Error(choice.error.message);
  const { mode, pid } = choice.value;
  const isolators: Isolator[] = [];
  if (mode === IsolationMode.POSIX) {
    isolators.push(new PosixIsolator(s));
  } else {
    const cgroups = openCgroups(s);
    if (cgroups.isolator) {
      isolators.push(cgroups.isolator);
    } else if (mode === IsolationMode.CGROUPS) {
      throw new Error(`cgroups isolation is not available on this host: ${cgroups.reasons.join('; ')}`);
    } else {
      s.log.info({ reasons: cgroups.reasons }, 'cgroups not usable here; isolating with posix rlimits and RSS polling');
      isolators.push(new PosixIsolator(s));
    }
  }
  if (pid) {
    const ns = PidNamespaceIsolator.open();
    if (!ns.ok) throw new Error(`pid isolation is not available on this host: ${ns.error}`);
    isolators.push(ns.value);
  }
  return isolators;
}

function openCgroups(s: IsolationSettings): { isolator?: CgroupsIsolator; reasons: string[] } {
  const mounts = s.mounts ?? readCgroupMounts();
  const relative = `${s.cgroupsRoot}/${agentKey(s.workDir)}`;
  const v1 = CgroupsV1Layout.open(mounts, relative);
  const layout = v1.ok ? v1 : CgroupsV2Layout.open(mounts.v2, relative);
  if (!layout.ok) return { reasons: [`v1: ${v1.ok ? '' : v1.error}`, `v2: ${layout.error}`] };
  s.log.info({ cgroups: layout.value.name, controllers: layout.value.controllers, parents: layout.value.parents }, 'task cgroups ready');
  return { isolator: new CgroupsIsolator({ layout: layout.value, hardCpuQuota: s.hardCpuQuota, pollMs: s.pollMs, clock: s.clock, log: s.log }), reasons: [] };
}

/**
 * Why this process could not isolate with cgroups, or undefined when it could (v1 memory and cpu mounted and
 * writable, or a v2 hierarchy with both). Creates nothing: for tests and diagnostics that must say why they skip.
 */
export function cgroupsUnavailableReason(mounts: CgroupMounts = readCgroupMounts()): string | undefined {
  const v1 = ['memory', 'cpu'].map((c) => mounts.v1.get(c));
  if (v1.every((m) => m !== undefined && writable(m))) return undefined;
  const v2 = mounts.v2 === undefined ? undefined : (readCgroupFile(`${mounts.v2}/cgroup.controllers`) ?? '').split(/\s+/);
  if (v2?.includes('memory') && v2.includes('cpu') && writable(mounts.v2 as string)) return undefined;
  const user = typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'this user';
  return `no writable cgroup v1 memory+cpu hierarchy and no cgroup2 hierarchy with memory+cpu controllers for ${user}`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** 16 hex digits of the work dir's hash: a cgroup name per agent that survives its restarts. */
export function agentKey(workDir: string): string {
  return createHash('sha256').update(resolve(workDir)).digest('hex').slice(0, 16);
}

import { readFileSync } from 'node:fs';

/** Where the cgroup hierarchies are mounted: v1 per controller (co-mounted ones share a path), v2 once. */
export interface CgroupMounts {
  /** v1 controller (`memory`, `cpu`, `cpuacct`, `pids`…) → mount point. */
  v1: Map<string, string>;
  /** The cgroup2 (unified) mount point, if any. */
  v2?: string;
}

/** Super options of a v1 cgroup mount that are not controller names. */
const NOT_CONTROLLERS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode', 'favordynmods']);

/**
 * Parses `/proc/self/mountinfo`: `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTIONS`.
 * A v1 hierarchy's super options name its controllers (`rw,cpu,cpuacct`); the first mount of each wins. Pure.
 */
export function parseMountInfo(text: string): CgroupMounts {
  const mounts: CgroupMounts = { v1: new Map() };
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 4) continue;
    const mountPoint = unescapeMountPath(fields[4]);
    const fsType = fields[dash + 1];
    if (fsType === 'cgroup2') {
      mounts.v2 ??= mountPoint;
    } else if (fsType === 'cgroup') {
      for (const option of fields[dash + 3].split(',')) {
        if (NOT_CONTROLLERS.has(option) || option.includes('=')) continue;
        if (!mounts.v1.has(option)) mounts.v1.set(option, mountPoint);
      }
    }
  }
  return mounts;
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo`. */
function unescapeMountPath(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function readCgroupMounts(): CgroupMounts {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  } catch {
    return { v1: new Map() }; // no procfs (not Linux): no cgroups
  }
}

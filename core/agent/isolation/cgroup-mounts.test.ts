import { describe, expect, it } from 'vitest';
import { parseMountInfo } from './cgroup-mounts.ts';

const HYBRID = [
  '25 30 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid shared:5 - cgroup2 cgroup2 rw,nsdelegate',
  '27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct',
  '28 25 0:25 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory',
  '29 25 0:26 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd',
  '30 25 0:27 / /sys/fs/cgroup/my\\040pids rw - cgroup cgroup rw,pids',
  '',
].join('\n');

describe('parseMountInfo', () => {
  it('maps v1 controllers to their mount (co-mounted ones share it) and finds the v2 mount', () => {
    const m = parseMountInfo(HYBRID);
    expect(Object.fromEntries(m.v1)).toEqual({
      cpu: '/sys/fs/cgroup/cpu,cpuacct',
      cpuacct: '/sys/fs/cgroup/cpu,cpuacct',
      memory: '/sys/fs/cgroup/memory',
      pids: '/sys/fs/cgroup/my pids',
    });
    expect(m.v2).toBe('/sys/fs/cgroup/unified');
  });

  it('finds nothing on a host without cgroups', () => {
    expect(parseMountInfo('22 1 8:1 / / rw - ext4 /dev/sda1 rw\n')).toEqual({ v1: new Map() });
  });
});

/**
 * The cgroup layouts against a fake cgroupfs (plain files in a temp dir): which files get which limits, and how the
 * kernel's counters read back as usage. The v2 layout cannot run for real on hosts whose v2 hierarchy lacks the
 * controllers (as here), so this is what checks its file names and values; v1 runs for real in agent-isolation*.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CgroupsV1Layout } from '../../core/agent/isolation/cgroups-v1-layout.ts';
import { CgroupsV2Layout } from '../../core/agent/isolation/cgroups-v2-layout.ts';

const MB = 1024 * 1024;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'orrery-fake-cgroupfs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (path: string) => readFileSync(path, 'utf8');

describe('CgroupsV2Layout on a fake unified hierarchy', () => {
  it('refuses a hierarchy without memory and cpu (as on hosts that bind them to v1)', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'hugetlb\n');
    expect(CgroupsV2Layout.open(root, 'orrery/agent1')).toEqual({ ok: false, error: `the cgroup2 hierarchy at ${root} lacks the memory and cpu controller (bound to v1?)` });
    expect(CgroupsV2Layout.open(undefined, 'orrery/agent1')).toMatchObject({ ok: false });
  });

  it('delegates the controllers down to the agent, writes memory.max, cpu.weight, cpu.max, and reads usage back', () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids\n');
    const opened = CgroupsV2Layout.open(root, 'orrery/agent1');
    if (!opened.ok) throw new Error(opened.error);
    const layout = opened.value;
    expect(layout.controllers).toEqual(['memory', 'cpu', 'pids']);
    for (const dir of [root, join(root, 'orrery'), join(root, 'orrery/agent1')]) expect(read(join(dir, 'cgroup.subtree_control'))).toBe('+memory +cpu +pids');
    expect(layout.dirs('run-1')).toEqual([join(root, 'orrery/agent1/run-1')]);

    layout.create('run-1', { memBytes: 64 * MB, cpuShares: 1536, cpuQuotaUs: 150_000, cpuPeriodUs: 100_000 });
    const dir = join(root, 'orrery/agent1/run-1');
    expect(read(join(dir, 'memory.max'))).toBe(String(64 * MB));
    expect(read(join(dir, 'cpu.weight'))).toBe('59');
    expect(read(join(dir, 'cpu.max'))).toBe('150000 100000');

    writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 3500000\nuser_usec 3000000\nsystem_usec 500000\nnr_periods 40\nnr_throttled 7\nthrottled_usec 250000\n');
    writeFileSync(join(dir, 'memory.stat'), 'anon 10485760\nfile 2097152\nfile_mapped 1048576\n');
    writeFileSync(join(dir, 'memory.current'), '13631488\n');
    writeFileSync(join(dir, 'memory.peak'), '67108864\n');
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n');
    writeFileSync(join(dir, 'pids.current'), '3\n');
    expect(layout.oomKills('run-1')).toBe(1);
    expect(layout.usage('run-1')).toEqual({
      isolation: 'cgroups/v2',
      cpusUserTimeSecs: 3,
      cpusSystemTimeSecs: 0.5,
      cpusNrPeriods: 40,
      cpusNrThrottled: 7,
      cpusThrottledTimeSecs: 0.25,
      memRssBytes: 11 * MB,
      memTotalBytes: 13 * MB,
      memMaxTotalBytes: 64 * MB,
      memLimitBytes: 64 * MB,
      memOomKills: 1,
      processes: 3,
    });
    expect(layout.oomKills('gone')).toBeUndefined();
  });
});

describe('CgroupsV1Layout on fake per-controller hierarchies', () => {
  const mounts = () => {
    const v1 = new Map<string, string>();
    for (const c of ['memory', 'cpu', 'cpuacct', 'pids']) {
      mkdirSync(join(root, c));
      v1.set(c, join(root, c));
    }
    return { v1 };
  };

  it('needs memory and cpu mounted', () => {
    expect(CgroupsV1Layout.open({ v1: new Map([['memory', root]]) }, 'orrery/a')).toEqual({ ok: false, error: 'cgroup v1 controller cpu is not mounted' });
  });

  it('creates one cgroup per hierarchy with the limits, and reads usage from cpuacct, memory, cpu and pids', () => {
    const opened = CgroupsV1Layout.open(mounts(), 'orrery/a');
    if (!opened.ok) throw new Error(opened.error);
    const layout = opened.value;
    expect(layout.controllers).toEqual(['memory', 'cpu', 'cpuacct', 'pids']);
    expect(layout.dirs('run-1')).toEqual(['memory', 'cpu', 'cpuacct', 'pids'].map((c) => join(root, c, 'orrery/a/run-1')));
    layout.create('run-1', { memBytes: 64 * MB, cpuShares: 512, cpuPeriodUs: 100_000 });
    const dir = (c: string) => join(root, c, 'orrery/a/run-1');
    expect(read(join(dir('memory'), 'memory.limit_in_bytes'))).toBe(String(64 * MB));
    expect(read(join(dir('cpu'), 'cpu.shares'))).toBe('512');

    writeFileSync(join(dir('cpuacct'), 'cpuacct.usage_user'), '1500000000\n');
    writeFileSync(join(dir('cpuacct'), 'cpuacct.usage_sys'), '250000000\n');
    writeFileSync(join(dir('cpu'), 'cpu.stat'), 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n');
    writeFileSync(join(dir('memory'), 'memory.stat'), 'cache 4096\nrss 8192\ntotal_cache 2097152\ntotal_rss 10485760\n');
    writeFileSync(join(dir('memory'), 'memory.usage_in_bytes'), '12582912\n');
    writeFileSync(join(dir('memory'), 'memory.max_usage_in_bytes'), '67108864\n');
    writeFileSync(join(dir('memory'), 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    writeFileSync(join(dir('pids'), 'pids.current'), '4\n');
    expect(layout.usage('run-1')).toEqual({
      isolation: 'cgroups/v1',
      cpusUserTimeSecs: 1.5,
      cpusSystemTimeSecs: 0.25,
      cpusNrPeriods: 0,
      cpusNrThrottled: 0,
      cpusThrottledTimeSecs: 0,
      memRssBytes: 10 * MB,
      memTotalBytes: 12 * MB,
      memMaxTotalBytes: 64 * MB,
      memLimitBytes: 64 * MB,
      memOomKills: 2,
      processes: 4,
    });
  });
});

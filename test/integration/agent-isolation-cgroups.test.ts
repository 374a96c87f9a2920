/**
 * cgroups with real processes: CPU shares split a busy 2-core agent by the tasks' `cpus`, and an agent restart
 * keeps cgroup-limited tasks in the same cgroups with their limits enforced, while orphaned cgroups are removed.
 * Runs where this host allows cgroups and says so when it does not.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../core/agent/agent.ts';
import { readCgroupMounts } from '../../core/agent/isolation/cgroup-mounts.ts';
import { agentKey } from '../../core/agent/isolation/select-isolators.ts';
import { newAgent, removeWorkDir, shellTask, tempWorkDir, waitForState, waitForTerminal } from '../helpers/agent-fixture.ts';
import { FakeMasterForAgents } from '../helpers/fake-master-for-agents.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { FW, go, HOG, MB, memoryCgroupOf, noCgroups, ready, sayWhySkipped, withResources } from './agent-isolation-fixture.ts';

sayWhySkipped('agent-isolation-cgroups');

/** Two busy loops: enough demand for both cores, so only the shares decide the split. */
const SPIN = 'spin() { while :; do :; done; }; spin & spin & wait';
const TWO_CORES = { scalars: { cpus: 2, mem: 1024 }, ranges: {}, sets: {} };

describe.skipIf(noCgroups !== undefined)(`cgroups isolation${noCgroups ? ` (SKIPPED: ${noCgroups})` : ''}`, () => {
  let workDir: string;
  const agents: Agent[] = [];

  beforeEach(async () => {
    workDir = await tempWorkDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop({ killTasks: true });
    await removeWorkDir(workDir);
  });

  const start = async (master: FakeMasterForAgents, hardCpuQuota = false): Promise<Agent> => {
    const agent = newAgent(workDir, { isolation: 'cgroups', isolationPollMs: 100, resources: TWO_CORES, cgroupsHardCpuQuota: hardCpuQuota });
    agents.push(agent);
    await agent.start(master);
    return agent;
  };

  const cpuSeconds = async (agent: Agent, taskId: string): Promise<number> => {
    const r = await agent.taskStats(taskId);
    if (!r.ok) throw new Error(r.error.message);
    return r.value.cpusUserTimeSecs + r.value.cpusSystemTimeSecs;
  };

  it('gives two CPU-bound tasks with cpus 1.5 and 0.5 CPU time in about that ratio (3:1) on a 2-core agent', async () => {
    const master = new FakeMasterForAgents();
    const agent = await start(master);
    agent.launch(FW, withResources(shellTask('t-big', SPIN), { cpus: 1.5, mem: 64 }));
    agent.launch(FW, withResources(shellTask('t-small', SPIN), { cpus: 0.5, mem: 64 }));
    await waitForState(master, 't-big', 'RUNNING');
    await waitForState(master, 't-small', 'RUNNING');
    // Let both reach full demand, then measure a window of CPU time (the cgroup counts every process of the task).
    await waitFor(async () => (await cpuSeconds(agent, 't-small')) > 0.1, { timeoutMs: 10_000, message: 't-small spinning' });
    const [big0, small0] = [await cpuSeconds(agent, 't-big'), await cpuSeconds(agent, 't-small')];
    await waitFor(async () => (await cpuSeconds(agent, 't-big')) - big0 > 2, { timeoutMs: 30_000, intervalMs: 100, message: '2 s of CPU for t-big' });
    const [big1, small1] = [await cpuSeconds(agent, 't-big'), await cpuSeconds(agent, 't-small')];
    const ratio = (big1 - big0) / (small1 - small0);
    // Shares are only a weight against each other (and other processes on this shared machine): generous bounds.
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(5);
    agent.kill(FW, 't-big', 0);
    agent.kill(FW, 't-small', 0);
    expect(await waitForTerminal(master, 't-big')).toMatchObject({ state: 'KILLED' });
    expect(await waitForTerminal(master, 't-small')).toMatchObject({ state: 'KILLED' });
  }, 60_000);

  it('caps a task at its cpus with the optional hard quota and counts the throttling', async () => {
    const master = new FakeMasterForAgents();
    const agent = await start(master, true);
    agent.launch(FW, withResources(shellTask('t-capped', SPIN), { cpus: 0.2, mem: 64 }));
    await waitForState(master, 't-capped', 'RUNNING');
    const t0 = Date.now();
    const c0 = await cpuSeconds(agent, 't-capped');
    const throttled = await waitFor(async () => {
      const r = await agent.taskStats('t-capped');
      return r.ok && (r.value.cpusNrThrottled ?? 0) >= 10 && Date.now() - t0 > 1500 ? r.value : undefined;
    }, { timeoutMs: 15_000, message: 't-capped throttled' });
    const rate = (throttled.cpusUserTimeSecs + throttled.cpusSystemTimeSecs - c0) / ((Date.now() - t0) / 1000);
    // Two spinning loops would take two cores; the quota allows 0.2 of one (slack for the period boundaries).
    expect(rate).toBeLessThan(0.35);
    expect(throttled.cpusThrottledTimeSecs).toBeGreaterThan(0);
    agent.kill(FW, 't-capped', 0);
    expect(await waitForTerminal(master, 't-capped')).toMatchObject({ state: 'KILLED' });
  }, 30_000);

  it('keeps a cgroup-limited task limited across an agent restart: same cgroup, same limit, OOM still reported; orphans removed', async () => {
    const masterA = new FakeMasterForAgents('agent-cg');
    const a = await start(masterA);
    a.launch(FW, withResources(shellTask('t-hog', `touch ready; while [ ! -e go ]; do sleep 0.02; done; exec ${process.execPath} -e '${HOG}'`), { cpus: 0.5, mem: 64 }));
    const pid = (await waitForState(masterA, 't-hog', 'RUNNING')).executorPid as number;
    await ready(workDir, 't-hog');
    const before = memoryCgroupOf(pid);
    await a.stop({ killTasks: false });
    agents.splice(agents.indexOf(a), 1);

    // A crash could leave a cgroup of a run the checkpoint no longer knows: the next agent removes it.
    const orphans = [...new Set([...readCgroupMounts().v1.values()])]
      .map((mount) => `${mount}/orrery/${agentKey(workDir)}/orphan-run`)
      .filter((dir) => existsSync(dir.slice(0, dir.lastIndexOf('/'))));
    for (const dir of orphans) mkdirSync(dir);

    const masterB = new FakeMasterForAgents();
    const b = await start(masterB);
    expect(masterB.registrations[0].isolators.some((i) => i.startsWith('cgroups/'))).toBe(true);
    expect(masterB.registrations[0].tasks.map((t) => [t.task.taskId, t.state])).toEqual([['t-hog', 'RUNNING']]);
    expect(memoryCgroupOf(pid)).toEqual(before);
    expect(readFileSync(before.limitFile, 'utf8').trim()).toBe(String(64 * MB));
    for (const dir of orphans) expect(existsSync(dir)).toBe(false);

    await go(workDir, 't-hog');
    const end = await waitForTerminal(masterB, 't-hog', 15_000);
    expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
    expect(end.message).toContain('64 MB');
    expect(existsSync(before.dir)).toBe(false);
    expect(b.runningTasks()).toBe(0);
  }, 30_000);
});

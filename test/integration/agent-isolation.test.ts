/**
 * Agent isolation with real processes: a task over its memory is killed and reported FAILED with the memory reason
 * (cgroups and posix), its usage is readable while it runs and after, its cgroup is gone once it ended, and a task
 * in a PID namespace sees only its own processes. Cgroup tests run where this host allows them and say so when not.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXECUTOR_SHIM } from '../../core/agent/executor-launcher.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../core/agent/agent.ts';
import { newAgent, removeWorkDir, shellTask, tempWorkDir, waitForState, waitForTerminal } from '../helpers/agent-fixture.ts';
import { FakeMasterForAgents } from '../helpers/fake-master-for-agents.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { FW, go, hogTask, MB, HOG, memoryCgroupOf, noCgroups, noPidNamespace, ready, sayWhySkipped, withResources } from './agent-isolation-fixture.ts';

sayWhySkipped('agent-isolation');

/** Runs the shim as the agent does (detached, in `dir`) with the given setup; resolves with its exit code. */
function runShim(dir: string, setup: string, command: string): Promise<{ code: number | null; pid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', [EXECUTOR_SHIM, '/bin/sh', '-c', command], { cwd: dir, detached: true, stdio: 'ignore', env: { ...process.env, ORRERY_EXECUTOR_SETUP: setup } });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, pid: child.pid as number }));
  });
}

describe('executor shim setup', () => {
  it('runs the isolators\' setup on itself before the command, which inherits it but not the variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orrery-shim-'));
    try {
      const { code, pid } = await runShim(dir, 'echo $$ >joined && ulimit -c 0', 'echo "core $(ulimit -c) setup [${ORRERY_EXECUTOR_SETUP-unset}]"');
      expect(code).toBe(0);
      expect((await readFile(join(dir, 'joined'), 'utf8')).trim()).toBe(String(pid));
      expect(await readFile(join(dir, 'stdout'), 'utf8')).toBe('core 0 setup [unset]\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never starts the command when the setup fails: status 125, the reason in stderr', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'orrery-shim-'));
    try {
      const { code } = await runShim(dir, "echo $$ >'/nonexistent/cgroup.procs'", 'touch ran');
      expect(code).toBe(125);
      expect(existsSync(join(dir, 'ran'))).toBe(false);
      expect((await readFile(join(dir, 'exit_status'), 'utf8')).trim()).toBe('125');
      expect(await readFile(join(dir, 'stderr'), 'utf8')).toContain('isolation setup failed; the command was not started');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Agent isolation', () => {
  let workDir: string;
  let agent: Agent | undefined;
  let master: FakeMasterForAgents;

  beforeEach(async () => {
    workDir = await tempWorkDir();
    master = new FakeMasterForAgents();
  });
  afterEach(async () => {
    await agent?.stop({ killTasks: true });
    agent = undefined;
    await removeWorkDir(workDir);
  });

  const start = async (isolation: string): Promise<Agent> => {
    agent = newAgent(workDir, { isolation, isolationPollMs: 100 });
    await agent.start(master);
    return agent;
  };

  describe('posix', () => {
    it('reports posix and kills a task whose processes exceed its memory: FAILED, memory reason naming the limit', async () => {
      const a = await start('posix');
      expect(master.registrations[0].isolators).toContain('posix');
      a.launch(FW, hogTask('t-hog'));
      const end = await waitForTerminal(master, 't-hog', 15_000);
      expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
      expect(end.message).toContain('64 MB');
      const stats = await a.taskStats('t-hog');
      expect(stats).toMatchObject({ ok: true, value: { taskId: 't-hog', running: false, isolation: 'posix', memLimitBytes: 64 * MB } });
      if (stats.ok) expect(stats.value.memRssBytes).toBeGreaterThan(64 * MB);
    });

    it('samples a running task: CPU times, resident memory, limit; unknown tasks have none', async () => {
      const a = await start('posix');
      a.launch(FW, withResources(shellTask('t-busy', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; exec sleep 30'), { cpus: 0.25, mem: 64 }));
      await waitForState(master, 't-busy', 'RUNNING');
      const stats = await waitFor(async () => {
        const r = await a.taskStats('t-busy');
        return r.ok && r.value.cpusUserTimeSecs > 0 ? r.value : undefined;
      }, { timeoutMs: 10_000, message: 't-busy CPU time' });
      expect(stats).toMatchObject({ taskId: 't-busy', running: true, isolation: 'posix', cpusLimit: 0.25, memLimitBytes: 64 * MB });
      expect(stats.memRssBytes).toBeGreaterThan(0);
      expect(stats.processes).toBeGreaterThanOrEqual(1);
      expect(await a.taskStats('nope')).toMatchObject({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
    });
  });

  describe.skipIf(noCgroups !== undefined)(`cgroups${noCgroups ? ` (SKIPPED: ${noCgroups})` : ''}`, () => {
    it('puts the task in its own memory cgroup with its limit, OOM-kills it at 64 MB: FAILED, memory reason; then removes the cgroup', async () => {
      const a = await start('cgroups');
      const cgroups = master.registrations[0].isolators.find((i) => i.startsWith('cgroups/'));
      expect(cgroups).toBeDefined();
      a.launch(FW, withResources(shellTask('t-hog', `touch ready; while [ ! -e go ]; do sleep 0.02; done; exec ${process.execPath} -e '${HOG}'`), { cpus: 0.5, mem: 64 }));
      const pid = (await waitForState(master, 't-hog', 'RUNNING')).executorPid as number;
      await ready(workDir, 't-hog');
      const { dir, limitFile } = memoryCgroupOf(pid);
      expect(dir).toContain('/orrery/');
      expect(readFileSync(limitFile, 'utf8').trim()).toBe(String(64 * MB));
      const running = await a.taskStats('t-hog');
      expect(running).toMatchObject({ ok: true, value: { running: true, isolation: cgroups, memLimitBytes: 64 * MB, memOomKills: 0 } });
      await go(workDir, 't-hog');
      const end = await waitForTerminal(master, 't-hog', 15_000);
      expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LIMITATION_MEMORY' });
      expect(end.message).toContain('64 MB');
      expect(existsSync(dir)).toBe(false);
      const final = await a.taskStats('t-hog');
      expect(final).toMatchObject({ ok: true, value: { running: false, memLimitBytes: 64 * MB } });
      if (final.ok) expect(final.value.memOomKills).toBeGreaterThanOrEqual(1);
    });

    it('lets a task under its limit finish normally and removes its cgroup', async () => {
      const a = await start('cgroups');
      a.launch(FW, withResources(shellTask('t-ok', 'touch ready; while [ ! -e go ]; do sleep 0.02; done; echo fine'), { cpus: 0.5, mem: 64 }));
      const pid = (await waitForState(master, 't-ok', 'RUNNING')).executorPid as number;
      await ready(workDir, 't-ok');
      const { dir } = memoryCgroupOf(pid);
      expect(existsSync(dir)).toBe(true);
      await go(workDir, 't-ok');
      expect(await waitForTerminal(master, 't-ok')).toMatchObject({ state: 'FINISHED', exitCode: 0 });
      expect(existsSync(dir)).toBe(false);
    });
  });

  describe.skipIf(noPidNamespace !== undefined)(`PID namespace${noPidNamespace ? ` (SKIPPED: ${noPidNamespace})` : ''}`, () => {
    it('shows a task only its own processes', async () => {
      const a = await start(noCgroups ? 'posix,pid' : 'cgroups,pid');
      expect(a.isolators()).toContain('namespaces/pid');
      a.launch(FW, shellTask('t-ns', 'echo "self $$"; ls /proc | grep -E "^[0-9]+$" | tr "\\n" " "'));
      expect(await waitForTerminal(master, 't-ns')).toMatchObject({ state: 'FINISHED' });
      const out = await a.readFile('t-ns', 'stdout', 0, 4096);
      if (!out.ok) throw new Error(out.error.message);
      const [self, listed] = out.value.data.split('\n');
      expect(self).toBe('self 1');
      const pids = listed.trim().split(' ').map(Number);
      // The shell (pid 1) and its pipeline (ls, grep, tr); the host runs far more.
      expect(pids.length).toBeLessThanOrEqual(4);
      expect(Math.max(...pids)).toBeLessThan(10);
    });
  });
});

import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../core/agent/agent.ts';
import { groupLeaderIn, processExists } from '../../core/agent/proc-stat.ts';
import { ok } from '../../core/errors/result.ts';
import {
  assertGroupGone,
  isCheckpointed,
  launcherHelpers,
  newAgent,
  removeWorkDir,
  sandboxOf,
  shellTask,
  tempWorkDir,
  waitForState,
  waitForTerminal,
} from '../helpers/agent-fixture.ts';
import { FakeMasterForAgents } from '../helpers/fake-master-for-agents.ts';
import { waitFor } from '../helpers/wait-for.ts';

const FW = 'fw-l';
/** Waits for a file named `go` in its sandbox, then exits with the given status. */
const waitForGo = (status: number) => `while [ ! -e go ]; do sleep 0.02; done; exit ${status}`;

async function killHelper(pid: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  process.kill(pid, signal);
  if (signal === 'SIGKILL') await waitFor(async () => !(await launcherHelpers()).includes(pid), { message: `helper ${pid} gone` });
}

describe('Agent executor launcher', () => {
  let workDir: string;
  let master: FakeMasterForAgents;
  let agent: Agent | undefined;

  beforeEach(async () => {
    workDir = await tempWorkDir();
    master = new FakeMasterForAgents();
  });
  afterEach(async () => {
    await agent?.stop({ killTasks: true });
    agent = undefined;
    await removeWorkDir(workDir);
  });

  it('forks executors from one helper process, which exits when the agent stops', async () => {
    const before = await launcherHelpers();
    agent = newAgent(workDir);
    await agent.start(master);
    agent.launch(FW, shellTask('t-1', 'echo one'));
    agent.launch(FW, shellTask('t-2', 'echo two'));
    expect(await waitForTerminal(master, 't-1')).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(await waitForTerminal(master, 't-2')).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    const helpers = (await launcherHelpers()).filter((pid) => !before.includes(pid));
    expect(helpers).toHaveLength(1);
    await agent.stop({ killTasks: true });
    agent = undefined;
    await waitFor(() => !processExists(helpers[0]), { message: 'helper exited after stop' });
  });

  it('keeps watching, killing and reporting its tasks when the helper dies, and starts a new one for new launches', async () => {
    agent = newAgent(workDir);
    await agent.start(master);
    agent.launch(FW, shellTask('t-wait', waitForGo(4)));
    agent.launch(FW, shellTask('t-sleep', 'sleep 600'));
    await waitForState(master, 't-wait', 'RUNNING');
    const sleeper = (await waitForState(master, 't-sleep', 'RUNNING')).executorPid as number;
    const [helper] = await launcherHelpers();
    await killHelper(helper);

    await writeFile(join(await sandboxOf(workDir, FW, 't-wait'), 'go'), '');
    expect(await waitForTerminal(master, 't-wait')).toMatchObject({ state: 'FAILED', exitCode: 4 });
    agent.kill(FW, 't-sleep');
    expect(await waitForTerminal(master, 't-sleep')).toMatchObject({ state: 'KILLED' });
    await assertGroupGone(sleeper);

    agent.launch(FW, shellTask('t-after', 'echo after'));
    expect(await waitForTerminal(master, 't-after')).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(await agent.readFile('t-after', 'stdout', 0, 100)).toEqual(ok({ data: 'after\n', offset: 0, size: 6 }));
    const helpers = await launcherHelpers();
    expect(helpers).toHaveLength(1);
    expect(helpers[0]).not.toBe(helper);
  });

  it('fails a launch the helper never answered when it dies, and launches again afterwards', async () => {
    agent = newAgent(workDir);
    await agent.start(master);
    agent.launch(FW, shellTask('t-first', 'true'));
    await waitForTerminal(master, 't-first');
    const [helper] = await launcherHelpers();
    // Stopped, the helper cannot read the request; killed, it never will.
    await killHelper(helper, 'SIGSTOP');
    agent.launch(FW, shellTask('t-unanswered', 'echo never'));
    // The request goes to the helper in the same turn the agent learns that both the sandbox and the record exist.
    await waitFor(() => isCheckpointed(workDir, 't-unanswered'), { message: 'record checkpointed' });
    await sandboxOf(workDir, FW, 't-unanswered');
    await killHelper(helper);
    const end = await waitForTerminal(master, 't-unanswered');
    expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    expect(end.message).toMatch(/launcher exited during the launch/);
    expect(master.states('t-unanswered')).toEqual(['FAILED']);

    agent.launch(FW, shellTask('t-next', 'exit 3'));
    expect(await waitForTerminal(master, 't-next')).toMatchObject({ state: 'FAILED', exitCode: 3 });
  });

  it('runs tasks with the in-process launcher, without a helper', async () => {
    const before = await launcherHelpers();
    agent = newAgent(workDir, { executorLauncher: 'in-process' });
    await agent.start(master);
    agent.launch(FW, shellTask('t-in', 'echo in; exit 2'));
    expect(await waitForTerminal(master, 't-in')).toMatchObject({ state: 'FAILED', exitCode: 2 });
    expect(await agent.readFile('t-in', 'stdout', 0, 100)).toEqual(ok({ data: 'in\n', offset: 0, size: 3 }));
    expect((await launcherHelpers()).filter((pid) => !before.includes(pid))).toEqual([]);
  });
});

describe('groupLeaderIn', () => {
  it('finds the process that leads its own group in a given working directory', async () => {
    const dir = await tempWorkDir();
    const leader = spawn('sleep', ['30'], { detached: true, stdio: 'ignore', cwd: dir });
    const other = spawn('sleep', ['30'], { stdio: 'ignore', cwd: dir }); // in our group: not a leader
    try {
      await new Promise((resolve) => leader.once('spawn', resolve));
      expect(await groupLeaderIn(dir)).toMatchObject({ pid: leader.pid, stat: { pgrp: leader.pid } });
      expect(await groupLeaderIn(join(dir, 'nowhere'))).toBeUndefined();
    } finally {
      leader.kill('SIGKILL');
      other.kill('SIGKILL');
      await removeWorkDir(dir);
    }
  });
});

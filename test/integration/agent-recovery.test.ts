import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../core/agent/agent.ts';
import { readProcStat } from '../../core/agent/proc-stat.ts';
import { ok } from '../../core/errors/result.ts';
import {
  assertGroupGone,
  groupAlive,
  isCheckpointed,
  journalOf,
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

const FW = 'fw-r';
/** Waits for a file named `go` in its sandbox, then exits with the given status. */
const waitForGo = (status: number) => `while [ ! -e go ]; do sleep 0.02; done; echo went; exit ${status}`;

describe('Agent restart on the same work dir', () => {
  let workDir: string;
  const agents: Agent[] = [];

  beforeEach(async () => {
    workDir = await tempWorkDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop({ killTasks: true });
    await removeWorkDir(workDir);
  });

  const startAgent = async (master: FakeMasterForAgents): Promise<Agent> => {
    const agent = newAgent(workDir);
    agents.push(agent);
    await agent.start(master);
    return agent;
  };

  it('re-attaches to a task still running and reports one that finished while it was down, with true exit codes', async () => {
    const masterA = new FakeMasterForAgents('agent-r');
    const a = await startAgent(masterA);
    a.launch(FW, shellTask('t-live', waitForGo(5)));
    a.launch(FW, shellTask('t-done', waitForGo(7)));
    const live = (await waitForState(masterA, 't-live', 'RUNNING')).executorPid as number;
    const done = (await waitForState(masterA, 't-done', 'RUNNING')).executorPid as number;
    await a.stop({ killTasks: false });
    expect(groupAlive(live) && groupAlive(done)).toBe(true);

    const doneSandbox = await sandboxOf(workDir, FW, 't-done');
    await writeFile(join(doneSandbox, 'go'), '');
    await waitFor(() => existsSync(join(doneSandbox, 'exit_status')), { message: 't-done exit_status' });

    const masterB = new FakeMasterForAgents('agent-other');
    const b = await startAgent(masterB);
    expect(b.agentId).toBe('agent-r');
    const reg = masterB.registrations[0];
    expect(reg.agentId).toBe('agent-r');
    expect(Object.fromEntries(reg.tasks.map((t) => [t.task.taskId, t.state]))).toEqual({ 't-live': 'RUNNING', 't-done': 'FAILED' });
    expect(await waitForTerminal(masterB, 't-done')).toMatchObject({ state: 'FAILED', exitCode: 7, message: 'Command exited with status 7' });
    expect(b.runningTasks()).toBe(1);

    await writeFile(join(await sandboxOf(workDir, FW, 't-live'), 'go'), '');
    expect(await waitForTerminal(masterB, 't-live')).toMatchObject({ state: 'FAILED', exitCode: 5 });
    await assertGroupGone(live);
    expect(await b.readFile('t-live', 'stdout', 0, 100)).toEqual(ok({ data: 'went\n', offset: 0, size: 5 }));
    await waitFor(async () => !(await isCheckpointed(workDir, 't-live')), { message: 't-live closed in the checkpoint' });
  });

  it('kills a re-attached task on request', async () => {
    const masterA = new FakeMasterForAgents();
    const a = await startAgent(masterA);
    a.launch(FW, shellTask('t-kill', 'sleep 600'));
    const pgid = (await waitForState(masterA, 't-kill', 'RUNNING')).executorPid as number;
    await a.stop({ killTasks: false });

    const masterB = new FakeMasterForAgents();
    const b = await startAgent(masterB);
    expect(b.runningTasks()).toBe(1);
    b.kill(FW, 't-kill');
    expect(await waitForTerminal(masterB, 't-kill')).toMatchObject({ state: 'KILLED' });
    await assertGroupGone(pgid);
  });

  it('replays unacknowledged updates in order after a restart, with their original uuids', async () => {
    const masterA = new FakeMasterForAgents();
    masterA.shouldAck = () => false;
    const a = await startAgent(masterA);
    a.launch(FW, shellTask('t-replay', 'true'));
    const running = await waitForState(masterA, 't-replay', 'RUNNING');
    await waitFor(async () => (await journalOf(workDir, 't-replay')).includes('"FINISHED"'), { message: 'FINISHED journaled' });
    expect(masterA.states('t-replay')).toEqual(['RUNNING']); // FINISHED waits behind the unacknowledged head
    await a.stop({ killTasks: false });
    // The stop sends what is unacknowledged once more, in order; none of it is acknowledged, so all of it is replayed.
    expect(masterA.states('t-replay')).toEqual(['RUNNING', 'FINISHED']);

    const masterB = new FakeMasterForAgents();
    const b = await startAgent(masterB);
    expect(masterB.registrations[0].tasks.map((t) => t.state)).toEqual(['FINISHED']);
    const end = await waitForTerminal(masterB, 't-replay');
    expect(masterB.states('t-replay')).toEqual(['RUNNING', 'FINISHED']);
    expect(masterB.updates('t-replay')[0].uuid).toBe(running.uuid);
    expect(end).toMatchObject({ exitCode: 0, agentId: b.agentId });
    await waitFor(async () => !(await isCheckpointed(workDir, 't-replay')), { message: 't-replay closed in the checkpoint' });
  });

  it('reports an executor killed while the agent was down as FAILED / REASON_EXECUTOR_TERMINATED', async () => {
    const masterA = new FakeMasterForAgents();
    const a = await startAgent(masterA);
    a.launch(FW, shellTask('t-vanished', 'sleep 600'));
    const pgid = (await waitForState(masterA, 't-vanished', 'RUNNING')).executorPid as number;
    await a.stop({ killTasks: false });
    process.kill(-pgid, 'SIGKILL');
    await waitFor(() => readProcStat(pgid) === undefined, { message: 'executor gone' });

    const masterB = new FakeMasterForAgents();
    await startAgent(masterB);
    expect(await waitForTerminal(masterB, 't-vanished')).toMatchObject({ state: 'FAILED', reason: 'REASON_EXECUTOR_TERMINATED' });
    await assertGroupGone(pgid);
  });

  // The checkpoint as this agent writes it, and as agents before the checkpoint log did (imported at start).
  it.each(['checkpoint log', 'older per-task files'])(
    'does not adopt or signal a process that reuses a checkpointed pid (start time differs), from the %s',
    async (layout) => {
      // A bystander leading its own process group stands in for a process that got the executor's old pid.
      const bystander = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
      await new Promise((resolve) => bystander.once('spawn', resolve));
      try {
        const pid = bystander.pid as number;
        const stat = readProcStat(pid);
        const task = shellTask('t-reused', 'sleep 600');
        const sandbox = join(workDir, 'sandboxes', FW, 't-reused', 'run-1');
        await mkdir(sandbox, { recursive: true });
        const record = { frameworkId: FW, task, runId: 'run-1', sandbox };
        const executor = { pid, startTime: (stat?.startTime ?? 0) + 1 };
        const running = { taskId: 't-reused', frameworkId: FW, agentId: 'a', state: 'RUNNING', source: 'SOURCE_EXECUTOR', timestamp: 1, uuid: 'u-1', executorPid: pid };
        const jsonl = (lines: unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
        if (layout === 'checkpoint log') {
          await mkdir(join(workDir, 'meta'), { recursive: true });
          await writeFile(join(workDir, 'meta', 'checkpoint.jsonl'), jsonl([{ record }, { executor, taskId: 't-reused' }, running, { ack: 'u-1', taskId: 't-reused' }]));
        } else {
          const taskDir = join(workDir, 'meta', 'tasks', 't-reused');
          await mkdir(taskDir, { recursive: true });
          await writeFile(join(taskDir, 'task.json'), JSON.stringify(record));
          await writeFile(join(taskDir, 'updates.jsonl'), jsonl([{ executor }, running, { ack: 'u-1' }]));
        }

        const master = new FakeMasterForAgents();
        const agent = await startAgent(master);
        expect(master.registrations[0].tasks.map((t) => [t.task.taskId, t.state])).toEqual([['t-reused', 'FAILED']]);
        expect(await waitForTerminal(master, 't-reused')).toMatchObject({ state: 'FAILED', reason: 'REASON_EXECUTOR_TERMINATED' });
        expect(groupAlive(pid)).toBe(true);
        expect(existsSync(join(workDir, 'meta', 'tasks'))).toBe(false);
        await waitFor(async () => !(await isCheckpointed(workDir, 't-reused')), { message: 't-reused closed in the checkpoint' });
        expect(await agent.readFile('t-reused', 'stdout', 0, 10)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
      } finally {
        bystander.kill('SIGKILL');
      }
    },
  );
});

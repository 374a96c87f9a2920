/**
 * The agent kit across agent restarts and at the agent's own boundary (a stand-in master, real processes):
 * health checks resume on a re-attached task, finished sandboxes left on disk are collected by the next agent,
 * and fetched files never land outside the sandbox.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent, AgentOptions } from '../../core/agent/agent.ts';
import { newAgent, removeWorkDir, sandboxOf, shellTask, tempWorkDir, waitForState, waitForTerminal } from '../helpers/agent-fixture.ts';
import { FakeMasterForAgents } from '../helpers/fake-master-for-agents.ts';
import { waitFor } from '../helpers/wait-for.ts';

const FW = 'fw-kit';

describe('agent kit across restarts', () => {
  let workDir: string;
  const agents: Agent[] = [];

  beforeEach(async () => {
    workDir = await tempWorkDir();
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop({ killTasks: true });
    await removeWorkDir(workDir);
  });

  const startAgent = async (master: FakeMasterForAgents, opts: Partial<AgentOptions> = {}): Promise<Agent> => {
    const agent = newAgent(workDir, opts);
    agents.push(agent);
    await agent.start(master);
    return agent;
  };

  it('checks a re-attached task again after a restart and kills it when it fails', async () => {
    const masterA = new FakeMasterForAgents('agent-k');
    const a = await startAgent(masterA);
    const healthCheck = { type: 'COMMAND' as const, command: 'test ! -e sick', intervalMs: 50, timeoutMs: 2000, gracePeriodMs: 0, consecutiveFailures: 3 };
    a.launch(FW, shellTask('t-checked', 'exec sleep 600', { healthCheck }));
    await waitFor(() => masterA.updates('t-checked').find((u) => u.healthy === true), { message: 'healthy before the restart' });
    await a.stop({ killTasks: false });

    const masterB = new FakeMasterForAgents('agent-k');
    await startAgent(masterB);
    await writeFile(join(await sandboxOf(workDir, FW, 't-checked'), 'sick'), '');
    const end = await waitForTerminal(masterB, 't-checked', 10_000);
    expect(end).toMatchObject({ state: 'KILLED', reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', healthy: false, healthFailures: 3 });
    // Reported unhealthy once (first failure) before the kill, not at every failure.
    const unhealthy = masterB.updates('t-checked').filter((u) => u.state === 'RUNNING' && u.healthy === false);
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0]).toMatchObject({ reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', healthFailures: 1, message: 'Health check failed: command exited with 1' });
  }, 30_000);

  it('collects finished sandboxes found on disk at start, keeps those of running tasks, and says why a read fails', async () => {
    const masterA = new FakeMasterForAgents('agent-g');
    const a = await startAgent(masterA);
    a.launch(FW, shellTask('t-old', 'echo old'));
    a.launch(FW, shellTask('t-live', 'while [ ! -e go ]; do sleep 0.02; done'));
    await waitForTerminal(masterA, 't-old');
    await waitForState(masterA, 't-live', 'RUNNING');
    const oldSandbox = await sandboxOf(workDir, FW, 't-old');
    const liveSandbox = await sandboxOf(workDir, FW, 't-live');
    await waitFor(async () => (await a.readFile('t-old', 'stdout', 0, 100)).ok, { message: 't-old readable' });
    await a.stop({ killTasks: false });

    const masterB = new FakeMasterForAgents('agent-g');
    const b = await startAgent(masterB, { sandboxGc: { maxAgeMs: 300 } });
    await waitFor(() => !existsSync(oldSandbox), { timeoutMs: 5000, message: 'the old sandbox removed' });
    expect(existsSync(liveSandbox)).toBe(true);
    const read = await b.readFile('t-old', 'stdout', 0, 100);
    expect(read).toMatchObject({ ok: false, error: { code: 'SANDBOX_REMOVED', message: expect.stringContaining('sandbox of task t-old was removed') } });
    // The running task's sandbox goes only after its end is acknowledged and it has aged.
    await writeFile(join(liveSandbox, 'go'), '');
    expect((await waitForTerminal(masterB, 't-live')).state).toBe('FINISHED');
    await waitFor(() => !existsSync(liveSandbox), { timeoutMs: 5000, message: 'the live sandbox removed after its end' });
  }, 30_000);
});

describe('fetcher confinement', () => {
  let workDir: string;
  let outside: string;
  const agents: Agent[] = [];

  beforeEach(async () => {
    workDir = await tempWorkDir();
    outside = await mkdtemp(join(tmpdir(), 'kit-outside-'));
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop({ killTasks: true });
    await removeWorkDir(workDir);
    await rm(outside, { recursive: true, force: true });
  });

  it('refuses to write a URI through a symlink an earlier archive unpacked; the task fails naming the URI', async () => {
    const src = join(outside, 'src');
    await mkdir(src);
    await symlink(outside, join(src, 'escape'));
    execFileSync('tar', ['-cf', join(outside, 'links.tar'), '-C', src, 'escape']);
    await writeFile(join(outside, 'payload'), 'x');
    const master = new FakeMasterForAgents('agent-f');
    const agent = newAgent(workDir);
    agents.push(agent);
    await agent.start(master);
    const uris = [{ value: `file://${outside}/links.tar` }, { value: `${outside}/payload`, outputFile: 'escape/written-by-fetcher' }];
    agent.launch(FW, shellTask('t-escape', 'true', { command: { shell: true, value: 'true', uris } }));
    const end = await waitForTerminal(master, 't-escape');
    expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_FETCH_FAILED' });
    expect(end.message).toContain(`${outside}/payload`);
    expect(end.message).toContain('outside the sandbox');
    expect(existsSync(join(outside, 'written-by-fetcher'))).toBe(false);
  }, 30_000);
});

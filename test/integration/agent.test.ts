import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../core/agent/agent.ts';
import { ManualClock } from '../../core/clock/clock.ts';
import { ok } from '../../core/errors/result.ts';
import {
  argvTask,
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

const FW = 'fw-1';
const SECRETS = { ORRERY_SECRET_TOKEN: 'do-not-leak', REDIS_URL: 'redis://secret@host' };

describe('Agent with real processes', () => {
  let workDir: string;
  let agent: Agent;
  let master: FakeMasterForAgents;

  beforeAll(() => Object.assign(process.env, SECRETS));
  afterAll(() => {
    for (const name of Object.keys(SECRETS)) delete process.env[name];
  });

  beforeEach(async () => {
    workDir = await tempWorkDir();
    master = new FakeMasterForAgents();
    agent = newAgent(workDir);
    await agent.start(master);
  });

  afterEach(async () => {
    await agent.stop({ killTasks: true });
    await removeWorkDir(workDir);
  });

  it('registers with its resources and isolators', () => {
    const [reg] = master.registrations;
    expect(reg.hostname).toBe('test-host');
    expect(reg.agentId).toBeUndefined();
    expect(reg.tasks).toEqual([]);
    expect(reg.isolators).toEqual(agent.isolators());
    // `auto` isolation adds the strongest resource isolator the host allows (agent-isolation*.test.ts cover them).
    expect(agent.isolators().slice(0, 2)).toEqual(['posix/process-group', 'filesystem/sandbox']);
    expect(['cgroups/v1', 'cgroups/v2', 'posix']).toContain(agent.isolators()[2]);
    expect(agent.agentId).toBe('agent-test-1');
  });

  it('runs `echo hello`: RUNNING then FINISHED, stdout readable, checkpoint closed after the acknowledgement', async () => {
    agent.launch(FW, shellTask('t-echo', 'echo hello'));
    const end = await waitForTerminal(master, 't-echo');
    expect(master.states('t-echo')).toEqual(['RUNNING', 'FINISHED']);
    expect(end).toMatchObject({ frameworkId: FW, agentId: 'agent-test-1', exitCode: 0, source: 'SOURCE_EXECUTOR' });
    expect(master.find('t-echo', 'RUNNING')?.executorPid).toBeGreaterThan(0);
    await waitFor(async () => !(await isCheckpointed(workDir, 't-echo')), { message: 'task closed in the checkpoint' });
    expect(await agent.readFile('t-echo', 'stdout', 0, 1024)).toEqual(ok({ data: 'hello\n', offset: 0, size: 6 }));
    expect(agent.runningTasks()).toBe(0);
  });

  it('reports `exit 3` as FAILED with exit code 3', async () => {
    agent.launch(FW, shellTask('t-exit3', 'echo oops >&2; exit 3'));
    const end = await waitForTerminal(master, 't-exit3');
    expect(end).toMatchObject({ state: 'FAILED', exitCode: 3, message: 'Command exited with status 3' });
    expect(await agent.readFile('t-exit3', 'stderr', 0, 100)).toMatchObject({ ok: true, value: { data: 'oops\n' } });
  });

  it('runs an argv command with the task env and sandbox variables, without the agent secrets', async () => {
    const script = 'echo "$FOO|$ORRERY_TASK_ID|$ORRERY_FRAMEWORK_ID|${ORRERY_SECRET_TOKEN:-none}|${REDIS_URL:-none}|$ORRERY_SANDBOX|$MESOS_SANDBOX|$(pwd -P)"';
    agent.launch(FW, argvTask('t-argv', ['/bin/sh', '-c', script], { FOO: 'bar baz' }));
    expect(await waitForTerminal(master, 't-argv')).toMatchObject({ state: 'FINISHED' });
    const sandbox = await sandboxOf(workDir, FW, 't-argv');
    const out = await agent.readFile('t-argv', 'stdout', 0, 4096);
    if (!out.ok) throw new Error(out.error.message);
    const [foo, taskId, fwId, secret, redis, orrerySandbox, mesosSandbox, cwd] = out.value.data.trim().split('|');
    expect({ foo, taskId, fwId, secret, redis }).toEqual({ foo: 'bar baz', taskId: 't-argv', fwId: FW, secret: 'none', redis: 'none' });
    expect(orrerySandbox).toBe(sandbox);
    expect(mesosSandbox).toBe(sandbox);
    expect(cwd.endsWith(sandbox.slice(sandbox.indexOf('/sandboxes/')))).toBe(true);
  });

  it('kills `sleep 600` with SIGTERM within the grace period and leaves no process of its group', async () => {
    agent.launch(FW, shellTask('t-sleep', 'sleep 600'));
    const pgid = (await waitForState(master, 't-sleep', 'RUNNING')).executorPid as number;
    expect(groupAlive(pgid)).toBe(true);
    expect(agent.runningTasks()).toBe(1);
    const started = Date.now();
    agent.kill(FW, 't-sleep', 2000);
    const end = await waitForTerminal(master, 't-sleep');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(end).toMatchObject({ state: 'KILLED', signal: 'SIGTERM', message: 'Command terminated with signal SIGTERM' });
    await assertGroupGone(pgid);
  });

  it('SIGKILLs a task that ignores SIGTERM once its own grace period is over', async () => {
    const task = shellTask('t-stubborn', 'trap "" TERM; echo ready; while :; do sleep 1; done', { killGracePeriodMs: 300 });
    agent.launch(FW, task);
    const pgid = (await waitForState(master, 't-stubborn', 'RUNNING')).executorPid as number;
    await waitFor(async () => {
      const out = await agent.readFile('t-stubborn', 'stdout', 0, 100);
      return out.ok && out.value.data === 'ready\n';
    });
    const started = Date.now();
    agent.kill(FW, 't-stubborn', 10_000); // the task's own grace period wins over the call's
    const end = await waitForTerminal(master, 't-stubborn');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3000);
    expect(end).toMatchObject({ state: 'KILLED', signal: 'SIGKILL' });
    await assertGroupGone(pgid);
  });

  it('kills a task whose kill arrives while it is launching', async () => {
    agent.launch(FW, shellTask('t-early', 'sleep 600'));
    agent.kill(FW, 't-early');
    const end = await waitForTerminal(master, 't-early');
    expect(end.state).toBe('KILLED');
    const running = master.find('t-early', 'RUNNING');
    if (running) await assertGroupGone(running.executorPid as number);
  });

  it('answers a kill of an unknown task with LOST / REASON_TASK_UNKNOWN', async () => {
    agent.kill(FW, 'ghost');
    expect(await waitForTerminal(master, 'ghost')).toMatchObject({ state: 'LOST', reason: 'REASON_TASK_UNKNOWN', source: 'SOURCE_AGENT' });
  });

  it('rejects ids that could leave the work dir with ERROR / REASON_TASK_INVALID and touches no path', async () => {
    agent.launch('../evil', shellTask('t-ok', 'true'));
    agent.launch(FW, shellTask('../../escape', 'true'));
    agent.launch(FW, shellTask('..', 'true'));
    agent.launch(FW, shellTask('t-empty', ''));
    for (const id of ['t-ok', '../../escape', '..', 't-empty']) {
      expect(await waitForTerminal(master, id)).toMatchObject({ state: 'ERROR', reason: 'REASON_TASK_INVALID' });
    }
    expect(await readdir(join(workDir, 'sandboxes'))).toEqual(master.find('t-empty', 'ERROR') ? [FW] : []);
    expect(existsSync(join(workDir, '..', 'evil'))).toBe(false);
    expect(existsSync(join(workDir, '..', 'escape'))).toBe(false);
  });

  it('reports an executor that cannot start as FAILED / REASON_CONTAINER_LAUNCH_FAILED', async () => {
    agent.launch(FW, argvTask('t-badenv', ['/bin/true'], { BAD: 'nul\0byte' }));
    const end = await waitForTerminal(master, 't-badenv');
    expect(end).toMatchObject({ state: 'FAILED', reason: 'REASON_CONTAINER_LAUNCH_FAILED' });
    expect(end.message).toMatch(/Executor could not be started/);
  });

  it('confines readFile to the sandbox', async () => {
    const script = 'mkdir sub && echo nested > sub/file && ln -s /etc/passwd leak && ln -s /etc etcdir && ln -s sub/file inner && printf done';
    agent.launch(FW, shellTask('t-files', script));
    expect(await waitForTerminal(master, 't-files')).toMatchObject({ state: 'FINISHED' });
    const read = (path: string, offset = 0, length = 100) => agent.readFile('t-files', path, offset, length);
    for (const path of ['../x', '/etc/passwd', 'leak', 'etcdir/passwd', 'sub/../../x', 'sub', '']) {
      expect(await read(path), path).toMatchObject({ ok: false, error: { code: 'SANDBOX_PATH_INVALID', field: 'path' } });
    }
    expect(await read('sub/file')).toEqual(ok({ data: 'nested\n', offset: 0, size: 7 }));
    expect(await read('inner')).toEqual(ok({ data: 'nested\n', offset: 0, size: 7 }));
    expect(await read('stdout', 2, 10)).toEqual(ok({ data: 'ne', offset: 2, size: 4 }));
    expect(await read('stdout', 10, 10)).toEqual(ok({ data: '', offset: 10, size: 4 }));
    expect(await read('missing')).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(await read('stdout', -1)).toMatchObject({ ok: false, error: { code: 'INVALID_RANGE', field: 'offset' } });
    expect(await read('stdout', 1.5)).toMatchObject({ ok: false, error: { code: 'INVALID_RANGE', field: 'offset' } });
    expect(await read('stdout', 0, 2 * 1024 * 1024)).toMatchObject({ ok: false, error: { code: 'INVALID_RANGE', field: 'length' } });
    expect(await agent.readFile('nope', 'stdout', 0, 10)).toMatchObject({ ok: false, error: { code: 'TASK_NOT_FOUND' } });
  });

  it('stop({ killTasks: true }) kills running tasks and journals their terminal updates', async () => {
    agent.launch(FW, shellTask('t-stop', 'sleep 600'));
    const pgid = (await waitForState(master, 't-stop', 'RUNNING')).executorPid as number;
    await agent.stop({ killTasks: true });
    await assertGroupGone(pgid);
    // The KILLED update is journaled; whether its acknowledgement landed before the stop is a race, so no ack check.
    expect(await journalOf(workDir, 't-stop').catch(() => 'acknowledged and removed')).toMatch(/KILLED|acknowledged and removed/);
    expect(master.find('t-stop', 'KILLED')).toBeDefined();
  });

  it('stop({ killTasks: true }) sends the KILLED update even when the RUNNING acknowledgement has not arrived yet', async () => {
    // As when the stop begins while the master's acknowledgement of RUNNING is still on its way (acknowledgements
    // arriving after the stop began are ignored): KILLED waits behind the unacknowledged RUNNING head.
    master.shouldAck = (s) => s.state !== 'RUNNING';
    agent.launch(FW, shellTask('t-stop-unacked', 'sleep 600'));
    const pgid = (await waitForState(master, 't-stop-unacked', 'RUNNING')).executorPid as number;
    await agent.stop({ killTasks: true });
    await assertGroupGone(pgid);
    expect(master.states('t-stop-unacked')).toEqual(['RUNNING', 'KILLED']);
  });
});

describe('Agent status updates with a manual clock', () => {
  let workDir: string;
  let agent: Agent;

  beforeEach(async () => {
    workDir = await tempWorkDir();
  });
  afterEach(async () => {
    await agent.stop({ killTasks: true });
    await removeWorkDir(workDir);
  });

  it('re-sends the unacknowledged head with doubling backoff and keeps per-task order', async () => {
    const clock = new ManualClock();
    const master = new FakeMasterForAgents();
    // RUNNING is acknowledged on its third delivery, FINISHED on its second.
    master.shouldAck = (s, seen) => seen >= (s.state === 'RUNNING' ? 2 : 1);
    agent = newAgent(workDir, { clock, statusRetry: { initialMs: 1000, maxMs: 8000 } });
    await agent.start(master);
    agent.launch(FW, shellTask('t-retry', 'true'));

    await waitFor(() => agent.runningTasks() === 0 && master.deliveries.length === 1);
    await waitFor(async () => (await journalOf(workDir, 't-retry')).includes('"FINISHED"'), { message: 'FINISHED journaled' });
    const states = () => master.deliveries.map((d) => d.state);
    expect(states()).toEqual(['RUNNING']); // FINISHED waits behind the unacknowledged head

    clock.tick(1000);
    expect(states()).toEqual(['RUNNING', 'RUNNING']);
    clock.tick(1999);
    expect(states()).toHaveLength(2); // backoff doubled to 2000
    clock.tick(1);
    await waitFor(() => master.deliveries.length === 4, { message: 'third RUNNING, then FINISHED' });
    expect(states()).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'FINISHED']);

    clock.tick(1000); // the backoff restarts at 1000 for the next head
    await waitFor(async () => !(await isCheckpointed(workDir, 't-retry')), { message: 'task closed after the terminal ack' });
    const [r1, r2, r3, f1, f2] = master.deliveries;
    expect(new Set([r1.uuid, r2.uuid, r3.uuid]).size).toBe(1);
    expect(f1.uuid).toBe(f2.uuid);
    expect(f1.uuid).not.toBe(r1.uuid);

    // Duplicate and unknown acknowledgements are ignored.
    agent.acknowledge('t-retry', f1.uuid as string);
    agent.acknowledge('nope', 'x');
    clock.tick(60_000);
    expect(master.deliveries).toHaveLength(5);
  });
});

describe('Agent checkpoint log', () => {
  it('checkpoints the record first, then the executor line with RUNNING, each update and its {"ack": uuid} line', async () => {
    const workDir = await tempWorkDir();
    const master = new FakeMasterForAgents();
    master.shouldAck = (s) => s.state !== 'FINISHED';
    const agent = newAgent(workDir);
    try {
      await agent.start(master);
      agent.launch(FW, shellTask('t-journal', 'true'));
      const finished = await waitForState(master, 't-journal', 'FINISHED');
      const running = master.find('t-journal', 'RUNNING');
      const ackLine = `ack ${running?.uuid}`;
      const entries = await waitFor(async () => {
        const lines = (await journalOf(workDir, 't-journal')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        const names = lines.map((l) => (l.record ? 'record' : l.executor ? 'executor' : ((l.state as string | undefined) ?? `ack ${String(l.ack)}`)));
        return names.includes(ackLine) ? { lines, names } : undefined;
      });
      // The record, the executor line with RUNNING, updates in order; the RUNNING ack after RUNNING (before or after FINISHED).
      expect(entries.names.filter((n) => !n.startsWith('ack'))).toEqual(['record', 'executor', 'RUNNING', 'FINISHED']);
      expect(entries.lines[1]).toEqual({ executor: { pid: running?.executorPid, startTime: expect.any(Number) }, taskId: 't-journal' });
      expect(entries.names.filter((n) => n.startsWith('ack'))).toEqual([ackLine]);
      expect(entries.lines.find((l) => l.ack)?.taskId).toBe('t-journal');
      expect(entries.names.indexOf(ackLine)).toBeGreaterThan(entries.names.indexOf('RUNNING'));
      expect(entries.lines.find((l) => l.state === 'FINISHED')?.uuid).toBe(finished.uuid);
      const sandbox = await sandboxOf(workDir, FW, 't-journal');
      expect(entries.lines[0].record).toEqual({ frameworkId: FW, task: shellTask('t-journal', 'true'), runId: sandbox.split('/').at(-1), sandbox });
      // Nothing per task in meta/: the log and the agent id only.
      expect((await readdir(join(workDir, 'meta'))).sort()).toEqual(['agent.json', 'checkpoint.jsonl']);
    } finally {
      await agent.stop({ killTasks: true });
      await removeWorkDir(workDir);
    }
  });
});

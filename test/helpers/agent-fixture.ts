import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type AgentOptions } from '../../core/agent/agent.ts';
import { liveGroupMembers } from '../../core/agent/proc-stat.ts';
import { replayLog } from '../../core/agent/update-journal.ts';
import { systemClock } from '../../core/clock/clock.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import { isTerminal, type TaskInfo, type TaskStatus } from '../../core/sdk/protocol.ts';
import type { FakeMasterForAgents } from './fake-master-for-agents.ts';
import { waitFor } from './wait-for.ts';

/** Shared pieces of the agent integration tests: temp work dirs, task builders, agent construction, probes. */

export async function tempWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'orrery-agent-'));
}

export async function removeWorkDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export function newAgent(workDir: string, overrides: Partial<AgentOptions> = {}): Agent {
  return new Agent({
    workDir,
    hostname: 'test-host',
    resources: { scalars: { cpus: 2, mem: 1024 }, ranges: { ports: [[31000, 32000]] }, sets: {} },
    attributes: { rack: 'a' },
    clock: systemClock,
    logger: silentLogger(),
    statusRetry: { initialMs: 100, maxMs: 1000 },
    defaultKillGracePeriodMs: 2000,
    ...overrides,
  });
}

export function shellTask(taskId: string, value: string, extra: Partial<TaskInfo> = {}): TaskInfo {
  return {
    taskId,
    name: taskId,
    agentId: '',
    resources: { scalars: { cpus: 0.1, mem: 32 }, ranges: {}, sets: {} },
    command: { shell: true, value },
    ...extra,
  };
}

export function argvTask(taskId: string, args: string[], env: Record<string, string> = {}): TaskInfo {
  return { ...shellTask(taskId, ''), command: { shell: false, arguments: args, env } };
}

export function waitForState(master: FakeMasterForAgents, taskId: string, state: TaskStatus['state'], timeoutMs = 5000): Promise<TaskStatus> {
  return waitFor(() => master.find(taskId, state), { timeoutMs, message: `${taskId} ${state}` });
}

export function waitForTerminal(master: FakeMasterForAgents, taskId: string, timeoutMs = 5000): Promise<TaskStatus> {
  return waitFor(() => master.updates(taskId).find((u) => isTerminal(u.state)), { timeoutMs, message: `${taskId} terminal update` });
}

/** `process.kill(-pgid, 0)`: false once it throws ESRCH (no process, zombies included, left in the group). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/**
 * After a task ended: no live process may be left in its group right away, and `process.kill(-pgid, 0)` must
 * throw ESRCH soon. Not at once: processes killed as orphans are zombies of pid 1 until it reaps them, which this
 * VM's init does about 1-2 s later, and signal 0 still finds zombies.
 */
export async function assertGroupGone(pgid: number, timeoutMs = 5000): Promise<void> {
  const live = await liveGroupMembers(pgid);
  if (live.length > 0) throw new Error(`processes ${live.join(', ')} of group ${pgid} still alive`);
  await waitFor(() => !groupAlive(pgid), { timeoutMs, message: `group ${pgid} empty (kill(-pgid, 0) → ESRCH)` });
}

/** The single run directory of a task's sandbox. */
export async function sandboxOf(workDir: string, frameworkId: string, taskId: string): Promise<string> {
  const dir = join(workDir, 'sandboxes', frameworkId, taskId);
  const runs = await waitFor(async () => {
    const r = await readdir(dir);
    return r.length === 1 ? r : undefined;
  });
  return join(dir, runs[0]);
}

/** The task's lines in the agent's checkpoint log (record, executor, updates, acks); throws once it is closed. */
export async function journalOf(workDir: string, taskId: string): Promise<string> {
  const task = replayLog(await readCheckpoint(workDir)).tasks.get(taskId);
  if (!task) throw new Error(`task ${taskId} is not open in the checkpoint log`);
  return `${task.lines.join('\n')}\n`;
}

/** Whether the checkpoint log still holds the task open (false once its terminal update was acknowledged). */
export async function isCheckpointed(workDir: string, taskId: string): Promise<boolean> {
  return replayLog(await readCheckpoint(workDir)).tasks.has(taskId);
}

async function readCheckpoint(workDir: string): Promise<string> {
  try {
    return await readFile(join(workDir, 'meta', 'checkpoint.jsonl'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Pids of this process's live launcher helpers (children running launcher-helper.js). */
export async function launcherHelpers(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // After "comm) ": state, ppid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || Number(ppid) !== process.pid) continue;
      if ((await readFile(`/proc/${name}/cmdline`, 'utf8')).includes('launcher-helper.js')) pids.push(Number(name));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ESRCH') continue;
      throw e;
    }
  }
  return pids;
}

import { readdir, rm } from 'node:fs/promises';
import { appendText, makeDir, readText, removeEmptyDir, renamePath, unlinkPath, writeText } from './lean-fs.ts';
import type { TaskInfo, TaskStatus } from '../sdk/protocol.ts';
import { isErrno } from './proc-stat.ts';
import { ackLine, replayJournal, updateLine, type ReplayedJournal } from './update-journal.ts';
import type { WorkDirLayout } from './work-dir-layout.ts';

/**
 * What `task.json` holds, written once before the executor starts. The executor's identity (pid, start time) is
 * journaled with the RUNNING update instead (see update-journal.ts): one append instead of a second, atomic
 * rewrite of task.json.
 */
export interface TaskRecord {
  frameworkId: string;
  task: TaskInfo;
  runId: string;
  /** Absolute path of the run's sandbox. */
  sandbox: string;
}

export interface RecoveredTask {
  taskId: string;
  /** Undefined when task.json is missing or unreadable. */
  record?: TaskRecord;
  /** task.json exists but does not parse (a torn first write: the executor was never started after it). */
  recordCorrupt: boolean;
  journal: ReplayedJournal;
}

/**
 * The agent's checkpoint files. Writes are plain async writes without fsync: a crash of the agent process loses
 * nothing the kernel accepted; a host crash may lose the tail, which the master's reconciliation covers.
 * Preconditions: task ids satisfy `isSafeId`; calls for one task are serialised by the caller.
 */
export class TaskCheckpoint {
  constructor(private readonly layout: WorkDirLayout) {}

  async init(): Promise<void> {
    await Promise.all([makeDir(this.layout.tasksDir), makeDir(this.layout.sandboxesDir)]);
  }

  async readAgentId(): Promise<string | undefined> {
    const text = await readOptional(this.layout.agentFile);
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as { agentId?: unknown };
    return typeof parsed.agentId === 'string' ? parsed.agentId : undefined;
  }

  async writeAgentId(agentId: string): Promise<void> {
    await writeAtomic(this.layout.agentFile, JSON.stringify({ agentId }));
  }

  /** Creates the task's meta dir and the run's sandbox (one recursive mkdir each) and writes task.json. */
  async createTask(taskId: string, record: TaskRecord): Promise<void> {
    await Promise.all([makeDir(this.layout.taskDir(taskId)), makeDir(record.sandbox)]);
    await writeText(this.layout.taskFile(taskId), JSON.stringify(record));
  }

  /** For updates about tasks that never got a task.json (kill of an unknown task, invalid launch). */
  async ensureTaskDir(taskId: string): Promise<void> {
    await makeDir(this.layout.taskDir(taskId));
  }

  /** Appends the update, after `preface` lines (e.g. the executor line) in the same write. */
  async appendUpdate(taskId: string, status: TaskStatus, preface = ''): Promise<void> {
    await appendText(this.layout.updatesFile(taskId), preface + updateLine(status));
  }

  async appendAck(taskId: string, uuid: string): Promise<void> {
    await appendText(this.layout.updatesFile(taskId), ackLine(uuid));
  }

  /** Forgets the task's meta (its sandbox stays). Removes the known files first: cheaper than a recursive walk. */
  async removeTask(taskId: string): Promise<void> {
    const files = [this.layout.taskFile(taskId), this.layout.updatesFile(taskId)];
    await Promise.all(files.map((f) => unlinkPath(f).catch((e: unknown) => ignoreMissing(e))));
    try {
      await removeEmptyDir(this.layout.taskDir(taskId));
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return;
      if (!isErrno(e, 'ENOTEMPTY')) throw e;
      // Leftovers such as a task.json.tmp from a crash mid-rewrite.
      await rm(this.layout.taskDir(taskId), { recursive: true, force: true });
    }
  }

  /** Task ids of every meta dir, including names that are not safe ids (the caller reports and skips those). */
  async listTasks(): Promise<string[]> {
    return readdir(this.layout.tasksDir);
  }

  async recoverTask(taskId: string): Promise<RecoveredTask> {
    const [taskText, journalText] = await Promise.all([
      readOptional(this.layout.taskFile(taskId)),
      readOptional(this.layout.updatesFile(taskId)),
    ]);
    let record: TaskRecord | undefined;
    let recordCorrupt = false;
    if (taskText !== undefined) {
      try {
        record = JSON.parse(taskText) as TaskRecord;
      } catch {
        recordCorrupt = true; // reported by the caller, which logs it with the task id
      }
    }
    return { taskId, record, recordCorrupt, journal: replayJournal(journalText ?? '') };
  }
}

function ignoreMissing(e: unknown): void {
  if (!isErrno(e, 'ENOENT')) throw e;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeText(tmp, data);
  await renamePath(tmp, path);
}

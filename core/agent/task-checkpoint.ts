import { readdir, rm } from 'node:fs/promises';
import type { Logger } from '../logging/logger.ts';
import type { TaskStatus } from '../sdk/protocol.ts';
import { CheckpointLog } from './checkpoint-log.ts';
import { makeDir, readText, renamePath, writeText } from './lean-fs.ts';
import { isErrno } from './proc-stat.ts';
import { ackLine, recordLine, updateLine, type ReplayedJournal, type TaskRecord } from './update-journal.ts';
import { isSafeId, type WorkDirLayout } from './work-dir-layout.ts';

export type { TaskRecord } from './update-journal.ts';

export interface RecoveredTask {
  taskId: string;
  /** Undefined when the record line is missing (updates about a task never launched here, or a torn first write). */
  record?: TaskRecord;
  journal: ReplayedJournal;
}

export interface RecoveredCheckpoint {
  tasks: RecoveredTask[];
  /** Unreadable lines (a crash can tear the last one). */
  badLines: number;
}

/**
 * The agent's checkpoint: `meta/agent.json` and the checkpoint log of every task (checkpoint-log.ts). A launch
 * creates its sandbox and appends to the log; nothing in `meta/` is created or deleted per task.
 * Preconditions: task ids satisfy `isSafeId`; calls for one task are serialised by the caller; `init` comes first
 * (appends made earlier wait for it).
 */
export class TaskCheckpoint {
  private readonly log: CheckpointLog;

  constructor(
    private readonly layout: WorkDirLayout,
    private readonly logger: Logger,
  ) {
    this.log = new CheckpointLog({ path: layout.checkpointFile, log: logger });
  }

  /**
   * Creates the work dir, imports tasks of the older per-task layout (`meta/tasks/<id>/`), opens the log and
   * returns every task it holds open.
   */
  async init(): Promise<RecoveredCheckpoint> {
    await Promise.all([makeDir(this.layout.metaDir), makeDir(this.layout.sandboxesDir)]);
    const legacy = await this.readLegacy();
    const replayed = await this.log.open(legacy.tasks);
    if (legacy.found) await rm(this.layout.legacyTasksDir, { recursive: true, force: true });
    const tasks = [...replayed.tasks].map(([taskId, journal]) => ({ taskId, record: journal.record, journal }));
    return { tasks, badLines: replayed.badLines };
  }

  async close(): Promise<void> {
    await this.log.close();
  }

  async readAgentId(): Promise<string | undefined> {
    const text = await readOptional(this.layout.agentFile);
    if (text === undefined) return undefined;
    const parsed = JSON.parse(text) as { agentId?: unknown };
    return typeof parsed.agentId === 'string' ? parsed.agentId : undefined;
  }

  async writeAgentId(agentId: string): Promise<void> {
    const tmp = `${this.layout.agentFile}.tmp`;
    await writeText(tmp, JSON.stringify({ agentId }));
    await renamePath(tmp, this.layout.agentFile);
  }

  /** Creates the run's sandbox (one recursive mkdir) and checkpoints the record; both done before it resolves. */
  async createTask(taskId: string, record: TaskRecord): Promise<void> {
    await Promise.all([makeDir(record.sandbox), this.log.append(taskId, recordLine(record))]);
  }

  /** Appends the update, after `preface` lines (e.g. the executor line) in the same write. */
  async appendUpdate(taskId: string, status: TaskStatus, preface = ''): Promise<void> {
    await this.log.append(taskId, preface + updateLine(status));
  }

  async appendAck(taskId: string, uuid: string): Promise<void> {
    await this.log.append(taskId, ackLine(taskId, uuid));
  }

  /** Forgets the task (its sandbox stays). */
  async removeTask(taskId: string): Promise<void> {
    await this.log.forget(taskId);
  }

  /** `meta/tasks/<id>/{task.json,updates.jsonl}` of agents before the checkpoint log, as log lines per task. */
  private async readLegacy(): Promise<{ tasks: Map<string, string>; found: boolean }> {
    const tasks = new Map<string, string>();
    let entries: string[];
    try {
      entries = await readdir(this.layout.legacyTasksDir);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return { tasks, found: false };
      throw e;
    }
    for (const taskId of entries) {
      if (!isSafeId(taskId)) {
        this.logger.warn({ entry: taskId }, 'unexpected entry in the old task checkpoint ignored');
        continue;
      }
      const [record, journal] = await Promise.all([
        readOptional(this.layout.legacyTaskFile(taskId)),
        readOptional(this.layout.legacyUpdatesFile(taskId)),
      ]);
      tasks.set(taskId, legacyLines(taskId, record, journal ?? ''));
    }
    return { tasks, found: true };
  }
}

/** Converts one task of the old layout; its journal lines lacked the task id on executor and ack lines. */
function legacyLines(taskId: string, record: string | undefined, journal: string): string {
  let text = '';
  if (record !== undefined) {
    try {
      text += recordLine(JSON.parse(record) as TaskRecord);
    } catch {
      // A torn task.json: the executor was never started after it. Replay sees a task without a record.
    }
  }
  for (const line of journal.split('\n')) {
    if (line.trim() === '') continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      text += `${line}\n`; // torn: replay counts it
      continue;
    }
    text += `${JSON.stringify(typeof entry.ack === 'string' || entry.executor !== undefined ? { ...entry, taskId } : entry)}\n`;
  }
  return text;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

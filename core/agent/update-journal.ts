import type { TaskInfo, TaskStatus } from '../sdk/protocol.ts';

/**
 * Line formats of the agent's checkpoint log (`meta/checkpoint.jsonl`, one file for all tasks, append-only) and
 * its replay. One JSON object per line; every line names its task:
 *   {"record": TaskRecord}                            written once, before the executor starts
 *   {"executor": {pid, startTime}, "taskId": …}       in the same write as the RUNNING update
 *   a TaskStatus (it always carries taskId and uuid)  each status update, before it is sent
 *   {"ack": uuid, "taskId": …}                        the master acknowledged that update
 *   {"closed": taskId}                                the terminal update was acknowledged: forget the task
 * A task id may come back after `closed` (a new task with the same id); its lines then start afresh.
 */

/** What the agent must know to recover a task: written once, before the executor starts. */
export interface TaskRecord {
  frameworkId: string;
  task: TaskInfo;
  runId: string;
  /** Absolute path of the run's sandbox. */
  sandbox: string;
}

/** Who runs the task: the shim's pid (= its process group id) and its start time (/proc/<pid>/stat field 22). */
export interface ExecutorIdentity {
  pid: number;
  /** Absent when the shim was already gone when the agent looked; such an executor is never re-attached. */
  startTime?: number;
}

export function recordLine(record: TaskRecord): string {
  return `${JSON.stringify({ record })}\n`;
}

export function executorLine(taskId: string, executor: ExecutorIdentity): string {
  return `${JSON.stringify({ executor, taskId })}\n`;
}

export function updateLine(status: TaskStatus): string {
  return `${JSON.stringify(status)}\n`;
}

export function ackLine(taskId: string, uuid: string): string {
  return `${JSON.stringify({ ack: uuid, taskId })}\n`;
}

export function closedLine(taskId: string): string {
  return `${JSON.stringify({ closed: taskId })}\n`;
}

/** One task's part of the log, replayed. */
export interface ReplayedJournal {
  /** Undefined when the record line is missing (e.g. updates about a task the agent never launched). */
  record?: TaskRecord;
  /** Every update, in the order written. */
  updates: TaskStatus[];
  /** Updates without an ack line, in order: the stream to resend. */
  unacknowledged: TaskStatus[];
  /** The last executor recorded, if the executor was started. */
  executor?: ExecutorIdentity;
  /** The task's lines as written (without newlines): what a compaction keeps. */
  lines: string[];
}

export interface ReplayedLog {
  /** Tasks not closed, in order of their first line. */
  tasks: Map<string, ReplayedJournal>;
  /** Lines that did not parse or name no task (a crash can cut the last one short). */
  badLines: number;
}

/** Rebuilds every open task's stream from the log's text. Pure. */
export function replayLog(text: string): ReplayedLog {
  const tasks = new Map<string, ReplayedJournal & { acked: Set<string> }>();
  let badLines = 0;
  const taskOf = (taskId: string) => {
    let t = tasks.get(taskId);
    if (!t) tasks.set(taskId, (t = { updates: [], unacknowledged: [], lines: [], acked: new Set() }));
    return t;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      // A torn last line after a crash is expected; it is counted and reported by the caller.
      badLines++;
      continue;
    }
    if (isClosed(entry)) {
      tasks.delete(entry.closed);
      continue;
    }
    let t: ReturnType<typeof taskOf>;
    if (isRecord(entry)) (t = taskOf(entry.record.task.taskId)).record = entry.record;
    else if (isAck(entry)) (t = taskOf(entry.taskId)).acked.add(entry.ack);
    else if (isExecutor(entry)) (t = taskOf(entry.taskId)).executor = entry.executor;
    else if (isStatus(entry)) (t = taskOf(entry.taskId)).updates.push(entry);
    else {
      badLines++;
      continue;
    }
    t.lines.push(line);
  }
  const out = new Map<string, ReplayedJournal>();
  for (const [taskId, { acked, ...t }] of tasks) {
    out.set(taskId, { ...t, unacknowledged: t.updates.filter((u) => !acked.has(u.uuid as string)) });
  }
  return { tasks: out, badLines };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function isClosed(v: unknown): v is { closed: string } {
  return isObject(v) && typeof v.closed === 'string';
}

function isRecord(v: unknown): v is { record: TaskRecord } {
  const r = isObject(v) ? v.record : undefined;
  return isObject(r) && typeof r.frameworkId === 'string' && typeof r.sandbox === 'string' && isObject(r.task) && typeof r.task.taskId === 'string';
}

function isAck(v: unknown): v is { ack: string; taskId: string } {
  return isObject(v) && typeof v.ack === 'string' && typeof v.taskId === 'string';
}

function isExecutor(v: unknown): v is { executor: ExecutorIdentity; taskId: string } {
  const e = isObject(v) ? (v.executor as Partial<ExecutorIdentity> | undefined) : undefined;
  return (
    isObject(v) &&
    typeof v.taskId === 'string' &&
    isObject(e) &&
    Number.isSafeInteger(e.pid) &&
    (e.startTime === undefined || Number.isSafeInteger(e.startTime))
  );
}

function isStatus(v: unknown): v is TaskStatus {
  return isObject(v) && typeof v.taskId === 'string' && typeof v.state === 'string' && typeof v.uuid === 'string';
}

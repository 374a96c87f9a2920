import type { TaskStatus } from '../sdk/protocol.ts';

/**
 * The per-task status-update journal (`updates.jsonl`): one JSON object per line, append-only.
 * An update line is the TaskStatus itself (it always carries a uuid); an acknowledgement line is `{"ack": uuid}`;
 * an executor line `{"executor": {pid, startTime}}` precedes the RUNNING update in the same append, so the
 * executor's identity is on disk exactly when RUNNING is.
 */

/** Who runs the task: the shim's pid (= its process group id) and its start time (/proc/<pid>/stat field 22). */
export interface ExecutorIdentity {
  pid: number;
  /** Absent when the shim was already gone when the agent looked; such an executor is never re-attached. */
  startTime?: number;
}

export function executorLine(executor: ExecutorIdentity): string {
  return `${JSON.stringify({ executor })}\n`;
}
export function updateLine(status: TaskStatus): string {
  return `${JSON.stringify(status)}\n`;
}

export function ackLine(uuid: string): string {
  return `${JSON.stringify({ ack: uuid })}\n`;
}

export interface ReplayedJournal {
  /** Every update, in the order written. */
  updates: TaskStatus[];
  /** Updates without an ack line, in order: the stream to resend. */
  unacknowledged: TaskStatus[];
  /** The last executor recorded, if the executor was started. */
  executor?: ExecutorIdentity;
  /** Lines that did not parse (a crash can cut the last one short). */
  badLines: number;
}

/** Rebuilds a task's update stream from its journal text. Pure. */
export function replayJournal(text: string): ReplayedJournal {
  const updates: TaskStatus[] = [];
  const acked = new Set<string>();
  let executor: ExecutorIdentity | undefined;
  let badLines = 0;
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
    if (isAck(entry)) acked.add(entry.ack);
    else if (isExecutor(entry)) executor = entry.executor;
    else if (isStatus(entry)) updates.push(entry);
    else badLines++;
  }
  const unacknowledged = updates.filter((u) => !acked.has(u.uuid as string));
  return executor ? { updates, unacknowledged, executor, badLines } : { updates, unacknowledged, badLines };
}

function isAck(v: unknown): v is { ack: string } {
  return typeof v === 'object' && v !== null && typeof (v as { ack?: unknown }).ack === 'string';
}

function isExecutor(v: unknown): v is { executor: ExecutorIdentity } {
  const e = typeof v === 'object' && v !== null ? (v as { executor?: Partial<ExecutorIdentity> }).executor : undefined;
  return typeof e === 'object' && e !== null && Number.isSafeInteger(e.pid) && (e.startTime === undefined || Number.isSafeInteger(e.startTime));
}

function isStatus(v: unknown): v is TaskStatus {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<TaskStatus>;
  return typeof s.taskId === 'string' && typeof s.state === 'string' && typeof s.uuid === 'string';
}

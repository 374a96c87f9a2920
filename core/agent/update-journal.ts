import type { TaskStatus } from '../sdk/protocol.ts';

/**
 * The per-task status-update journal (`updates.jsonl`): one JSON object per line, append-only.
 * An update line is the TaskStatus itself (it always carries a uuid); an acknowledgement line is `{"ack": uuid}`.
 */
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
  /** Lines that did not parse (a crash can cut the last one short). */
  badLines: number;
}

/** Rebuilds a task's update stream from its journal text. Pure. */
export function replayJournal(text: string): ReplayedJournal {
  const updates: TaskStatus[] = [];
  const acked = new Set<string>();
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
    else if (isStatus(entry)) updates.push(entry);
    else badLines++;
  }
  return { updates, unacknowledged: updates.filter((u) => !acked.has(u.uuid as string)), badLines };
}

function isAck(v: unknown): v is { ack: string } {
  return typeof v === 'object' && v !== null && typeof (v as { ack?: unknown }).ack === 'string';
}

function isStatus(v: unknown): v is TaskStatus {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Partial<TaskStatus>;
  return typeof s.taskId === 'string' && typeof s.state === 'string' && typeof s.uuid === 'string';
}

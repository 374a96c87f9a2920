/**
 * The master's tasks: every non-terminal task, plus a bounded ring of terminal ones so a user can still read
 * a finished task's state and sandbox. Indexed by framework and agent for the views and for agent/framework loss.
 */
import { isTerminal, type TaskStatus } from '../sdk/protocol.ts';
import { flatten } from './ids.ts';
import { HISTORY_LIMIT, NO_PENDING, TaskRecord, type PersistedTask } from './records.ts';

export interface TaskFilter {
  state?: string;
  frameworkId?: string;
  agentId?: string;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly byFramework = new Map<string, Set<string>>();
  private readonly byAgent = new Map<string, Set<string>>();
  /** Terminal tasks whose final update was delivered, in that order; the oldest leave first once over the limit. */
  private readonly completedOrder = new Set<string>();

  constructor(private readonly completedLimit: number) {}

  get size(): number {
    return this.tasks.size;
  }

  get(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId);
  }

  has(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  /** Adds a task (a record made for it, or one read back from the registry store) and indexes it. */
  add(p: PersistedTask | TaskRecord): TaskRecord {
    const rec = p instanceof TaskRecord ? p : TaskRecord.fromPersisted(p);
    this.tasks.set(rec.info.taskId, rec);
    index(this.byFramework, rec.frameworkId, rec.info.taskId);
    index(this.byAgent, rec.agentId, rec.info.taskId);
    if (isTerminal(rec.state)) this.completedOrder.add(rec.info.taskId);
    return rec;
  }

  /**
   * Applies a status to the record (state, reason, times, history). Returns false when the record is already
   * terminal: terminal states never change.
   */
  apply(rec: TaskRecord, status: TaskStatus): boolean {
    if (isTerminal(rec.state)) return false;
    rec.state = status.state;
    rec.reason = status.reason;
    rec.message = status.message;
    rec.updatedAt = status.timestamp;
    if (status.exitCode !== undefined) rec.exitCode = status.exitCode;
    if (status.signal !== undefined) rec.signal = status.signal;
    if (status.healthy !== undefined) rec.healthy = status.healthy;
    if (status.executorPid !== undefined) rec.executorPid = status.executorPid;
    if (status.state === 'RUNNING' && rec.startedAt === undefined) rec.startedAt = status.timestamp;
    const entry = { state: status.state, timestamp: status.timestamp } as TaskRecord['history'][number];
    if (status.reason) entry.reason = status.reason;
    if (status.message) entry.message = status.message;
    rec.history = appendBounded(rec.history, entry, HISTORY_LIMIT);
    if (isTerminal(status.state)) rec.finishedAt = status.timestamp;
    return true;
  }

  /** Remembers that an agent update was applied and persisted, so a re-sent copy is only acknowledged. */
  markApplied(rec: TaskRecord, uuid: string): void {
    rec.lastAppliedUuid = flatten(uuid);
  }

  /**
   * The task's terminal update reached its framework (or has no framework to reach): from now on it may be
   * evicted once over the completed-task limit. Not earlier, or an update still in flight would find no task.
   */
  markDone(rec: TaskRecord): void {
    this.completedOrder.add(rec.info.taskId);
  }

  /** Ids of completed tasks over the limit whose updates were all acknowledged; removed from memory here. */
  evictCompleted(): string[] {
    const evicted: string[] = [];
    if (this.completedOrder.size <= this.completedLimit) return evicted;
    for (const id of this.completedOrder) {
      if (this.completedOrder.size <= this.completedLimit) break;
      const rec = this.tasks.get(id);
      if (rec && rec.pending.length > 0) continue;
      this.remove(id);
      evicted.push(id);
    }
    return evicted;
  }

  remove(taskId: string): void {
    const rec = this.tasks.get(taskId);
    if (!rec) return;
    // A re-send still scheduled for it (the forwarder's) then finds nothing to send.
    rec.pending = NO_PENDING;
    this.tasks.delete(taskId);
    this.completedOrder.delete(taskId);
    unindex(this.byFramework, rec.frameworkId, taskId);
    unindex(this.byAgent, rec.agentId, taskId);
  }

  ofFramework(frameworkId: string): TaskRecord[] {
    return this.collect(this.byFramework.get(frameworkId));
  }

  onAgent(agentId: string): TaskRecord[] {
    return this.collect(this.byAgent.get(agentId));
  }

  countOnAgent(agentId: string): number {
    return this.byAgent.get(agentId)?.size ?? 0;
  }

  countOfFramework(frameworkId: string): number {
    return this.byFramework.get(frameworkId)?.size ?? 0;
  }

  all(): IterableIterator<TaskRecord> {
    return this.tasks.values();
  }

  filter(f: TaskFilter): TaskRecord[] {
    const source = f.frameworkId ? this.ofFramework(f.frameworkId) : f.agentId ? this.onAgent(f.agentId) : [...this.tasks.values()];
    return source.filter(
      (t) => (!f.state || t.state === f.state) && (!f.agentId || t.agentId === f.agentId) && (!f.frameworkId || t.frameworkId === f.frameworkId),
    );
  }

  countByState(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of this.tasks.values()) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    return counts;
  }

  private collect(ids: Set<string> | undefined): TaskRecord[] {
    if (!ids) return [];
    const out: TaskRecord[] = [];
    for (const id of ids) {
      const t = this.tasks.get(id);
      if (t) out.push(t);
    }
    return out;
  }
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(id);
}

function unindex(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) map.delete(key);
}

/**
 * `list` + `item`, keeping the last `limit` entries, in a new array of exactly that size: push or spread
 * leave spare capacity (16 slots for a 2-entry list), paid in every one of (possibly) 100,000 records.
 */
function appendBounded<T>(list: readonly T[], item: T, limit: number): T[] {
  const keep = Math.min(list.length, limit - 1);
  const out = new Array<T>(keep + 1);
  for (let i = 0; i < keep; i++) out[i] = list[list.length - keep + i];
  out[keep] = item;
  return out;
}

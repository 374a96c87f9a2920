import type { IsolationContext, Isolator } from '../isolator.ts';
import type { TaskStats } from '../protocol.ts';

/**
 * The task's usage as its isolators measure it, merged in isolator order, with what the agent knows itself.
 * Undefined when no isolator measures anything.
 */
export async function sampleUsage(isolators: readonly Isolator[], ctx: IsolationContext, now: number, running: boolean): Promise<TaskStats | undefined> {
  let merged: TaskStats | undefined;
  for (const isolator of isolators) {
    const usage = await isolator.usage?.(ctx);
    if (!usage) continue;
    merged = { taskId: ctx.task.taskId, timestamp: now, running, isolation: isolator.name, cpusUserTimeSecs: 0, cpusSystemTimeSecs: 0, ...merged, ...usage };
  }
  const cpus = ctx.task.resources?.scalars?.cpus;
  if (merged && typeof cpus === 'number') merged.cpusLimit = cpus;
  return merged;
}

/** The last samples of tasks that ended, kept after the agent forgets the task; the oldest go first. */
export class RecentUsage {
  private readonly byTask = new Map<string, TaskStats>();

  constructor(private readonly capacity = 1000) {}

  remember(stats: TaskStats): void {
    this.byTask.delete(stats.taskId);
    this.byTask.set(stats.taskId, stats);
    if (this.byTask.size > this.capacity) this.byTask.delete(this.byTask.keys().next().value as string);
  }

  get(taskId: string): TaskStats | undefined {
    return this.byTask.get(taskId);
  }
}

import type { Logger } from '../../logging/logger.ts';
import type { IsolationContext, Isolator, IsolatorLaunch, Limitation } from '../isolator.ts';
import type { TaskStats } from '../protocol.ts';
import type { TaskRecord } from '../update-journal.ts';
import { sampleUsage } from './task-usage.ts';

/** Set for the shim to the isolators' `setup` commands (see executor.sh); always set, so a task's env cannot. */
export const SHIM_SETUP_ENV = 'ORRERY_EXECUTOR_SETUP';

export function isolationContext(record: TaskRecord): IsolationContext {
  return { frameworkId: record.frameworkId, task: record.task, runId: record.runId, sandbox: record.sandbox };
}

/**
 * The agent's isolators applied as one, in order, for the task runner: wrappers nest, env merges, shim setup
 * commands join with `&&`; the first limitation found wins; failures of the optional hooks are logged, never
 * thrown (a `prepare` failure is the runner's to report).
 */
export class IsolatorChain {
  constructor(readonly isolators: readonly Isolator[]) {}

  async prepare(ctx: IsolationContext): Promise<IsolatorLaunch> {
    const merged: IsolatorLaunch = { wrapperArgs: [], env: {} };
    const setup: string[] = [];
    for (const isolator of this.isolators) {
      const part = await isolator.prepare(ctx);
      merged.wrapperArgs.push(...part.wrapperArgs);
      Object.assign(merged.env, part.env);
      setup.push(...(part.setup ?? []));
    }
    merged.env[SHIM_SETUP_ENV] = setup.join(' && ');
    return merged;
  }

  watch(record: TaskRecord, pgid: number, log: Logger): void {
    const ctx = isolationContext(record);
    for (const isolator of this.isolators) {
      try {
        isolator.watch?.(ctx, pgid);
      } catch (e) {
        log.warn({ err: e, isolator: isolator.name }, 'isolator could not watch the task');
      }
    }
  }

  /** Read after the executor ended and before cleanup (which removes what it is read from). */
  async limitation(record: TaskRecord, log: Logger): Promise<Limitation | undefined> {
    const ctx = isolationContext(record);
    for (const isolator of this.isolators) {
      try {
        const found = await isolator.limitation?.(ctx);
        if (found) return found;
      } catch (e) {
        log.warn({ err: e, isolator: isolator.name }, 'isolator limitation unreadable');
      }
    }
    return undefined;
  }

  async usage(record: TaskRecord, now: number, running: boolean, log: Logger): Promise<TaskStats | undefined> {
    try {
      return await sampleUsage(this.isolators, isolationContext(record), now, running);
    } catch (e) {
      log.warn({ err: e }, 'task usage could not be sampled');
      return undefined;
    }
  }

  async cleanup(record: TaskRecord, log: Logger): Promise<void> {
    const ctx = isolationContext(record);
    for (const isolator of this.isolators) {
      await isolator.cleanup(ctx).catch((e: unknown) => log.warn({ err: e, isolator: isolator.name }, 'isolator cleanup failed'));
    }
  }

  async recovered(runIds: ReadonlySet<string>, log: Logger): Promise<void> {
    for (const isolator of this.isolators) {
      await isolator.recovered?.(runIds).catch((e: unknown) => log.warn({ err: e, isolator: isolator.name }, 'isolator recovery failed'));
    }
  }

  close(): void {
    for (const isolator of this.isolators) isolator.close?.();
  }
}

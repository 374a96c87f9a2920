import { join } from 'node:path';

const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

/**
 * Whether an id (framework, task, run) may become one path segment under the work dir: `[A-Za-z0-9_.:-]+`,
 * at most 200 characters, never `.` and never containing `..`. Every id that reaches a path must pass this
 * first; the layout below does not re-check.
 */
export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id) && id !== '.' && !id.includes('..');
}

/**
 * Where the agent keeps things under its work dir (pure: paths only, no I/O).
 *
 * ```
 * <root>/meta/agent.json                               agent id, once assigned
 * <root>/meta/checkpoint.jsonl                         every task's record, executor, updates, acks (update-journal.ts)
 * <root>/sandboxes/<frameworkId>/<taskId>/<runId>/     stdout, stderr, exit_status, fetched URIs, the task's files
 * <root>/fetcher-cache/<sha256 of the URI>             cached downloads
 * ```
 * `meta/tasks/<taskId>/{task.json,updates.jsonl}` is the older per-task layout, imported once at start.
 * Preconditions: `root` is absolute; every id passed in satisfies `isSafeId`.
 */
export class WorkDirLayout {
  constructor(readonly root: string) {}

  get metaDir(): string {
    return join(this.root, 'meta');
  }

  get agentFile(): string {
    return join(this.root, 'meta', 'agent.json');
  }

  get checkpointFile(): string {
    return join(this.root, 'meta', 'checkpoint.jsonl');
  }

  get sandboxesDir(): string {
    return join(this.root, 'sandboxes');
  }

  /** Downloads of URIs fetched with `cache: true`, one file per URI (cleared at agent start). */
  get fetcherCacheDir(): string {
    return join(this.root, 'fetcher-cache');
  }

  get legacyTasksDir(): string {
    return join(this.root, 'meta', 'tasks');
  }

  legacyTaskFile(taskId: string): string {
    return join(this.legacyTasksDir, taskId, 'task.json');
  }

  legacyUpdatesFile(taskId: string): string {
    return join(this.legacyTasksDir, taskId, 'updates.jsonl');
  }

  /** All runs of one task live here, one directory per run. */
  taskSandboxesDir(frameworkId: string, taskId: string): string {
    return join(this.sandboxesDir, frameworkId, taskId);
  }

  sandboxDir(frameworkId: string, taskId: string, runId: string): string {
    return join(this.sandboxesDir, frameworkId, taskId, runId);
  }
}

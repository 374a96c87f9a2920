import type { Logger } from '../logging/logger.ts';
import { closeFile, openFile, readText, renamePath, syncFile, writeAll } from './lean-fs.ts';
import { isErrno } from './proc-stat.ts';
import { closedLine, replayLog, type ReplayedLog } from './update-journal.ts';

export interface CheckpointLogOptions {
  path: string;
  log: Logger;
  /** Rewrite the log once this many bytes were appended since the last rewrite and they are over twice the live
   *  tasks' bytes. Default 8 MiB. */
  compactAfterBytes?: number;
}

interface Append {
  taskId: string;
  text: string;
  forget: boolean;
  resolve(): void;
  reject(e: unknown): void;
}

/**
 * The agent's checkpoint: one append-only file for every task (see update-journal.ts for its lines), kept open.
 * A launch then creates and deletes no file in `meta/` at all: on ext4 without a journal each inode allocation
 * scans past the inodes freed in the last minutes, so per-task files cost ~1 ms of kernel CPU each under churn.
 *
 * Ordering: appends are written in call order, one write at a time; those issued while a write is in flight go
 * out together in the next one. Each append's promise resolves once its bytes are in the file (no fsync: a crash
 * of the agent loses nothing the kernel accepted; a host crash may lose the tail, which reconciliation covers).
 * A failed write rejects its appends, and a newline precedes the next write so a partial line stays on its own.
 *
 * Compaction: the live tasks' lines are kept in memory; once the file holds mostly closed tasks it is rewritten
 * with the live lines only (temp file, fsync, rename) between two writes. `open` does the same at start, which
 * also drops a torn last line.
 */
export class CheckpointLog {
  private fd?: number;
  private readonly live = new Map<string, string[]>();
  private liveBytes = 0;
  private appendedSinceRewrite = 0;
  private queue: Append[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  private separate = false;
  private phase: 'new' | 'opening' | 'open' | 'closed' = 'new';
  private readonly compactAfterBytes: number;
  private markOpen!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.markOpen = resolve));

  constructor(private readonly opts: CheckpointLogOptions) {
    this.compactAfterBytes = opts.compactAfterBytes ?? 8 * 1024 * 1024;
  }

  /**
   * Replays the file, rewrites it with the open tasks only and opens it for appends. `imported`: lines per task of
   * an older layout, taken before the file's lines unless the file already knows that task (imported by an earlier
   * start). Call once; appends made before it wait for it.
   */
  async open(imported = new Map<string, string>()): Promise<ReplayedLog> {
    if (this.phase !== 'new') throw new Error('checkpoint log already opened');
    this.phase = 'opening';
    try {
      const text = await readOptional(this.opts.path);
      let older = '';
      if (imported.size > 0) {
        const known = new Set(replayLog(text ?? '').tasks.keys());
        for (const [taskId, lines] of imported) if (!known.has(taskId)) older += lines;
      }
      const replayed = replayLog(older + (text ?? ''));
      for (const [taskId, t] of replayed.tasks) this.remember(taskId, t.lines.map((l) => `${l}\n`).join(''));
      await this.rewrite();
      this.fd = await openFile(this.opts.path, 'a');
      this.phase = 'open';
      return replayed;
    } catch (e) {
      this.phase = 'closed'; // waiting appends are rejected by drain
      throw e;
    } finally {
      this.markOpen();
    }
  }

  /** Appends complete lines (each ending with a newline) of one task. */
  append(taskId: string, text: string): Promise<void> {
    return this.enqueue(taskId, text, false);
  }

  /** Appends the task's `closed` line and drops its lines from the next rewrite. */
  forget(taskId: string): Promise<void> {
    return this.enqueue(taskId, closedLine(taskId), true);
  }

  /** Waits for every append made so far, then closes the file; later appends are rejected. */
  async close(): Promise<void> {
    if (this.phase === 'new') {
      this.phase = 'closed';
      for (const a of this.queue.splice(0)) a.reject(new Error('checkpoint log closed before it was opened'));
      return;
    }
    await this.opened;
    while (this.draining) await this.drained;
    this.phase = 'closed';
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }

  /** How many tasks the log holds open. */
  openTasks(): number {
    return this.live.size;
  }

  private enqueue(taskId: string, text: string, forget: boolean): Promise<void> {
    if (this.phase === 'closed') return Promise.reject(new Error('checkpoint log is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ taskId, text, forget, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      // Deferred by a microtask: appends issued in the same turn share the first write.
      this.drained = Promise.resolve().then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    await this.opened;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const text = (this.separate ? '\n' : '') + batch.map((a) => a.text).join('');
      try {
        if (this.phase === 'closed') throw new Error('checkpoint log is closed');
        // Undefined only after a failed reopen (see compact): try again.
        this.fd ??= await openFile(this.opts.path, 'a');
        await writeAll(this.fd, Buffer.from(text));
        this.separate = false;
      } catch (e) {
        this.separate = true;
        for (const a of batch) a.reject(e);
        continue;
      }
      this.appendedSinceRewrite += text.length;
      for (const a of batch) {
        if (a.forget) this.drop(a.taskId);
        else this.remember(a.taskId, a.text);
        a.resolve();
      }
      if (this.appendedSinceRewrite > this.compactAfterBytes && this.appendedSinceRewrite > 2 * this.liveBytes) await this.compact();
    }
    this.draining = false;
  }

  private remember(taskId: string, text: string): void {
    let lines = this.live.get(taskId);
    if (!lines) this.live.set(taskId, (lines = []));
    lines.push(text);
    this.liveBytes += text.length;
  }

  private drop(taskId: string): void {
    for (const text of this.live.get(taskId) ?? []) this.liveBytes -= text.length;
    this.live.delete(taskId);
  }

  /** Never throws: the log stays usable whatever fails. */
  private async compact(): Promise<void> {
    try {
      await this.rewrite();
    } catch (e) {
      // The old file is intact (the rename is the last step): keep appending to it.
      this.opts.log.warn({ err: e, path: this.opts.path }, 'checkpoint log compaction failed');
      return;
    }
    const old = this.fd as number;
    this.fd = undefined; // the old descriptor now names the replaced file: never append to it again
    await closeFile(old).catch((e: unknown) => this.opts.log.warn({ err: e }, 'closing the replaced checkpoint log failed'));
    try {
      this.fd = await openFile(this.opts.path, 'a');
    } catch (e) {
      this.opts.log.error({ err: e, path: this.opts.path }, 'checkpoint log could not be reopened after compaction; retrying at the next append');
    }
  }

  /** Temp file with the live lines, fsync, rename over the log. */
  private async rewrite(): Promise<void> {
    const tmp = `${this.opts.path}.tmp`;
    const fd = await openFile(tmp, 'w');
    try {
      let text = '';
      for (const lines of this.live.values()) text += lines.join('');
      await writeAll(fd, Buffer.from(text));
      await syncFile(fd);
    } finally {
      await closeFile(fd);
    }
    await renamePath(tmp, this.opts.path);
    this.appendedSinceRewrite = 0;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return undefined;
    throw e;
  }
}

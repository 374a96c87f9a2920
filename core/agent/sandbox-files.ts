import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { err, ok, type Result } from '../errors/result.ts';
import type { Logger } from '../logging/logger.ts';
import type { CallError } from '../sdk/protocol.ts';
import type { FileChunk } from './protocol.ts';
import { agentError, AgentErrorCode } from './agent-errors.ts';
import { isErrno } from './proc-stat.ts';
import { isSafeId, type WorkDirLayout } from './work-dir-layout.ts';

export const MAX_READ_LENGTH = 1024 * 1024;

/**
 * Reads of files inside task sandboxes, confined to the sandbox: the path is checked lexically, then its realpath
 * (symlinks resolved) must stay inside the sandbox's realpath, and the file is opened without following a final
 * symlink and without blocking (a FIFO planted by the task cannot hang the agent). Finished tasks stay readable:
 * their sandboxes are remembered (bounded) and otherwise found again on disk.
 */
export class SandboxFiles {
  /** taskId → sandbox of tasks no longer tracked by the agent, oldest first (Map keeps insertion order). */
  private readonly finished = new Map<string, string>();

  constructor(
    private readonly layout: WorkDirLayout,
    private readonly log: Logger,
    private readonly limit = 10_000,
  ) {}

  remember(taskId: string, sandbox: string): void {
    this.finished.delete(taskId);
    this.finished.set(taskId, sandbox);
    if (this.finished.size > this.limit) {
      const oldest = this.finished.keys().next().value as string;
      this.finished.delete(oldest);
    }
  }

  /** The sandbox was removed (GC): reads must not find it any more. */
  forget(taskId: string): void {
    this.finished.delete(taskId);
  }

  knows(taskId: string): boolean {
    return this.finished.has(taskId);
  }

  /** The sandbox of a finished task: remembered, else the most recently modified run dir on disk. */
  async locate(taskId: string): Promise<string | undefined> {
    const known = this.finished.get(taskId);
    if (known) return known;
    if (!isSafeId(taskId)) return undefined;
    let frameworks: string[];
    try {
      frameworks = await readdir(this.layout.sandboxesDir);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return undefined;
      throw e;
    }
    let best: { dir: string; mtime: number } | undefined;
    for (const frameworkId of frameworks.filter(isSafeId)) {
      const taskDir = this.layout.taskSandboxesDir(frameworkId, taskId);
      let runs: string[];
      try {
        runs = await readdir(taskDir);
      } catch (e) {
        if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) continue;
        throw e;
      }
      for (const runId of runs.filter(isSafeId)) {
        const dir = this.layout.sandboxDir(frameworkId, taskId, runId);
        const st = await stat(dir);
        if (st.isDirectory() && (!best || st.mtimeMs > best.mtime)) best = { dir, mtime: st.mtimeMs };
      }
    }
    if (best) this.remember(taskId, best.dir);
    return best?.dir;
  }

  /** Preconditions: `sandbox` is the task's sandbox. Validates range and path; see the class comment for confinement. */
  async read(sandbox: string, path: unknown, offset: unknown, length: unknown): Promise<Result<FileChunk, CallError>> {
    if (!isNonNegativeInt(offset)) return err(agentError(AgentErrorCode.INVALID_RANGE, 'offset must be a non-negative integer', 'offset'));
    if (!isNonNegativeInt(length) || length > MAX_READ_LENGTH) {
      return err(agentError(AgentErrorCode.INVALID_RANGE, `length must be an integer in [0, ${MAX_READ_LENGTH}]`, 'length'));
    }
    const invalid = (why: string) => err(agentError(AgentErrorCode.SANDBOX_PATH_INVALID, why, 'path'));
    if (typeof path !== 'string' || path === '' || path.includes('\0')) return invalid('path must be a non-empty relative path');
    if (isAbsolute(path)) return invalid('path must be relative to the sandbox');
    const target = resolve(sandbox, path);
    if (!isInside(sandbox, target)) return invalid('path leaves the sandbox');

    let real: string;
    let realSandbox: string;
    try {
      [realSandbox, real] = await Promise.all([realpath(sandbox), realpath(target)]);
    } catch (e) {
      if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) return err(agentError(AgentErrorCode.FILE_NOT_FOUND, 'no such file in the sandbox', 'path'));
      if (isErrno(e, 'ELOOP')) return invalid('path has a symlink loop');
      throw e;
    }
    if (!isInside(realSandbox, real)) return invalid('path resolves outside the sandbox');
    return this.readChunk(real, offset, length);
  }

  private async readChunk(file: string, offset: number, length: number): Promise<Result<FileChunk, CallError>> {
    let handle;
    try {
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      // The file changed between realpath and open (deleted, or swapped for a symlink): refuse rather than follow.
      if (isErrno(e, 'ELOOP')) return err(agentError(AgentErrorCode.SANDBOX_PATH_INVALID, 'path resolves outside the sandbox', 'path'));
      if (isErrno(e, 'ENOENT')) return err(agentError(AgentErrorCode.FILE_NOT_FOUND, 'no such file in the sandbox', 'path'));
      this.log.warn({ err: e, file }, 'sandbox file open failed');
      return err(agentError(AgentErrorCode.FILE_READ_FAILED, 'the file could not be opened'));
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) return err(agentError(AgentErrorCode.SANDBOX_PATH_INVALID, 'not a regular file', 'path'));
      const want = Math.max(0, Math.min(length, st.size - offset));
      const buffer = Buffer.alloc(want);
      const { bytesRead } = want > 0 ? await handle.read(buffer, 0, want, offset) : { bytesRead: 0 };
      return ok({ data: buffer.subarray(0, bytesRead).toString('utf8'), offset, size: st.size });
    } finally {
      await handle.close();
    }
  }
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function isNonNegativeInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

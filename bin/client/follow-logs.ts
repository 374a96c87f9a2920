/**
 * `logs [-f]` of tasks and job runs: reads a task's stdout (or stderr) through the files API in chunks from an
 * offset; with `follow`, keeps polling for new bytes until the task ends, then drains what is left.
 *
 * Offsets are bytes: the next offset is `offset + min(length, size - offset)` from the same answer (the API reads
 * exactly that many bytes), never the length of the decoded text, so a chunk boundary inside a multi-byte
 * character costs that character's rendering but never shifts the stream.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiProblem } from './api-client.ts';
import type { Ctx } from './command.ts';

const CHUNK = 65536;
export const POLL_MS = 500;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'GONE']);
const NOT_STARTED = new Set(['PENDING', 'STAGING', 'STARTING']);

interface Chunk {
  data: string;
  offset: number;
  size: number;
}

interface TaskState {
  state: string;
}

export async function taskLogs(ctx: Ctx, taskId: string, file: 'stdout' | 'stderr', follow: boolean): Promise<number> {
  const path = `/v1/tasks/${encodeURIComponent(taskId)}`;
  let offset = 0;
  let ended = false;
  for (;;) {
    let chunk: Chunk | undefined;
    try {
      chunk = await ctx.api.get<Chunk>(`${path}/files/${file}`, { query: { offset, length: CHUNK }, signal: ctx.signal });
    } catch (e) {
      // Before the task has a sandbox there is no file yet: wait for it when following.
      if (!(e instanceof ApiProblem) || !follow || e.status >= 500) throw e;
      const task = await ctx.api.get<TaskState>(path, { signal: ctx.signal });
      if (TERMINAL.has(task.state)) return 0;
      if (!NOT_STARTED.has(task.state)) throw e;
    }
    if (chunk) {
      if (chunk.data) ctx.out(chunk.data);
      offset += Math.max(0, Math.min(CHUNK, chunk.size - chunk.offset));
      if (offset < chunk.size) continue;
    }
    if (!follow || ended) return 0;
    // The state is read after the file: a task seen ended here wrote all its output, which one more read drains.
    const task = await ctx.api.get<TaskState>(path, { signal: ctx.signal });
    if (TERMINAL.has(task.state)) {
      ended = true;
      continue;
    }
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
  }
}

import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../core/logging/logger.ts';
import { RecordIoReader } from '../../../core/sdk/recordio.ts';
import type { Event } from '../../../core/sdk/protocol.ts';
import { SchedulerStream } from './scheduler-stream.ts';

/** Just what SchedulerStream uses of a response: the head, the writes in order, the end. */
class FakeResponse {
  readonly writes: string[] = [];
  head?: { status: number; headers: Record<string, string> };
  writableEnded = false;
  destroyed = false;
  writableLength = 0;
  writeHead(status: number, headers: Record<string, string>): this {
    this.head = { status, headers };
    return this;
  }
  write(data: string): boolean {
    this.writes.push(data);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The records written so far, decoded. */
  records(): Array<{ type: string; update?: { status: { task_id: { value: string } } } }> {
    return new RecordIoReader().push(Buffer.from(this.writes.join(''), 'utf8')).map((r) => JSON.parse(r) as { type: string });
  }
}

const open = (): { stream: SchedulerStream; raw: FakeResponse } => {
  const stream = new SchedulerStream({ heartbeatIntervalMs: 60_000, maxBufferedBytes: 1 << 30, log: silentLogger() as unknown as FastifyBaseLogger });
  const raw = new FakeResponse();
  stream.open(raw as unknown as ServerResponse, 'stream-1');
  return { stream, raw };
};
const update = (i: number): Event => ({ type: 'UPDATE', status: { taskId: `t-${i}`, frameworkId: 'f', agentId: 'a', state: 'RUNNING', source: 'SOURCE_EXECUTOR', timestamp: 1_700_000_000_000 + i, uuid: '0b8f6f2e-1c1d-4c4e-9a5b-3f2e1d0c9b8a' } });
const nextTick = (): Promise<void> => new Promise((r) => process.nextTick(r));

describe('SchedulerStream', () => {
  it('writes the records of one tick as one chunk, at the end of the tick', async () => {
    const { stream, raw } = open();
    for (let i = 0; i < 3; i++) stream.send(update(i));
    expect(raw.writes).toEqual([]);
    await nextTick();
    expect(raw.writes).toHaveLength(1);
    expect(raw.records().map((r) => r.update?.status.task_id.value)).toEqual(['t-0', 't-1', 't-2']);
    stream.end();
  });

  it('writes a burst in 64 KiB pieces as it grows, in order, losing nothing', async () => {
    const { stream, raw } = open();
    const n = 2000; // ~250 bytes each: ~500 KB in one tick
    for (let i = 0; i < n; i++) stream.send(update(i));
    const beforeTickEnd = raw.writes.length;
    expect(beforeTickEnd).toBeGreaterThan(5);
    for (const w of raw.writes) expect(w.length).toBeLessThan(64 * 1024 + 1024);
    await nextTick();
    expect(raw.records().map((r) => r.update?.status.task_id.value)).toEqual(Array.from({ length: n }, (_, i) => `t-${i}`));
    stream.end();
  });

  it('sends the ERROR of a close before ending the stream', () => {
    const { stream, raw } = open();
    stream.send(update(0));
    stream.close('torn down');
    expect(raw.writableEnded).toBe(true);
    expect(raw.records().map((r) => r.type)).toEqual(['UPDATE', 'ERROR']);
  });
});

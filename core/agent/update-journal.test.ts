import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../sdk/protocol.ts';
import { ackLine, executorLine, replayJournal, updateLine } from './update-journal.ts';

const status = (uuid: string, state: TaskStatus['state']): TaskStatus => ({
  taskId: 't', frameworkId: 'f', agentId: 'a', state, source: 'SOURCE_EXECUTOR', timestamp: 1, uuid,
});

describe('replayJournal', () => {
  it('returns the unacknowledged updates in order', () => {
    const text = updateLine(status('u1', 'RUNNING')) + ackLine('u1') + updateLine(status('u2', 'FINISHED'));
    const replayed = replayJournal(text);
    expect(replayed.updates.map((u) => u.uuid)).toEqual(['u1', 'u2']);
    expect(replayed.unacknowledged.map((u) => u.uuid)).toEqual(['u2']);
    expect(replayed.badLines).toBe(0);
  });

  it('skips and counts a torn last line', () => {
    const text = updateLine(status('u1', 'RUNNING')) + '{"taskId":"t","sta';
    const replayed = replayJournal(text);
    expect(replayed.unacknowledged.map((u) => u.uuid)).toEqual(['u1']);
    expect(replayed.badLines).toBe(1);
  });

  it('keeps the last executor identity', () => {
    const text = executorLine({ pid: 10, startTime: 5 }) + updateLine(status('u1', 'RUNNING')) + executorLine({ pid: 11 });
    expect(replayJournal(text).executor).toEqual({ pid: 11 });
    expect(replayJournal(updateLine(status('u1', 'RUNNING'))).executor).toBeUndefined();
  });

  it('treats an empty journal as no updates', () => {
    expect(replayJournal('')).toEqual({ updates: [], unacknowledged: [], badLines: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '../sdk/protocol.ts';
import { ackLine, closedLine, executorLine, recordLine, replayLog, updateLine, type TaskRecord } from './update-journal.ts';

const status = (taskId: string, uuid: string, state: TaskStatus['state']): TaskStatus => ({
  taskId, frameworkId: 'f', agentId: 'a', state, source: 'SOURCE_EXECUTOR', timestamp: 1, uuid,
});

const record = (taskId: string, runId = 'r1'): TaskRecord => ({
  frameworkId: 'f',
  runId,
  sandbox: `/w/sandboxes/f/${taskId}/${runId}`,
  task: { taskId, name: taskId, agentId: 'a', resources: { scalars: {}, ranges: {}, sets: {} }, command: { shell: true, value: 'true' } },
});

describe('replayLog', () => {
  it('returns each task’s record and unacknowledged updates in order, whatever the interleaving', () => {
    const text =
      recordLine(record('a')) +
      recordLine(record('b')) +
      updateLine(status('a', 'a1', 'RUNNING')) +
      updateLine(status('b', 'b1', 'RUNNING')) +
      ackLine('a', 'a1') +
      updateLine(status('a', 'a2', 'FINISHED'));
    const { tasks, badLines } = replayLog(text);
    expect(badLines).toBe(0);
    expect([...tasks.keys()]).toEqual(['a', 'b']);
    expect(tasks.get('a')?.record).toEqual(record('a'));
    expect(tasks.get('a')?.updates.map((u) => u.uuid)).toEqual(['a1', 'a2']);
    expect(tasks.get('a')?.unacknowledged.map((u) => u.uuid)).toEqual(['a2']);
    expect(tasks.get('b')?.unacknowledged.map((u) => u.uuid)).toEqual(['b1']);
    expect(tasks.get('a')?.lines).toHaveLength(4);
  });

  it('skips and counts a torn last line', () => {
    const { tasks, badLines } = replayLog(updateLine(status('a', 'u1', 'RUNNING')) + '{"taskId":"a","sta');
    expect(tasks.get('a')?.unacknowledged.map((u) => u.uuid)).toEqual(['u1']);
    expect(badLines).toBe(1);
  });

  it('keeps the last executor identity', () => {
    const text = executorLine('a', { pid: 10, startTime: 5 }) + updateLine(status('a', 'u1', 'RUNNING')) + executorLine('a', { pid: 11 });
    expect(replayLog(text).tasks.get('a')?.executor).toEqual({ pid: 11 });
    expect(replayLog(updateLine(status('a', 'u1', 'RUNNING'))).tasks.get('a')?.executor).toBeUndefined();
  });

  it('forgets a closed task, and a task id that comes back starts afresh', () => {
    const text =
      recordLine(record('a')) +
      updateLine(status('a', 'u1', 'FINISHED')) +
      closedLine('a') +
      recordLine(record('b')) +
      closedLine('b') +
      recordLine(record('b', 'r2'));
    const { tasks } = replayLog(text);
    expect([...tasks.keys()]).toEqual(['b']);
    expect(tasks.get('b')).toMatchObject({ record: record('b', 'r2'), updates: [], unacknowledged: [] });
  });

  it('treats an empty log as no tasks', () => {
    expect(replayLog('')).toEqual({ tasks: new Map(), badLines: 0 });
  });
});

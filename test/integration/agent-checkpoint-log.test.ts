import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointLog } from '../../core/agent/checkpoint-log.ts';
import { silentLogger } from '../../core/logging/logger.ts';
import type { TaskStatus } from '../../core/sdk/protocol.ts';
import { ackLine, recordLine, replayLog, updateLine, type TaskRecord } from '../../core/agent/update-journal.ts';
import { removeWorkDir, shellTask, tempWorkDir } from '../helpers/agent-fixture.ts';

const record = (taskId: string): TaskRecord => ({ frameworkId: 'f', task: shellTask(taskId, 'true'), runId: 'r', sandbox: `/s/${taskId}` });
const status = (taskId: string, uuid: string, state: TaskStatus['state']): TaskStatus => ({
  taskId, frameworkId: 'f', agentId: 'a', state, source: 'SOURCE_EXECUTOR', timestamp: 1, uuid,
});

describe('CheckpointLog', () => {
  let dir: string;
  let path: string;
  const logs: CheckpointLog[] = [];
  const newLog = (compactAfterBytes?: number) => {
    const log = new CheckpointLog({ path, log: silentLogger(), compactAfterBytes });
    logs.push(log);
    return log;
  };

  beforeEach(async () => {
    dir = await tempWorkDir();
    path = join(dir, 'checkpoint.jsonl');
  });
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    await removeWorkDir(dir);
  });

  it('keeps appends in call order, batches those of one turn, and replays open tasks after a reopen', async () => {
    const log = newLog();
    // Made before open: they wait for it.
    const early = log.append('a', recordLine(record('a')));
    await log.open();
    await Promise.all([
      early,
      log.append('b', recordLine(record('b'))),
      log.append('a', updateLine(status('a', 'a1', 'RUNNING'))),
      log.append('a', ackLine('a', 'a1')),
      log.append('b', updateLine(status('b', 'b1', 'FINISHED'))),
    ]);
    await log.forget('b');
    expect(log.openTasks()).toBe(1);
    await log.close();
    await expect(log.append('a', ackLine('a', 'x'))).rejects.toThrow(/closed/);

    const again = newLog();
    const { tasks, badLines } = await again.open();
    expect(badLines).toBe(0);
    expect([...tasks.keys()]).toEqual(['a']);
    expect(tasks.get('a')).toMatchObject({ record: record('a'), unacknowledged: [] });
    expect(tasks.get('a')?.updates.map((u) => u.uuid)).toEqual(['a1']);
    // Opening rewrote the file with the open task only.
    expect((await readFile(path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('compacts once closed tasks dominate, keeping every open task and every later append', async () => {
    const log = newLog(4096);
    await log.open();
    await log.append('live', recordLine(record('live')));
    for (let i = 0; i < 200; i++) {
      const id = `t${i}`;
      await Promise.all([log.append(id, recordLine(record(id))), log.append(id, updateLine(status(id, `u${i}`, 'FINISHED')))]);
      await log.forget(id);
    }
    await log.append('live', updateLine(status('live', 'l1', 'RUNNING')));
    const size = (await stat(path)).size;
    expect(size).toBeLessThan(3 * 4096);
    const { tasks } = replayLog(await readFile(path, 'utf8'));
    expect([...tasks.keys()]).toEqual(['live']);
    expect(tasks.get('live')?.updates.map((u) => u.uuid)).toEqual(['l1']);
  });

  it('drops a torn last line at open, so later appends stay readable', async () => {
    const first = newLog();
    await first.open();
    await first.append('a', recordLine(record('a')));
    await first.close();
    await appendFile(path, '{"taskId":"a","sta');

    const log = newLog();
    expect((await log.open()).badLines).toBe(1);
    await log.append('a', updateLine(status('a', 'a1', 'RUNNING')));
    const replayed = replayLog(await readFile(path, 'utf8'));
    expect(replayed.badLines).toBe(0);
    expect(replayed.tasks.get('a')?.updates.map((u) => u.uuid)).toEqual(['a1']);
  });

  it('takes older lines per task before its own, skipping tasks it already holds', async () => {
    const first = newLog();
    await first.open();
    await first.append('known', recordLine(record('known')));
    await first.close();

    const log = newLog();
    const imported = new Map([
      ['old', recordLine(record('old')) + updateLine(status('old', 'o1', 'RUNNING'))],
      ['known', recordLine(record('known')) + updateLine(status('known', 'dup', 'RUNNING'))],
    ]);
    const { tasks } = await log.open(imported);
    expect([...tasks.keys()].sort()).toEqual(['known', 'old']);
    expect(tasks.get('old')?.unacknowledged.map((u) => u.uuid)).toEqual(['o1']);
    expect(tasks.get('known')?.updates).toEqual([]);
  });
});

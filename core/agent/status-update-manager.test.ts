import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/clock.ts';
import { silentLogger } from '../logging/logger.ts';
import type { TaskStatus } from '../sdk/protocol.ts';
import { StatusUpdateManager } from './status-update-manager.ts';

function setup() {
  const clock = new ManualClock();
  const sent: TaskStatus[] = [];
  const journal: string[] = [];
  const closed: string[] = [];
  const manager = new StatusUpdateManager({
    clock,
    logger: silentLogger(),
    retry: { initialMs: 100, maxMs: 400 },
    journal: {
      appendUpdate: async (taskId, s) => void journal.push(`${taskId} ${s.state}`),
      appendAck: async (taskId, uuid) => void journal.push(`${taskId} ack ${uuid}`),
    },
    send: (s) => void sent.push(s),
    onStreamClosed: (taskId) => void closed.push(taskId),
  });
  const update = (taskId: string, state: TaskStatus['state']) =>
    manager.update({ taskId, frameworkId: 'f', agentId: 'a', state, source: 'SOURCE_EXECUTOR', timestamp: clock.now() }, { checkpoint: true });
  return { clock, sent, journal, closed, manager, update };
}

describe('StatusUpdateManager', () => {
  it('journals before sending, sends nothing until connected, and one head per task at a time', async () => {
    const { sent, journal, manager, update } = setup();
    await update('t', 'RUNNING');
    await update('t', 'FINISHED');
    await update('u', 'RUNNING');
    expect(journal).toEqual(['t RUNNING', 't FINISHED', 'u RUNNING']);
    expect(sent).toEqual([]);
    manager.connect();
    expect(sent.map((s) => `${s.taskId} ${s.state}`)).toEqual(['t RUNNING', 'u RUNNING']);
  });

  it('re-sends the head with capped doubling backoff until acknowledged, then sends the next', async () => {
    const { clock, sent, manager, update } = setup();
    manager.connect();
    const running = await update('t', 'RUNNING');
    const finished = await update('t', 'FINISHED');
    const times: number[] = [];
    const start = clock.now();
    for (let i = 0; i < 5; i++) {
      const before = sent.length;
      while (sent.length === before) clock.tick(1);
      times.push(clock.now() - start);
    }
    expect(times).toEqual([100, 300, 700, 1100, 1500]);
    expect(sent.every((s) => s.uuid === running.uuid)).toBe(true);
    expect(manager.acknowledge('t', 'wrong')).toBe(false);
    expect(manager.acknowledge('t', running.uuid as string)).toBe(true);
    expect(sent.at(-1)?.uuid).toBe(finished.uuid);
    expect(manager.acknowledge('t', running.uuid as string)).toBe(false);
  });

  it('journals acks of non-terminal updates, and closes the stream on the terminal ack without journaling it', async () => {
    const { journal, closed, manager, update } = setup();
    manager.connect();
    const running = await update('t', 'RUNNING');
    const finished = await update('t', 'FINISHED');
    manager.acknowledge('t', running.uuid as string);
    manager.acknowledge('t', finished.uuid as string);
    await manager.flush();
    // The journal is deleted once the stream closes; a crash before that only re-sends the terminal update.
    expect(journal).toEqual(['t RUNNING', 't FINISHED', `t ack ${running.uuid}`]);
    expect(closed).toEqual(['t']);
    expect(manager.pending('t')).toBe(0);
  });

  it('on close, sends every unacknowledged update once more, in order, then stops retrying', async () => {
    const { clock, sent, manager, update } = setup();
    manager.connect();
    const running = await update('t', 'RUNNING');
    // The terminal update of a stopping agent, queued behind a head whose acknowledgement has not arrived yet.
    const killed = await update('t', 'KILLED');
    const other = await update('u', 'RUNNING');
    expect(sent.map((s) => s.uuid)).toEqual([running.uuid, other.uuid]);
    await manager.close();
    expect(sent.map((s) => s.uuid)).toEqual([running.uuid, other.uuid, running.uuid, killed.uuid, other.uuid]);
    clock.tick(10_000);
    expect(sent).toHaveLength(5);
    expect(clock.pendingTimers()).toBe(0);
    // A late acknowledgement sends nothing more.
    manager.acknowledge('t', running.uuid as string);
    expect(sent).toHaveLength(5);
  });

  it('sends nothing on close when it never connected', async () => {
    const { sent, manager, update } = setup();
    await update('t', 'RUNNING');
    await manager.close();
    expect(sent).toEqual([]);
  });
});

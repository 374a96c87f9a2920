import { describe, expect, it } from 'vitest';
import { commandWithArguments, isForward, parseTaskId, retryDelayMs, runStateForTask, runView, shouldRetry, taskIdFor, type RunRecord } from './run-model.ts';

describe('run model', () => {
  it('routes task ids back to their job and run', () => {
    const id = taskIdFor('nightly.export-1', '42', 'ab12');
    expect(parseTaskId(id)).toEqual({ job: 'nightly.export-1', runId: '42' });
    expect(parseTaskId('hello.1234')).toBeUndefined();
  });

  it('maps task states to run states, a timeout kill to FAILED', () => {
    expect(runStateForTask('STAGING', undefined)).toBe('STARTING');
    expect(runStateForTask('RUNNING', undefined)).toBe('RUNNING');
    expect(runStateForTask('FINISHED', undefined)).toBe('SUCCEEDED');
    expect(runStateForTask('KILLED', 'user')).toBe('KILLED');
    expect(runStateForTask('KILLED', 'timeout')).toBe('FAILED');
    for (const s of ['FAILED', 'ERROR', 'LOST', 'DROPPED', 'GONE', 'UNKNOWN'] as const) expect(runStateForTask(s, undefined)).toBe('FAILED');
    expect(runStateForTask('KILLING', undefined)).toBeUndefined();
  });

  it('never moves a run backwards or out of a terminal state', () => {
    expect(isForward('QUEUED', 'STARTING')).toBe(true);
    expect(isForward('RUNNING', 'STARTING')).toBe(false);
    expect(isForward('SUCCEEDED', 'FAILED')).toBe(false);
  });

  it('backs off exponentially up to the cap, and retries failures only', () => {
    const b = { initialMs: 1000, factor: 2, maxMs: 5000 };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(b, a))).toEqual([1000, 2000, 4000, 5000]);
    expect(shouldRetry({ state: 'FAILED', attempt: 2 }, 2)).toBe(true);
    expect(shouldRetry({ state: 'FAILED', attempt: 3 }, 2)).toBe(false);
    expect(shouldRetry({ state: 'KILLED', attempt: 1 }, 2)).toBe(false);
  });

  it('appends run arguments: argv as is, shell commands single-quoted', () => {
    expect(commandWithArguments({ shell: false, arguments: ['/bin/echo'] }, ['a b'])).toEqual({ shell: false, arguments: ['/bin/echo', 'a b'] });
    expect(commandWithArguments({ shell: true, value: 'echo' }, ["it's"])).toEqual({ shell: true, value: "echo 'it'\\''s'" });
  });

  it('links a launched run to its task and sandbox files', () => {
    const r: RunRecord = { id: '3', job: 'j', cause: 'manual', attempt: 1, state: 'QUEUED', scheduledAt: 0, queuedAt: 0, owner: 'main', taskId: 'jobs:j:3:x' };
    expect(runView(r, 'waiting for an offer')).toMatchObject({ pendingReason: 'waiting for an offer' });
    expect(runView(r, 'waiting for an offer').links).toBeUndefined();
    const running = runView({ ...r, state: 'RUNNING' }, 'x');
    expect(running.pendingReason).toBeUndefined();
    expect(running.links).toEqual({ task: '/v1/tasks/jobs:j:3:x', stdout: '/v1/tasks/jobs:j:3:x/files/stdout', stderr: '/v1/tasks/jobs:j:3:x/files/stderr' });
  });
});

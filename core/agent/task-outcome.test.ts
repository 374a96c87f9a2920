import { describe, expect, it } from 'vitest';
import { parseExitStatus, taskOutcome } from './task-outcome.ts';

describe('taskOutcome', () => {
  it('maps exit 0 to FINISHED and non-zero to FAILED with the exit code', () => {
    expect(taskOutcome({ exitStatus: 0, killRequested: false })).toMatchObject({ state: 'FINISHED', exitCode: 0 });
    expect(taskOutcome({ exitStatus: 3, killRequested: false })).toEqual({ state: 'FAILED', exitCode: 3, message: 'Command exited with status 3' });
  });

  it('reports KILLED whenever a kill was requested, naming the signal', () => {
    expect(taskOutcome({ exitStatus: 143, killRequested: true })).toMatchObject({ state: 'KILLED', signal: 'SIGTERM', message: 'Command terminated with signal SIGTERM' });
    expect(taskOutcome({ signal: 'SIGKILL', killRequested: true })).toMatchObject({ state: 'KILLED', signal: 'SIGKILL' });
    expect(taskOutcome({ exitStatus: 0, killRequested: true })).toMatchObject({ state: 'KILLED', exitCode: 0 });
    expect(taskOutcome({ killRequested: true }).state).toBe('KILLED');
  });

  it('blames the executor when there is no exit status', () => {
    expect(taskOutcome({ killRequested: false })).toMatchObject({ state: 'FAILED', reason: 'REASON_EXECUTOR_TERMINATED' });
    expect(taskOutcome({ signal: 'SIGKILL', killRequested: false })).toMatchObject({ state: 'FAILED', reason: 'REASON_EXECUTOR_TERMINATED', signal: 'SIGKILL' });
  });
});

describe('parseExitStatus', () => {
  it('accepts one decimal status and rejects anything else', () => {
    expect(parseExitStatus('7\n')).toBe(7);
    expect(parseExitStatus('')).toBeUndefined();
    expect(parseExitStatus('1x')).toBeUndefined();
    expect(parseExitStatus('-1')).toBeUndefined();
  });
});

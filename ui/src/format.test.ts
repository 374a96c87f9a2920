import { describe, expect, it } from 'vitest';
import { fmtTaskReason } from './format.ts';

describe('fmtTaskReason', () => {
  it('says a known status reason in words and leaves an unknown code as it is', () => {
    expect(fmtTaskReason('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED')).toBe('Health check result changed');
    expect(fmtTaskReason('REASON_AGENT_DISCONNECTED')).toBe('Its agent disconnected');
    expect(fmtTaskReason('REASON_SOMETHING_NEW')).toBe('REASON_SOMETHING_NEW');
  });
});

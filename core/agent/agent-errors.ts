import type { CallError } from '../sdk/protocol.ts';

/** Stable codes of the errors the agent returns to the master (never reuse a shipped code). */
export const AgentErrorCode = {
  TASK_NOT_FOUND: 'TASK_NOT_FOUND',
  SANDBOX_PATH_INVALID: 'SANDBOX_PATH_INVALID',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  INVALID_RANGE: 'INVALID_RANGE',
  FILE_READ_FAILED: 'FILE_READ_FAILED',
  /** The task ran here, but its sandbox was removed by the sandbox GC. */
  SANDBOX_REMOVED: 'SANDBOX_REMOVED',
} as const;
export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

export function agentError(code: AgentErrorCode, message: string, field?: string): CallError {
  return field === undefined ? { code, message } : { code, message, field };
}

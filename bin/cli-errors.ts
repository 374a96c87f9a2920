/**
 * The two ways a command fails, by exit code: `UsageError` (2: bad flags, arguments, files or configuration —
 * the user must change the command line) and `CommandError` (1: the API refused, or the network failed).
 * Anything else thrown is a bug and is shown with its stack by bin/cli.ts.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The help text to show after the message, if any. */
    readonly help?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export class CommandError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CommandError';
  }
}

export const EXIT = { OK: 0, ERROR: 1, USAGE: 2 } as const;

/** A write was refused because another leader holds a newer epoch. Nothing of it was written. */
export class FencedError extends Error {
  readonly code = 'FENCED';
  constructor(
    readonly writerEpoch: number,
    /** The epoch in Redis when the write was refused (0 if none was ever taken). */
    readonly currentEpoch: number,
    options?: { cause?: unknown },
  ) {
    super(`write fenced: this writer's term (epoch ${writerEpoch}) is over, redis has epoch ${currentEpoch}; nothing was written`, options);
    this.name = 'FencedError';
  }
}

/**
 * The `FencedError` a fenced script's reply stands for (`FENCED <writer> <current>`: the first word is the error
 * code, as Redis' own NOSCRIPT or WRONGTYPE), or undefined for any other error.
 */
export function fencedReply(error: unknown): FencedError | undefined {
  const m = /^FENCED (\d+) (\d+)/.exec(error instanceof Error ? error.message : '');
  return m ? new FencedError(Number(m[1]), Number(m[2]), { cause: error }) : undefined;
}

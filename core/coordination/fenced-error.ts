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

/**
 * Id rules shared by the master's validation: ids end up in Redis keys, file paths and URLs, so they are
 * restricted to a safe alphabet and length (Mesos allows more; we choose to be strict and say so in errors).
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;

export function isValidId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

/** Sequential ids scoped by the master's own id, as Mesos does: `<masterId>-0001`, `<masterId>-S3`, `<masterId>-O17`. */
export class IdSequence {
  private n = 0;
  constructor(private readonly format: (n: number) => string) {}
  next(): string {
    this.n += 1;
    return flatten(this.format(this.n));
  }
  /** Moves the sequence past ids that already exist (after loading the registry). */
  skipPast(n: number): void {
    if (n > this.n) this.n = n;
  }
}

/**
 * Strings built by concatenation (template literals, `randomUUID()`) are ropes in V8: a tree of pieces, ~450
 * bytes for a uuid where the flat text takes ~50. Reading a character makes V8 flatten the rope in place, and
 * the next GC drops the pieces. Worth it for strings kept per task or per agent; a no-op for flat strings.
 */
export function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * What a start opened, closed in reverse order: `push` each closer as its resource opens, `unwind` on stop (or when
 * the start fails half-way). A closer that fails is logged and the others still run; `unwind` twice runs nothing twice.
 */
import type { Logger } from '../../core/logging/logger.ts';

export type Closer = () => Promise<void> | void;

export class ShutdownStack {
  private readonly steps: Array<[name: string, close: Closer]> = [];

  constructor(private readonly log: Logger) {}

  push(name: string, close: Closer): void {
    this.steps.push([name, close]);
  }

  /** Runs one closer now, logging instead of throwing (for steps outside the stack's order). */
  async run(name: string, close: Closer): Promise<void> {
    try {
      await close();
    } catch (e) {
      this.log.warn({ err: e, step: name }, 'shutdown step failed');
    }
  }

  async unwind(): Promise<void> {
    for (const [name, close] of this.steps.splice(0).reverse()) await this.run(name, close);
  }
}

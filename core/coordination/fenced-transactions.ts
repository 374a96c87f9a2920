/**
 * MULTI/EXEC transactions for the services' stores (jobs, apps), fenced by the leader epoch as the registry's
 * writes are: with a `LeaderFence`, every transaction WATCHes `{prefix}:epoch` and checks it holds the term's
 * epoch before it writes, so EXEC applies nothing once another leader took over (the INCR of a new term
 * aborts it) and a deposed leader — paused by SIGSTOP, cut off — gets `FencedError` instead of a write.
 *
 *   optimistic(watch, body):  WATCH watch… epoch ─ GET epoch ─ body reads ─┬─ epoch ≠ mine ─▶ FencedError
 *                                                                          ├─ abort ─▶ UNWATCH, result
 *                                                                          └─ MULTI writes EXEC ─ null ─▶ again
 *   write(writes):            the same with nothing else watched: MULTI/EXEC replies, or FencedError
 *
 * WATCH belongs to a connection, so each transaction takes a connection of the pool for its duration; callers
 * waiting for one queue in order. Without a fence (a jobs service with replicas of its own, tests) the same
 * calls are plain optimistic transactions. The keys must share the fence's hash tag (one Cluster slot).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { FencedError } from './fenced-error.ts';
import { registryKeys } from './keys.ts';

/** The epoch key and the epoch a leadership term holds. */
export interface LeaderFence {
  readonly key: string;
  readonly epoch: number;
}

export function leaderFence(prefix: string, epoch: number): LeaderFence {
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new Error(`invalid fencing epoch ${epoch}`);
  return { key: registryKeys(prefix).epoch, epoch };
}

/** What a transaction body decides after its reads: write (and return `result`), or `abort` with a value. */
export type TxPlan<T> = { abort: T } | { writes: (m: ChainableCommander) => void; result: T };

export type ExecReplies = Array<[error: Error | null, reply: unknown]>;

const MAX_ATTEMPTS = 100;

export class FencedTransactions {
  private readonly idle: Redis[];
  private readonly waiting: Array<(c: Redis) => void> = [];

  /** `connections`: the pool, owned by the caller (who closes them). */
  constructor(
    connections: Redis[],
    readonly fence?: LeaderFence,
  ) {
    if (connections.length === 0) throw new Error('FencedTransactions needs at least one connection');
    this.idle = [...connections];
  }

  /**
   * Runs `body` between WATCH and MULTI/EXEC on a connection of its own, again from the start when a watched key
   * changed meanwhile. `body` reads through `c` (its reads are pipelined behind the WATCH) and returns its plan.
   */
  async optimistic<T>(watch: string[], body: (c: Redis) => Promise<TxPlan<T>>): Promise<T> {
    return (await this.transact(watch, body)).result;
  }

  /** Writes in one MULTI/EXEC (only while the fence's epoch is current); EXEC's replies, none of them an error. */
  async write(writes: (m: ChainableCommander) => void): Promise<ExecReplies> {
    return (await this.transact([], async () => ({ result: undefined, writes }))).replies;
  }

  private async transact<T>(watch: string[], body: (c: Redis) => Promise<TxPlan<T>>): Promise<{ result: T; replies: ExecReplies }> {
    const tx = await this.take();
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const fence = this.fence;
        const keys = fence ? [...watch, fence.key] : watch;
        // Not awaited before the body: its reads queue behind WATCH on this connection, in the same round trip.
        // (Marked handled here, awaited below: a body that takes long must not make them unhandled rejections.)
        const watched = keys.length > 0 ? tx.watch(...keys) : Promise.resolve('OK' as const);
        const held = fence ? tx.get(fence.key) : undefined;
        watched.catch(() => undefined);
        held?.catch(() => undefined);
        let plan: TxPlan<T>;
        try {
          plan = await body(tx);
          await watched;
          if (fence) {
            const current = Number((await held) ?? 0);
            if (current !== fence.epoch) throw new FencedError(fence.epoch, current);
          }
        } catch (e) {
          // The body's (or the fence's) error is the one to report; the watch is dropped either way.
          // (A connection closed meanwhile — the service stopping — must not replace that error.)
          await Promise.allSettled([watched, held]);
          if (keys.length > 0) await tx.unwatch().catch(() => undefined);
          throw e;
        }
        if ('abort' in plan) {
          if (keys.length > 0) await tx.unwatch();
          return { result: plan.abort, replies: [] };
        }
        const m = tx.multi();
        plan.writes(m);
        const replies = await m.exec();
        if (replies === null) continue;
        for (const [e] of replies) if (e) throw e;
        return { result: plan.result, replies };
      }
      throw new Error(`optimistic transaction on ${watch[0] ?? this.fence?.key} conflicted ${MAX_ATTEMPTS} times`);
    } finally {
      this.release(tx);
    }
  }

  private take(): Promise<Redis> {
    const c = this.idle.pop();
    return c ? Promise.resolve(c) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: Redis): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(c);
    else this.idle.push(c);
  }
}

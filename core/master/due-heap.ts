/**
 * Items that are due at some time, earliest first: one clock timer for all of them instead of one per item.
 * An indexed binary min-heap: each item remembers its position (`dueIndex`, -1 when not queued), so removal is
 * O(log n) and nothing stale stays queued — a per-item timer or a lazily cancelled queue would keep every
 * acknowledged update (or its task) reachable until its time came.
 */
import type { Clock, TimerHandle } from '../clock/clock.ts';

export interface DueItem {
  /** Position in the heap; -1 when not queued. Owned by DueHeap. */
  dueIndex: number;
}

export class DueHeap<T extends DueItem> {
  private readonly items: T[] = [];
  /** Due times, parallel to `items`; a plain number array is stored unboxed. */
  private readonly dues: number[] = [];
  private timer?: TimerHandle;
  private timerAt = Infinity;

  constructor(
    private readonly clock: Clock,
    /** Called once per item whose time has come, after it left the heap (so it may be queued again). */
    private readonly onDue: (item: T) => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Queues the item at `dueAt`, or moves it there if it is queued already. */
  schedule(item: T, dueAt: number): void {
    if (item.dueIndex >= 0) this.remove(item);
    const i = this.items.length;
    this.items.push(item);
    this.dues.push(dueAt);
    item.dueIndex = i;
    this.up(i);
    if (dueAt < this.timerAt) this.arm(dueAt);
  }

  /** Takes the item out; harmless when it is not queued. The timer is left to fire and find nothing due. */
  remove(item: T): void {
    const i = item.dueIndex;
    if (i < 0) return;
    item.dueIndex = -1;
    const last = this.items.length - 1;
    const moved = this.items[last];
    const movedDue = this.dues[last];
    this.items.pop();
    this.dues.pop();
    if (i === last) return;
    this.items[i] = moved;
    this.dues[i] = movedDue;
    moved.dueIndex = i;
    this.down(i);
    this.up(moved.dueIndex);
  }

  /** Cancels the timer and forgets every item. */
  clear(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const item of this.items) item.dueIndex = -1;
    this.items.length = 0;
    this.dues.length = 0;
  }

  private arm(at: number): void {
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.items.length > 0 && this.dues[0] <= now) {
      const item = this.items[0];
      this.remove(item);
      this.onDue(item);
    }
    if (this.items.length > 0 && this.dues[0] < this.timerAt) this.arm(this.dues[0]);
  }

  private up(i: number): void {
    const item = this.items[i];
    const due = this.dues[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.dues[p] <= due) break;
      this.place(this.items[p], this.dues[p], i);
      i = p;
    }
    this.place(item, due, i);
  }

  private down(i: number): void {
    const n = this.items.length;
    const item = this.items[i];
    const due = this.dues[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.dues[r] < this.dues[l] ? r : l;
      if (this.dues[c] >= due) break;
      this.place(this.items[c], this.dues[c], i);
      i = c;
    }
    this.place(item, due, i);
  }

  private place(item: T, due: number, i: number): void {
    this.items[i] = item;
    this.dues[i] = due;
    item.dueIndex = i;
  }
}

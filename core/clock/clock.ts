/**
 * Time as a dependency. Stateful components take a `Clock`; pure functions take `now` (ms since epoch).
 * Timers created through a clock fire only through that clock, so a `ManualClock` makes tests exact.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`. The returned handle cancels it; cancelling twice is harmless. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Calls `fn` every `ms` until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface ManualTimer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/** A clock that moves only when told to (`tick`, `setTime`); due timers fire in time order. */
export class ManualClock implements Clock {
  private time: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add({ id: this.nextId++, at: this.time + Math.max(0, ms), fn });
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms);
    return this.add({ id: this.nextId++, at: this.time + every, every, fn });
  }

  tick(ms: number): void {
    this.setTime(this.time + ms);
  }

  setTime(target: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const due = this.timers[0];
      if (!due || due.at > target) break;
      this.time = due.at;
      if (due.every) due.at += due.every;
      else this.timers.shift();
      due.fn();
    }
    this.time = target;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private add(timer: ManualTimer): TimerHandle {
    this.timers.push(timer);
    return {
      cancel: () => {
        this.timers = this.timers.filter((t) => t !== timer);
      },
    };
  }
}

/**
 * Which finished sandboxes to remove (pure): those older than the age budget, then the oldest until the rest fit
 * the size budget (Mesos removes after `--gc_delay`, earlier under disk pressure).
 */
export interface FinishedSandbox {
  taskId: string;
  sandbox: string;
  /** When the task's end was acknowledged (or the sandbox's mtime, for ones found at start). */
  finishedAt: number;
  bytes: number;
}

export interface SandboxGcPolicy {
  /** Finished sandboxes older than this are removed. */
  maxAgeMs: number;
  /** Finished sandboxes together may take this much; the oldest go first. */
  maxBytes: number;
}

export interface SandboxGcPlan {
  remove: FinishedSandbox[];
  /** When the oldest kept sandbox comes of age, if any is kept. */
  nextDueAt?: number;
}

/**
 * Precondition: `entries` sorted by `finishedAt`, oldest first; `totalBytes` their sum (kept by the caller, so a
 * plan costs O(removed), not O(entries)). The removals are always a prefix of `entries`.
 */
export function planSandboxGc(entries: readonly FinishedSandbox[], now: number, policy: SandboxGcPolicy, totalBytes = sumBytes(entries)): SandboxGcPlan {
  const remove: FinishedSandbox[] = [];
  let total = totalBytes;
  let i = 0;
  for (; i < entries.length; i++) {
    const e = entries[i];
    const tooOld = now - e.finishedAt >= policy.maxAgeMs;
    if (!tooOld && total <= policy.maxBytes) break;
    remove.push(e);
    total -= e.bytes;
  }
  const oldestKept = entries[i];
  return oldestKept ? { remove, nextDueAt: oldestKept.finishedAt + policy.maxAgeMs } : { remove };
}

function sumBytes(entries: readonly FinishedSandbox[]): number {
  let total = 0;
  for (const e of entries) total += e.bytes;
  return total;
}

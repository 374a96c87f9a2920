/**
 * When a dependent job runs — Chronos' rule (services.md §2.7), made exact and persistable.
 *
 * Rule: a dependent job (child) becomes ready once EVERY one of its current parents has succeeded
 * at least once since the child last STARTED. Consequences, each tested:
 * - extra successes of one parent do not queue extra child runs (a set, not counters);
 * - a parent failure neither triggers the child nor clears what other parents contributed;
 * - a manual run of a parent that succeeds counts like any other success;
 * - between "ready" and "started" further parent successes are absorbed: they happened before the
 *   start, so they cannot count as "since the child last started" (Chronos: counters reset on
 *   TASK_RUNNING); `awaitingStart` stops the child from being reported ready twice meanwhile;
 * - editing a child's parents prunes the set to the current parents and never launches anything
 *   by itself; the next parent success re-evaluates.
 *
 * Chronos kept this in an in-memory map and lost it on failover (its issue #811). These functions
 * only compute states; the store persists every returned state before acting on `ready`, and must
 * apply the transitions of one child atomically (two replicas may see two parents finish at once).
 */

export interface ChildTriggerState {
  child: string;
  /** Parents that succeeded since the child last started, in the order of the child's parents. */
  satisfied: string[];
  /** The child was reported ready and has not started since; further readiness is absorbed. */
  awaitingStart: boolean;
}

export type TriggerStates = ReadonlyMap<string, ChildTriggerState>;

export const emptyTriggerState = (child: string): ChildTriggerState => ({ child, satisfied: [], awaitingStart: false });

const stateOf = (state: TriggerStates, child: string): ChildTriggerState => state.get(child) ?? emptyTriggerState(child);

/** True when every parent is in the satisfied set. A child without parents is never satisfied (it is not a dependent job). */
export function allParentsSatisfied(s: ChildTriggerState, parents: readonly string[]): boolean {
  const satisfied = new Set(s.satisfied);
  return parents.length > 0 && parents.every((p) => satisfied.has(p));
}

/** The parents in `keep`, in the child's order, each once. */
function orderedSubset(parents: readonly string[], keep: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  return parents.filter((p) => keep.has(p) && !seen.has(p) && seen.add(p) !== undefined);
}

const sameState = (a: ChildTriggerState, b: ChildTriggerState): boolean =>
  a.awaitingStart === b.awaitingStart && a.satisfied.length === b.satisfied.length && a.satisfied.every((p, i) => b.satisfied[i] === p);

/**
 * `parent` succeeded (scheduled, manual, or via `softError`-style policy decided by the caller).
 * `children` are the current definitions of the jobs depending on it; an entry that does not
 * list `parent` is not its child and is ignored. Returns the states that changed and the children
 * that became ready, which the caller launches (or records as missed/skipped and then reports
 * through `onChildRunDropped`). Does not modify `state`.
 */
export function onParentSucceeded(
  state: TriggerStates,
  parent: string,
  children: ReadonlyArray<{ name: string; parents: readonly string[] }>,
): { updates: ChildTriggerState[]; ready: string[] } {
  const updates: ChildTriggerState[] = [];
  const ready: string[] = [];
  for (const c of children) {
    if (!c.parents.includes(parent)) continue;
    const before = stateOf(state, c.name);
    const satisfiedNow = new Set([...before.satisfied, parent]);
    const next: ChildTriggerState = {
      child: c.name,
      satisfied: orderedSubset(c.parents, satisfiedNow),
      awaitingStart: before.awaitingStart,
    };
    if (!next.awaitingStart && allParentsSatisfied(next, c.parents)) {
      next.awaitingStart = true;
      ready.push(c.name);
    }
    if (!sameState(before, next)) updates.push(next);
  }
  return { updates, ready };
}

/**
 * A run of `child` started (the first attempt of a run, whatever its cause: parent, manual,
 * schedule). Everything satisfied so far is consumed. Retries of the same run are not new starts:
 * do not call this for them, or parent successes during the first attempt would be lost.
 */
export function onChildStarted(state: TriggerStates, child: string): ChildTriggerState {
  // Takes `state` like the other transitions so callers treat them alike; a start consumes everything.
  void state;
  return emptyTriggerState(child);
}

/**
 * A ready child will not start after all (missed its lateness limit, skipped by `forbid`,
 * disabled, killed while queued). Nothing was consumed, so the satisfied set stays; the child
 * can be reported ready again by the next parent success.
 */
export function onChildRunDropped(state: TriggerStates, child: string): ChildTriggerState {
  return { ...stateOf(state, child), awaitingStart: false };
}

/** The child's parents were edited: forget parents it no longer has. Never makes it ready. */
export function onParentsChanged(state: TriggerStates, child: string, parents: readonly string[]): ChildTriggerState {
  const before = stateOf(state, child);
  return { ...before, satisfied: orderedSubset(parents, new Set(before.satisfied)) };
}

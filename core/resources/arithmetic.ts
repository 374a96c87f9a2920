import type { Range, Resources } from './types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import {
  addRanges,
  containsRangesNormalized,
  equalRanges,
  isNormalizedRanges,
  lowestOfRanges,
  normalizeRanges,
  rangesSize,
  subtractRangesNormalized,
} from './ranges.ts';
import { addSets, containsSetNormalized, equalSets, isNormalizedSet, normalizeSet, subtractSetsNormalized } from './sets.ts';
import { formatResources } from './resource-text.ts';

/**
 * Resource arithmetic. Every function returns a new object and never mutates its inputs; results may
 * share unchanged inner arrays with the inputs, so treat every Resources value as immutable.
 *
 * Preconditions: inputs are normalized (see `normalizeResources`); everything this module, the parser
 * and the JSON reader return is. Scalars are fixed point with 3 decimals (Mesos): sums and differences
 * are computed in thousandths, so `0.1 + 0.2` is exactly `0.3`, and a value that rounds to 0 is dropped.
 * Ranges and sets add as unions: the same port added twice is counted once, so callers keep the parts
 * they add disjoint (a port is either free or in use, never both).
 */

const millis = (v: number): number => Math.round(v * 1000);
const own = <T>(rec: Record<string, T>, key: string): T | undefined => (Object.hasOwn(rec, key) ? rec[key] : undefined);

export function emptyResources(): Resources {
  return { scalars: {}, ranges: {}, sets: {} };
}

/**
 * Rounds scalars to 3 decimals, sorts and merges ranges, sorts and de-duplicates sets, drops empty entries.
 * Throws on negative or non-finite scalars and on malformed ranges: such a value is a programming error,
 * since user input goes through `parseResources` / `fromMesosJson`, which return errors instead.
 */
export function normalizeResources(r: Resources): Resources {
  const out = emptyResources();
  for (const [name, v] of Object.entries(r.scalars)) {
    if (!Number.isFinite(v) || millis(v) < 0) throw new Error(`normalizeResources: scalar '${name}' is ${v}`);
    const m = millis(v);
    if (m > 0) out.scalars[name] = m / 1000;
  }
  for (const [name, list] of Object.entries(r.ranges)) {
    for (const [b, e] of list) {
      if (!Number.isSafeInteger(b) || !Number.isSafeInteger(e) || b < 0 || b > e) {
        throw new Error(`normalizeResources: range ${b}-${e} of '${name}' is malformed`);
      }
    }
    if (list.length > 0) out.ranges[name] = isNormalizedRanges(list) ? list.map((x) => [x[0], x[1]] as const) : normalizeRanges(list);
  }
  for (const [name, items] of Object.entries(r.sets)) {
    if (items.length > 0) out.sets[name] = isNormalizedSet(items) ? [...items] : normalizeSet(items);
  }
  return out;
}

export function addResources(a: Resources, b: Resources): Resources {
  const scalars: Record<string, number> = { ...a.scalars };
  for (const [name, v] of Object.entries(b.scalars)) {
    const m = millis(own(a.scalars, name) ?? 0) + millis(v);
    if (m > 0) scalars[name] = m / 1000;
    else delete scalars[name];
  }
  const ranges: Record<string, Range[]> = { ...a.ranges };
  for (const [name, list] of Object.entries(b.ranges)) {
    if (list.length === 0) continue;
    const merged = addRanges(own(a.ranges, name) ?? [], list);
    if (merged.length > 0) ranges[name] = merged;
  }
  const sets: Record<string, string[]> = { ...a.sets };
  for (const [name, items] of Object.entries(b.sets)) {
    if (items.length === 0) continue;
    sets[name] = addSets(own(a.sets, name) ?? [], items);
  }
  return { scalars, ranges, sets };
}

/** a − b. Precondition: `containsResources(a, b)`; violating it throws, since it means something was freed twice. */
export function subtractResources(a: Resources, b: Resources): Resources {
  if (!containsResources(a, b)) {
    throw new Error(`subtractResources: '${formatResources(b)}' is not contained in '${formatResources(a)}'`);
  }
  const scalars: Record<string, number> = { ...a.scalars };
  for (const [name, v] of Object.entries(b.scalars)) {
    const m = millis(own(a.scalars, name) ?? 0) - millis(v);
    if (m > 0) scalars[name] = m / 1000;
    else delete scalars[name];
  }
  const ranges: Record<string, Range[]> = { ...a.ranges };
  for (const [name, list] of Object.entries(b.ranges)) {
    const have = own(a.ranges, name);
    if (have === undefined || list.length === 0) continue;
    const left = subtractRangesNormalized(have, list);
    if (left.length > 0) ranges[name] = left;
    else delete ranges[name];
  }
  const sets: Record<string, string[]> = { ...a.sets };
  for (const [name, items] of Object.entries(b.sets)) {
    const have = own(a.sets, name);
    if (have === undefined || items.length === 0) continue;
    const left = subtractSetsNormalized(have, items);
    if (left.length > 0) sets[name] = left;
    else delete sets[name];
  }
  return { scalars, ranges, sets };
}

/** Whether b fits in a: every scalar of b ≤ a's, every value of b's ranges and sets present in a. */
export function containsResources(a: Resources, b: Resources): boolean {
  for (const name in b.scalars) {
    if (!Object.hasOwn(b.scalars, name)) continue;
    if (millis(own(a.scalars, name) ?? 0) < millis(b.scalars[name])) return false;
  }
  for (const name in b.ranges) {
    if (!Object.hasOwn(b.ranges, name)) continue;
    const want = b.ranges[name];
    if (want.length > 0 && !containsRangesNormalized(own(a.ranges, name) ?? [], want)) return false;
  }
  for (const name in b.sets) {
    if (!Object.hasOwn(b.sets, name)) continue;
    const want = b.sets[name];
    if (want.length > 0 && !containsSetNormalized(own(a.sets, name) ?? [], want)) return false;
  }
  return true;
}

export function isEmptyResources(r: Resources): boolean {
  for (const name in r.scalars) if (Object.hasOwn(r.scalars, name) && millis(r.scalars[name]) !== 0) return false;
  for (const name in r.ranges) if (Object.hasOwn(r.ranges, name) && r.ranges[name].length > 0) return false;
  for (const name in r.sets) if (Object.hasOwn(r.sets, name) && r.sets[name].length > 0) return false;
  return true;
}

/** Equality of normalized values; absent, zero and empty entries are all the same. */
export function equalResources(a: Resources, b: Resources): boolean {
  const names = (x: Record<string, unknown>, y: Record<string, unknown>) => new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const name of names(a.scalars, b.scalars)) {
    if (millis(own(a.scalars, name) ?? 0) !== millis(own(b.scalars, name) ?? 0)) return false;
  }
  for (const name of names(a.ranges, b.ranges)) {
    if (!equalRanges(own(a.ranges, name) ?? [], own(b.ranges, name) ?? [])) return false;
  }
  for (const name of names(a.sets, b.sets)) {
    if (!equalSets(own(a.sets, name) ?? [], own(b.sets, name) ?? [])) return false;
  }
  return true;
}

/** The scalar named `name`, 0 when absent. */
export function scalarOf(r: Resources, name: string): number {
  return own(r.scalars, name) ?? 0;
}

/**
 * The lowest `count` free values of the range resource `name` (host ports for apps), as a normalized
 * range list. Fails when fewer are free. Take them out of the offer with `subtractResources`.
 */
export function takePorts(available: Resources, count: number, name = 'ports'): Result<Range[], string> {
  if (!Number.isSafeInteger(count) || count < 0) return err(`port count ${count} must be a non-negative integer`);
  const free = own(available.ranges, name) ?? [];
  const size = rangesSize(free);
  if (size < count) return err(`${count} '${name}' needed, only ${size} free`);
  return ok(lowestOfRanges(free, count));
}

export interface ResourceRequest {
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  [custom: string]: number | undefined;
}

/**
 * Scalars from a request such as `{ cpus: 0.5, mem: 128 }`; undefined and zero entries are dropped.
 * Throws on negative or non-finite values: requests are validated at the API boundary before reaching here.
 */
export function resourcesFromRequest(req: ResourceRequest): Resources {
  const out = emptyResources();
  for (const [name, v] of Object.entries(req)) {
    if (v === undefined) continue;
    if (!Number.isFinite(v) || v < 0) throw new Error(`resourcesFromRequest: '${name}' is ${v}`);
    const m = millis(v);
    if (m > 0) out.scalars[name] = m / 1000;
  }
  return out;
}

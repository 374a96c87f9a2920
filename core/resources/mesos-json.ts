import type { Range, Resources } from './types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { ResourceAccumulator } from './accumulator.ts';
import { canonicalNames, type ParseError } from './resource-text.ts';
import { checkName, checkRange, checkScalar, checkSetItem } from './names.ts';

/** One entry of Mesos' JSON resource list (`--resources='[{"name":"cpus","type":"SCALAR","scalar":{"value":4}}]'`). */
export interface MesosResource {
  name: string;
  type: 'SCALAR' | 'RANGES' | 'SET';
  scalar?: { value: number };
  ranges?: { range: Array<{ begin: number; end: number }> };
  set?: { item: string[] };
  /** Only the unreserved role is supported. */
  role?: '*';
}

/** Longest list accepted; a guard against oversized input, far above any real agent. */
const MAX_ENTRIES = 1024;

/** Canonical order, same as `formatResources`. */
export function toMesosJson(r: Resources): MesosResource[] {
  const out: MesosResource[] = [];
  for (const name of canonicalNames(r)) {
    if (Object.hasOwn(r.scalars, name) && Math.round(r.scalars[name] * 1000) !== 0) {
      out.push({ name, type: 'SCALAR', scalar: { value: Math.round(r.scalars[name] * 1000) / 1000 } });
    }
    if (Object.hasOwn(r.ranges, name) && r.ranges[name].length > 0) {
      out.push({ name, type: 'RANGES', ranges: { range: r.ranges[name].map(([begin, end]) => ({ begin, end })) } });
    }
    if (Object.hasOwn(r.sets, name) && r.sets[name].length > 0) {
      out.push({ name, type: 'SET', set: { item: [...r.sets[name]] } });
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads untrusted JSON. Same rules as the text syntax: same-type duplicates add up, a role other than
 * `*` or a non-empty `reservations` list is refused, unknown fields are ignored. `field` is the
 * resource name, or `[index]` when the entry has no usable name.
 */
export function fromMesosJson(list: unknown): Result<Resources, ParseError> {
  if (!Array.isArray(list)) return err({ message: 'resources must be a JSON array' });
  if (list.length > MAX_ENTRIES) return err({ message: `resources list has ${list.length} entries, more than ${MAX_ENTRIES}` });
  const acc = new ResourceAccumulator();
  for (let i = 0; i < list.length; i++) {
    const failure = readEntry(list[i], `[${i}]`, acc);
    if (failure) return err(failure);
  }
  return ok(acc.build());
}

function readEntry(entry: unknown, at: string, acc: ResourceAccumulator): ParseError | undefined {
  if (!isObject(entry)) return { message: `resource ${at} is not an object`, field: at };
  const { name, type } = entry;
  if (typeof name !== 'string') return { message: `resource ${at} has no name`, field: at };
  const bad = checkName(name, 'resource');
  if (bad) return { message: `${bad} (resource ${at})`, field: at };
  const fail = (message: string): ParseError => ({ message, field: name });
  if (entry.role !== undefined && entry.role !== '*') {
    return fail(`resource '${name}' is reserved for role '${String(entry.role)}'; only the unreserved role '*' is supported`);
  }
  if (entry.reservations !== undefined && !(Array.isArray(entry.reservations) && entry.reservations.length === 0)) {
    return fail(`resource '${name}' has reservations; only unreserved resources are supported`);
  }
  let conflict: string | undefined;
  if (type === 'SCALAR') {
    const value = isObject(entry.scalar) ? entry.scalar.value : undefined;
    if (typeof value !== 'number') return fail(`resource '${name}' of type SCALAR needs scalar.value as a number`);
    const badValue = checkScalar(name, value);
    if (badValue) return fail(badValue);
    conflict = acc.addScalar(name, Math.round(value * 1000));
  } else if (type === 'RANGES') {
    const raw = isObject(entry.ranges) ? entry.ranges.range : undefined;
    if (!Array.isArray(raw)) return fail(`resource '${name}' of type RANGES needs ranges.range as an array`);
    const ranges: Range[] = [];
    for (const item of raw) {
      if (!isObject(item) || typeof item.begin !== 'number' || typeof item.end !== 'number') {
        return fail(`resource '${name}' has a range without numeric begin and end`);
      }
      const badRange = checkRange(name, item.begin, item.end);
      if (badRange) return fail(badRange);
      ranges.push([item.begin, item.end]);
    }
    conflict = acc.addRanges(name, ranges);
  } else if (type === 'SET') {
    const raw = isObject(entry.set) ? entry.set.item : undefined;
    if (!Array.isArray(raw)) return fail(`resource '${name}' of type SET needs set.item as an array`);
    const items: string[] = [];
    for (const item of raw) {
      if (typeof item !== 'string') return fail(`resource '${name}' has a set item that is not text`);
      const badItem = checkSetItem(name, item);
      if (badItem) return fail(badItem);
      items.push(item);
    }
    conflict = acc.addSet(name, items);
  } else {
    return fail(`resource '${name}' has type ${JSON.stringify(type)}; expected SCALAR, RANGES or SET`);
  }
  return conflict ? fail(conflict) : undefined;
}

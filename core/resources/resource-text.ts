import type { Attributes, Range, Resources } from './types.ts';
import { err, ok, type Result } from '../errors/result.ts';
import { ResourceAccumulator } from './accumulator.ts';
import { byCodeUnit } from './sets.ts';
import { MAX_TEXT_LENGTH, checkName, checkRange, checkScalar, checkSetItem } from './names.ts';

/**
 * The Mesos text syntax for resources and attributes:
 *   resources  `cpus:4;mem:8192;ports:[31000-32000,33000-33010];disks:{ssd1,ssd2}` (legacy `cpus(*):4` accepted)
 *   attributes `rack:a;os:linux;level:10`
 * Empty entries (`a:1;;b:2;`) are ignored. Every error message names the offending entry.
 */
export interface ParseError {
  message: string;
  /** The resource or attribute name at fault, when known. */
  field?: string;
}

const SCALAR_RE = /^(\d+(\.\d*)?|\.\d+)$/;
const RANGE_RE = /^(\d+)\s*-\s*(\d+)$/;
const ROLE_RE = /^([^()]*)\(([^()]*)\)$/;
/** Well-known names come first in canonical text, the rest alphabetically. */
const LEADING = ['cpus', 'mem', 'disk', 'gpus'];

export function parseResources(text: string): Result<Resources, ParseError> {
  if (typeof text !== 'string') return err({ message: 'resources must be text' });
  if (text.length > MAX_TEXT_LENGTH) {
    return err({ message: `resources text is ${text.length} characters, more than ${MAX_TEXT_LENGTH}` });
  }
  const acc = new ResourceAccumulator();
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const failure = parseEntry(entry, acc);
    if (failure) return err(failure);
  }
  return ok(acc.build());
}

function parseEntry(entry: string, acc: ResourceAccumulator): ParseError | undefined {
  const colon = entry.indexOf(':');
  if (colon < 0) return { message: `entry '${entry}' has no ':' (expected name:value)`, field: entry };
  let name = entry.slice(0, colon).trim();
  const value = entry.slice(colon + 1).trim();
  const withRole = ROLE_RE.exec(name);
  if (withRole) {
    name = withRole[1].trim();
    const role = withRole[2].trim();
    if (role !== '*') {
      return { message: `resource '${name}' is reserved for role '${role}'; only the unreserved role '*' is supported`, field: name };
    }
  }
  const bad = checkName(name, 'resource');
  if (bad) return { message: `${bad} (entry '${entry}')`, field: name || entry };
  if (value === '') return { message: `resource '${name}' has no value`, field: name };

  let conflict: string | undefined;
  if (value.startsWith('[')) {
    if (!value.endsWith(']')) return { message: `resource '${name}' ranges '${value}' lack a closing ']'`, field: name };
    const ranges = parseRangeList(name, value.slice(1, -1));
    if (typeof ranges === 'string') return { message: ranges, field: name };
    conflict = acc.addRanges(name, ranges);
  } else if (value.startsWith('{')) {
    if (!value.endsWith('}')) return { message: `resource '${name}' set '${value}' lacks a closing '}'`, field: name };
    const items = parseSetItems(name, value.slice(1, -1));
    if (typeof items === 'string') return { message: items, field: name };
    conflict = acc.addSet(name, items);
  } else {
    const millis = parseScalar(name, value);
    if (typeof millis === 'string') return { message: millis, field: name };
    conflict = acc.addScalar(name, millis);
  }
  return conflict ? { message: conflict, field: name } : undefined;
}

/** Returns the value in thousandths, or an error message. */
function parseScalar(name: string, text: string): number | string {
  if (!SCALAR_RE.test(text)) {
    if (/^-\s*(\d|\.\d)/.test(text)) return `resource '${name}' value '${text}' is negative`;
    return `resource '${name}' value '${text}' is not a non-negative decimal number`;
  }
  const value = Number(text);
  const bad = checkScalar(name, value);
  return bad ?? Math.round(value * 1000);
}

function parseRangeList(name: string, inner: string): Range[] | string {
  if (inner.trim() === '') return [];
  const out: Range[] = [];
  for (const rawItem of inner.split(',')) {
    const item = rawItem.trim();
    const m = RANGE_RE.exec(item);
    if (!m) return `range '${item}' of '${name}' is malformed (expected begin-end with non-negative integers)`;
    const begin = Number(m[1]);
    const end = Number(m[2]);
    const bad = checkRange(name, begin, end);
    if (bad) return bad;
    out.push([begin, end]);
  }
  return out;
}

function parseSetItems(name: string, inner: string): string[] | string {
  if (inner.trim() === '') return [];
  const out: string[] = [];
  for (const rawItem of inner.split(',')) {
    const item = rawItem.trim();
    const bad = checkSetItem(name, item);
    if (bad) return bad;
    out.push(item);
  }
  return out;
}

/** Names in canonical order: cpus, mem, disk, gpus, then the rest by code unit. */
export function canonicalNames(r: Resources): string[] {
  const names = new Set([...Object.keys(r.scalars), ...Object.keys(r.ranges), ...Object.keys(r.sets)]);
  return [...names].sort((x, y) => {
    const ix = LEADING.indexOf(x);
    const iy = LEADING.indexOf(y);
    if (ix >= 0 || iy >= 0) return (ix < 0 ? LEADING.length : ix) - (iy < 0 ? LEADING.length : iy);
    return byCodeUnit(x, y);
  });
}

/**
 * Canonical text; `parseResources(formatResources(r))` equals `r` for normalized `r`.
 * Zero scalars and empty ranges/sets are left out, so they need not be normalized away first.
 */
export function formatResources(r: Resources): string {
  const parts: string[] = [];
  for (const name of canonicalNames(r)) {
    const scalar = Object.hasOwn(r.scalars, name) ? Math.round(r.scalars[name] * 1000) : 0;
    if (scalar !== 0) parts.push(`${name}:${scalar / 1000}`);
    const ranges = Object.hasOwn(r.ranges, name) ? r.ranges[name] : [];
    if (ranges.length > 0) parts.push(`${name}:[${ranges.map(([b, e]) => `${b}-${e}`).join(',')}]`);
    const items = Object.hasOwn(r.sets, name) ? r.sets[name] : [];
    if (items.length > 0) parts.push(`${name}:{${items.join(',')}}`);
  }
  return parts.join(';');
}

/** Attribute values are kept as text (trimmed); a name given twice is refused as ambiguous for constraints. */
export function parseAttributes(text: string): Result<Attributes, ParseError> {
  if (typeof text !== 'string') return err({ message: 'attributes must be text' });
  if (text.length > MAX_TEXT_LENGTH) {
    return err({ message: `attributes text is ${text.length} characters, more than ${MAX_TEXT_LENGTH}` });
  }
  const out: Attributes = {};
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    if (colon < 0) return err({ message: `attribute '${entry}' has no ':' (expected name:value)`, field: entry });
    const name = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim();
    const bad = checkName(name, 'attribute');
    if (bad) return err({ message: `${bad} (entry '${entry}')`, field: name || entry });
    if (value === '') return err({ message: `attribute '${name}' has no value`, field: name });
    if (Object.hasOwn(out, name)) return err({ message: `attribute '${name}' is given twice`, field: name });
    out[name] = value;
  }
  return ok(out);
}

/** Canonical text, names sorted. Precondition: values contain no ';' and no surrounding spaces (as parsed). */
export function formatAttributes(a: Attributes): string {
  return Object.keys(a)
    .sort(byCodeUnit)
    .map((name) => `${name}:${a[name]}`)
    .join(';');
}

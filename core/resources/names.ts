/**
 * Validation shared by the text and JSON resource readers.
 * Each check returns an error message naming the offending value, or undefined when valid.
 */

/** Longest resource or attribute text accepted; longer input is refused before parsing (cheap DoS guard). */
export const MAX_TEXT_LENGTH = 4096;
/** Scalars are kept in thousandths; this keeps `value * 1000` an exact integer. */
export const MAX_SCALAR = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

const NAME_RE = /^[A-Za-z0-9_.-]+$/;
const SET_ITEM_RE = /^[^\s,;{}[\]()]+$/;

export function checkName(name: string, what: 'resource' | 'attribute'): string | undefined {
  if (name === '') return `${what} name is empty`;
  if (!NAME_RE.test(name)) return `${what} name '${name}' has invalid characters (allowed: A-Z a-z 0-9 _ . -)`;
  // Names become object keys; `__proto__` or `constructor` would collide with Object.prototype.
  if (Object.prototype.hasOwnProperty.call(Object.prototype, name)) return `${what} name '${name}' is reserved`;
  return undefined;
}

export function checkSetItem(name: string, item: string): string | undefined {
  if (item === '') return `set '${name}' has an empty item`;
  if (!SET_ITEM_RE.test(item)) return `set '${name}' item '${item}' has invalid characters`;
  return undefined;
}

export function checkScalar(name: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return `resource '${name}' value ${value} is not a finite number`;
  if (value < 0) return `resource '${name}' value ${value} is negative`;
  if (value > MAX_SCALAR) return `resource '${name}' value ${value} is larger than ${MAX_SCALAR}`;
  return undefined;
}

export function checkRange(name: string, begin: number, end: number): string | undefined {
  if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || begin < 0 || end < 0) {
    return `range ${begin}-${end} of '${name}' must be non-negative integers`;
  }
  if (begin > end) return `range ${begin}-${end} of '${name}' begins after it ends`;
  return undefined;
}

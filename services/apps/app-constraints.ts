/**
 * Marathon's placement constraints for apps, including the operators that need the app's other instances
 * (UNIQUE, CLUSTER without a value, GROUP_BY, MAX_PER), which the SDK's per-offer check cannot evaluate. IS (the
 * value equals) is also accepted as EQUALS, the jobs' name for it. Pure.
 *
 * Field: `hostname` (or `@hostname`) or any agent attribute (`@zone` reads attribute `zone`). An agent without
 * the attribute is refused by every operator except UNLIKE (Marathon's rule). Regular expressions match the
 * whole value.
 */
import { err, ok, type Result } from '../../core/errors/result.ts';
import type { Attributes } from '../../core/sdk/index.ts';

export const CONSTRAINT_OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS'] as const;
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

/**
 * Other names accepted for an operator, stored as the operator: EQUALS is what jobs (and Chronos) call IS, so a
 * constraint copied from a job works on an app. Switching between the two names changes nothing (no restart).
 */
export const OPERATOR_ALIASES: Readonly<Record<string, ConstraintOperator>> = { EQUALS: 'IS' };

export interface AppConstraint {
  field: string;
  operator: ConstraintOperator;
  value?: string;
}

/** Where an instance of the app runs (or is about to): what constraints compare against. */
export interface PlacedInstance {
  hostname: string;
  attributes: Attributes;
}

export interface FieldIssue {
  field: string;
  message: string;
}

const FIELD_RE = /^@?[A-Za-z0-9_.-]{1,64}$/;
const MAX_CONSTRAINTS = 50;
const MAX_VALUE = 256;

const regexCache = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    if (regexCache.size < 1000) regexCache.set(pattern, re);
  }
  return re;
}

/** Validates `[[field, operator, value?], …]` as users send it; every issue names its position. */
export function parseAppConstraints(input: unknown, at: string): Result<AppConstraint[], FieldIssue[]> {
  if (input === undefined || input === null) return ok([]);
  if (!Array.isArray(input)) return err([{ field: at, message: 'must be a list of [field, operator, value?]' }]);
  if (input.length > MAX_CONSTRAINTS) return err([{ field: at, message: `at most ${MAX_CONSTRAINTS} constraints` }]);
  const out: AppConstraint[] = [];
  const issues: FieldIssue[] = [];
  input.forEach((c: unknown, i) => {
    const f = `${at}[${i}]`;
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every((x) => typeof x === 'string')) {
      issues.push({ field: f, message: 'must be [field, operator] or [field, operator, value] of strings' });
      return;
    }
    const [field, operator, value] = c as [string, string, string | undefined];
    if (!FIELD_RE.test(field)) issues.push({ field: `${f}[0]`, message: `'${field.slice(0, 64)}' is not hostname or an attribute name` });
    const op = Object.hasOwn(OPERATOR_ALIASES, operator) ? OPERATOR_ALIASES[operator] : (operator as ConstraintOperator);
    if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(op)) {
      const aliases = Object.entries(OPERATOR_ALIASES).map(([alias, to]) => `${alias} (= ${to})`);
      issues.push({ field: `${f}[1]`, message: `unknown operator '${operator.slice(0, 32)}'; one of ${[...CONSTRAINT_OPERATORS, ...aliases].join(', ')}` });
      return;
    }
    const problem = valueProblem(op, value);
    if (problem) {
      issues.push({ field: `${f}[2]`, message: problem });
      return;
    }
    out.push(value === undefined || value === '' ? { field, operator: op } : { field, operator: op, value });
  });
  return issues.length ? err(issues) : ok(out);
}

function valueProblem(op: ConstraintOperator, value: string | undefined): string | undefined {
  if (value !== undefined && value.length > MAX_VALUE) return `value is longer than ${MAX_VALUE} characters`;
  const empty = value === undefined || value === '';
  switch (op) {
    case 'UNIQUE':
      return empty ? undefined : 'UNIQUE takes no value';
    case 'CLUSTER':
      return undefined;
    case 'GROUP_BY':
      return empty || /^[1-9][0-9]{0,3}$/.test(value!) ? undefined : 'GROUP_BY takes an optional positive integer (expected number of values)';
    case 'MAX_PER':
      return !empty && /^[1-9][0-9]{0,5}$/.test(value!) ? undefined : 'MAX_PER needs a positive integer';
    case 'IS':
      return empty ? 'IS (EQUALS) needs a value' : undefined;
    case 'LIKE':
    case 'UNLIKE':
      if (empty) return `${op} needs a regular expression`;
      try {
        fullMatch(value!);
        return undefined;
      } catch {
        return `'${value!.slice(0, 64)}' is not a valid regular expression`;
      }
  }
}

/** The JSON form: `[field, operator]` or `[field, operator, value]`. */
export function constraintToJson(c: AppConstraint): string[] {
  return c.value === undefined ? [c.field, c.operator] : [c.field, c.operator, c.value];
}

function valueOf(p: PlacedInstance, field: string): string | undefined {
  const name = field.startsWith('@') ? field.slice(1) : field;
  return name === 'hostname' ? p.hostname : Object.hasOwn(p.attributes, name) ? p.attributes[name] : undefined;
}

function describe(c: AppConstraint): string {
  return JSON.stringify(constraintToJson(c));
}

/**
 * Why an agent may not take one more instance of the app, given where its other instances are; undefined when
 * every constraint holds. `placed` are the app's live instances, including ones placed earlier in this round.
 */
export function unmetAppConstraint(agent: PlacedInstance, constraints: readonly AppConstraint[], placed: readonly PlacedInstance[]): string | undefined {
  for (const c of constraints) {
    const mine = valueOf(agent, c.field);
    if (mine === undefined) {
      if (c.operator === 'UNLIKE') continue;
      return `constraint ${describe(c)} not met: agent ${agent.hostname} has no attribute '${c.field}'`;
    }
    const reason = check(c, mine, placed);
    if (reason) return `constraint ${describe(c)} not met: ${reason}`;
  }
  return undefined;
}

function countsByValue(field: string, placed: readonly PlacedInstance[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of placed) {
    const v = valueOf(p, field);
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

function check(c: AppConstraint, mine: string, placed: readonly PlacedInstance[]): string | undefined {
  switch (c.operator) {
    case 'UNIQUE':
      return placed.some((p) => valueOf(p, c.field) === mine) ? `an instance already runs where ${c.field} is '${mine}'` : undefined;
    case 'IS':
      return mine === c.value ? undefined : `${c.field} is '${mine}', not '${c.value}'`;
    case 'CLUSTER': {
      const pinned = c.value ?? placed.map((p) => valueOf(p, c.field)).find((v) => v !== undefined);
      return pinned === undefined || pinned === mine ? undefined : `${c.field} is '${mine}', instances run where it is '${pinned}'`;
    }
    case 'LIKE':
      return fullMatch(c.value!).test(mine) ? undefined : `${c.field} '${mine}' does not match ${c.value}`;
    case 'UNLIKE':
      return fullMatch(c.value!).test(mine) ? `${c.field} '${mine}' matches ${c.value}` : undefined;
    case 'MAX_PER': {
      const max = Number(c.value);
      const n = countsByValue(c.field, placed).get(mine) ?? 0;
      return n < max ? undefined : `${n} instances already run where ${c.field} is '${mine}' (max ${max})`;
    }
    case 'GROUP_BY': {
      const counts = countsByValue(c.field, placed);
      const expected = c.value === undefined ? 0 : Number(c.value);
      const mineCount = counts.get(mine) ?? 0;
      // Values not yet used count as 0 while fewer than the expected number of values are in use.
      const floor = counts.size < expected || !counts.has(mine) ? 0 : Math.min(...counts.values());
      return mineCount <= floor ? undefined : `${mineCount} instances already where ${c.field} is '${mine}', other values have fewer`;
    }
  }
}

/**
 * Placement constraints that a framework checks against an offer (two-level scheduling: the master offers,
 * the framework chooses). Pure. Marathon's syntax: `[field, operator, value?]` where field is `hostname` or an
 * agent attribute. This module covers the per-offer operators; operators that need the framework's other
 * tasks (UNIQUE, GROUP_BY, MAX_PER) are evaluated by the services with their own state.
 */
import { err, ok, type Result } from '../errors/result.ts';
import type { Offer } from './protocol.ts';

export const PER_OFFER_OPERATORS = ['EQUALS', 'CLUSTER', 'LIKE', 'UNLIKE'] as const;
export type PerOfferOperator = (typeof PER_OFFER_OPERATORS)[number];
export type Constraint = [field: string, operator: PerOfferOperator, value: string];

/** Validates constraints as sent by users; LIKE/UNLIKE values must be valid regular expressions. */
export function parseConstraints(input: unknown, field = 'constraints'): Result<Constraint[], { field: string; message: string }> {
  if (input === undefined) return ok([]);
  if (!Array.isArray(input) || input.length > 50) return err({ field, message: `${field} must be a list of at most 50 [field, operator, value] triples` });
  const out: Constraint[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    const f = `${field}[${i}]`;
    if (!Array.isArray(c) || c.length !== 3 || !c.every((x) => typeof x === 'string')) return err({ field: f, message: `${f} must be [field, operator, value]` });
    const [name, op, value] = c as [string, string, string];
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return err({ field: f, message: `${f}: '${name.slice(0, 64)}' is not hostname or an attribute name` });
    if (!(PER_OFFER_OPERATORS as readonly string[]).includes(op)) return err({ field: f, message: `${f}: operator must be one of ${PER_OFFER_OPERATORS.join(', ')}` });
    if (value.length > 256) return err({ field: f, message: `${f}: value is longer than 256 characters` });
    if (op === 'LIKE' || op === 'UNLIKE') {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        return err({ field: f, message: `${f}: '${value}' is not a valid regular expression` });
      }
    }
    out.push([name, op as PerOfferOperator, value]);
  }
  return ok(out);
}

function valueOf(offer: Offer, field: string): string | undefined {
  return field === 'hostname' ? offer.hostname : offer.attributes[field];
}

/** The first constraint the offer's agent does not meet, or undefined when all hold. */
export function unmetConstraint(offer: Offer, constraints: readonly Constraint[]): Constraint | undefined {
  for (const c of constraints) {
    const [field, op, value] = c;
    const actual = valueOf(offer, field);
    switch (op) {
      case 'EQUALS':
      case 'CLUSTER':
        if (actual !== value) return c;
        break;
      case 'LIKE':
        if (actual === undefined || !new RegExp(`^(?:${value})$`).test(actual)) return c;
        break;
      case 'UNLIKE':
        if (actual !== undefined && new RegExp(`^(?:${value})$`).test(actual)) return c;
        break;
    }
  }
  return undefined;
}

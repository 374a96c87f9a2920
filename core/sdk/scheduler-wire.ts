/**
 * Shared pieces of the scheduler API's wire dialect (Mesos v1 JSON): `{value}` ids, base64 uuids, the call and
 * event type lists. See scheduler-json.ts (calls) and scheduler-events-json.ts (events).
 */
import { err, ok, type Result } from '../errors/result.ts';
import type { CallError } from './protocol.ts';

export type Json = Record<string, unknown>;
export type Decoded<T> = Result<T, CallError>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const bad = (field: string, message: string): { ok: false; error: CallError } => err({ code: 'INVALID_FIELD', field, message });

export const SCHEDULER_CALL_TYPES = ['SUBSCRIBE', 'ACCEPT', 'DECLINE', 'KILL', 'ACKNOWLEDGE', 'RECONCILE', 'REVIVE', 'SUPPRESS', 'TEARDOWN'] as const;
export const SCHEDULER_EVENT_TYPES = ['SUBSCRIBED', 'OFFERS', 'RESCIND', 'UPDATE', 'HEARTBEAT', 'ERROR', 'FAILURE'] as const;

// ── small shapes ─────────────────────────────────────────────────────────────────────────────────────────────

export const idOf = (value: string): { value: string } => ({ value });

export function readId(v: unknown, field: string): Decoded<string> {
  if (!isRecord(v) || typeof v.value !== 'string') return bad(field, `${field} must be an object {"value": "<id>"}`);
  return ok(v.value);
}

/** A canonical uuid travels as base64 of its 16 bytes (Mesos); any other text as base64 of its UTF-8. */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function uuidToWire(uuid: string): string {
  if (UUID_TEXT.test(uuid)) return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64');
  return Buffer.from(uuid, 'utf8').toString('base64');
}

export function uuidFromWire(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 16) return bytes.toString('utf8');
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}


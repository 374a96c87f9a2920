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

/**
 * A canonical uuid travels as base64 of its 16 bytes (Mesos); any other text as base64 of its UTF-8.
 *
 * Every status update crosses these twice at each end (the UPDATE's uuid, then its ACKNOWLEDGE's), so they
 * convert through one scratch buffer and allocate only the resulting string (the Buffer/replace/slice version
 * made five short-lived objects per uuid, a visible part of the HTTP path's garbage).
 */
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Value of a lower-case hex digit's char code, -1 for anything else (upper case is not canonical: kept as text). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
const HEX_CODE = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Big enough for any base64 text of up to 43 characters (at most 32 bytes): see `uuidFromWire`. */
const scratch = Buffer.alloc(32);
const uuidCodes: number[] = new Array<number>(36).fill(45);

export function uuidToWire(uuid: string): string {
  if (!UUID_TEXT.test(uuid)) return Buffer.from(uuid, 'utf8').toString('base64');
  let byte = 0;
  for (let i = 0; i < 36; i += 2) {
    if (i === 8 || i === 13 || i === 18 || i === 23) i++;
    scratch[byte++] = (HEX_VALUE[uuid.charCodeAt(i)] << 4) | HEX_VALUE[uuid.charCodeAt(i + 1)];
  }
  return scratch.toString('base64', 0, 16);
}

export function uuidFromWire(b64: string): string {
  // Decoding into the scratch buffer gives exactly the bytes Buffer.from(b64, 'base64') would, as long as the
  // buffer holds the most base64 text of that length can decode to: ⌊43 × 3 / 4⌋ = 32 bytes.
  if (b64.length > 43) {
    const bytes = Buffer.from(b64, 'base64');
    return bytes.length === 16 ? hexUuid(bytes) : bytes.toString('utf8');
  }
  const n = scratch.write(b64, 0, 'base64');
  return n === 16 ? hexUuid(scratch) : scratch.toString('utf8', 0, n);
}

/** The first 16 bytes as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, built as one flat string. */
function hexUuid(bytes: Uint8Array): string {
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) at++; // the dash already in uuidCodes
    const b = bytes[i];
    uuidCodes[at++] = HEX_CODE[b >> 4];
    uuidCodes[at++] = HEX_CODE[b & 15];
  }
  return String.fromCharCode.apply(null, uuidCodes);
}

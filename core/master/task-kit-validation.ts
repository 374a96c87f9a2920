/**
 * Validation of the agent kit's parts of a TaskInfo: the URIs to fetch (`command.uris`) and the health check.
 * Same rules as validation.ts: each failure names its field; the caller applies nothing.
 */
import { err, ok, type Result } from '../errors/result.ts';
import type { CallError, HealthCheck, UriInfo } from '../sdk/protocol.ts';

export const KIT_LIMITS = { uris: 100, uri: 4096, outputFile: 1024, healthCommand: 64 * 1024, healthPath: 2048, maxDurationMs: 24 * 3600_000, maxFailures: 1000 } as const;

type Check<T> = Result<T, CallError>;
const invalid = (field: string, message: string): { ok: false; error: CallError } => err({ code: 'INVALID_FIELD', field, message });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const URI = /^(https?|file):\/\/\S+$|^\/\S*$/;

export function validateUris(v: unknown, field: string): Check<UriInfo[] | undefined> {
  if (v === undefined) return ok(undefined);
  if (!Array.isArray(v) || v.length > KIT_LIMITS.uris) return invalid(field, `${field} must be a list of at most ${KIT_LIMITS.uris} URIs`);
  const out: UriInfo[] = [];
  for (let i = 0; i < v.length; i++) {
    const u = v[i];
    const at = `${field}[${i}]`;
    if (!isRecord(u)) return invalid(at, `${at} must be an object with a value`);
    if (typeof u.value !== 'string' || u.value.length > KIT_LIMITS.uri || !URI.test(u.value)) return invalid(`${at}.value`, `${at}.value must be an http(s):// or file:// URI or an absolute path`);
    const uri: UriInfo = { value: u.value };
    for (const flag of ['extract', 'executable', 'cache'] as const) {
      if (u[flag] === undefined) continue;
      if (typeof u[flag] !== 'boolean') return invalid(`${at}.${flag}`, `${flag} must be a boolean`);
      uri[flag] = u[flag] as boolean;
    }
    if (u.outputFile !== undefined) {
      const f = u.outputFile;
      if (typeof f !== 'string' || f === '' || f.length > KIT_LIMITS.outputFile || f.startsWith('/') || f.split('/').includes('..') || f.includes('\0')) {
        return invalid(`${at}.outputFile`, 'outputFile must be a relative path inside the sandbox');
      }
      uri.outputFile = f;
    }
    out.push(uri);
  }
  return ok(out);
}

export function validateHealthCheck(v: unknown, field: string): Check<HealthCheck | undefined> {
  if (v === undefined) return ok(undefined);
  if (!isRecord(v)) return invalid(field, `${field} must be an object`);
  const type = v.type;
  if (type !== 'HTTP' && type !== 'TCP' && type !== 'COMMAND') return invalid(`${field}.type`, 'type must be HTTP, TCP or COMMAND');
  const check: HealthCheck = { type };
  if (type === 'COMMAND') {
    if (typeof v.command !== 'string' || v.command.trim() === '' || v.command.length > KIT_LIMITS.healthCommand) return invalid(`${field}.command`, 'a COMMAND check needs a command');
    check.command = v.command;
  } else {
    const idx = v.portIndex ?? 0;
    if (!Number.isInteger(idx) || (idx as number) < 0 || (idx as number) > 1000) return invalid(`${field}.portIndex`, 'portIndex must be an integer from 0');
    check.portIndex = idx as number;
  }
  if (v.path !== undefined) {
    if (typeof v.path !== 'string' || !v.path.startsWith('/') || v.path.length > KIT_LIMITS.healthPath) return invalid(`${field}.path`, 'path must start with /');
    check.path = v.path;
  }
  for (const k of ['delayMs', 'gracePeriodMs', 'intervalMs', 'timeoutMs'] as const) {
    const d = v[k];
    if (d === undefined) continue;
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > KIT_LIMITS.maxDurationMs) return invalid(`${field}.${k}`, `${k} must be an integer from 0 to ${KIT_LIMITS.maxDurationMs}`);
    check[k] = d as number;
  }
  if (v.consecutiveFailures !== undefined) {
    const n = v.consecutiveFailures;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > KIT_LIMITS.maxFailures) return invalid(`${field}.consecutiveFailures`, `consecutiveFailures must be an integer from 0 to ${KIT_LIMITS.maxFailures}`);
    check.consecutiveFailures = n as number;
  }
  if (v.killOnFailure !== undefined) {
    if (typeof v.killOnFailure !== 'boolean') return invalid(`${field}.killOnFailure`, 'killOnFailure must be a boolean');
    check.killOnFailure = v.killOnFailure;
  }
  return ok(check);
}

/**
 * Framework authentication for `POST /api/v1/scheduler`: principal + secret, sent as HTTP Basic
 * (`Authorization: Basic base64(principal:secret)`, what Mesos' `--authenticate_http_frameworks` uses).
 *
 * Credentials use Mesos' `--credentials` JSON format:
 *
 *   {"credentials": [{"principal": "analytics", "secret": "s3cret"}, …]}
 *
 * read from the environment variable `ORRERY_FRAMEWORK_CREDENTIALS` or from a file (`--framework-credentials-file`),
 * never from the command line where `ps` shows it. No credentials configured: frameworks subscribe without any.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from '../../../core/errors/result.ts';

export const FRAMEWORK_CREDENTIALS_ENV = 'ORRERY_FRAMEWORK_CREDENTIALS';

export interface FrameworkCredential {
  principal: string;
  secret: string;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export type AuthOutcome = { ok: true; principal: string } | { ok: false; principal?: string; reason: string };

/** Checks `Authorization` headers against the configured credentials, in constant time per principal. */
export class FrameworkAuthenticator {
  private readonly secrets = new Map<string, Buffer>();

  constructor(credentials: readonly FrameworkCredential[]) {
    for (const c of credentials) this.secrets.set(c.principal, digest(c.secret));
  }

  get principals(): number {
    return this.secrets.size;
  }

  check(authorization: string | undefined): AuthOutcome {
    if (!authorization) return { ok: false, reason: 'no Authorization header' };
    const m = /^Basic\s+([A-Za-z0-9+/=]{1,2048})$/i.exec(authorization.trim());
    if (!m) return { ok: false, reason: 'Authorization is not Basic' };
    const text = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon <= 0) return { ok: false, reason: 'Basic credentials are not principal:secret' };
    const principal = text.slice(0, colon);
    const expected = this.secrets.get(principal);
    // Compare against something even for an unknown principal, so timing does not tell principals apart.
    const matches = timingSafeEqual(digest(text.slice(colon + 1)), expected ?? digest('\u0000unknown'));
    if (!expected) return { ok: false, principal: principal.slice(0, 200), reason: 'unknown principal' };
    if (!matches) return { ok: false, principal, reason: 'wrong secret' };
    return { ok: true, principal };
  }
}

/** Parses the credentials JSON; the error never echoes a secret. */
export function parseFrameworkCredentials(text: string, source: string): Result<FrameworkCredential[], string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return err(`${source}: not valid JSON; expected {"credentials": [{"principal": "…", "secret": "…"}]}`);
  }
  const list = typeof doc === 'object' && doc !== null ? (doc as { credentials?: unknown }).credentials : undefined;
  if (!Array.isArray(list) || list.length === 0) return err(`${source}: expected {"credentials": [{"principal": "…", "secret": "…"}]} with at least one entry`);
  const out: FrameworkCredential[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as { principal?: unknown; secret?: unknown } | null;
    if (typeof c?.principal !== 'string' || !/^[^:\s]{1,200}$/.test(c.principal)) return err(`${source}: credentials[${i}].principal must be 1-200 characters without ':' or spaces`);
    if (typeof c.secret !== 'string' || c.secret.length < 8) return err(`${source}: credentials[${i}].secret must be a string of at least 8 characters`);
    out.push({ principal: c.principal, secret: c.secret });
  }
  return ok(out);
}

/**
 * The configured credentials: the file when one is named, else the environment variable, else none (open
 * subscription, for loopback use). Both at once is a configuration error: one source of truth.
 */
export function loadFrameworkCredentials(opts: { file?: string; env?: string }): Result<FrameworkCredential[] | undefined, string> {
  if (opts.file !== undefined && opts.env !== undefined) return err(`set either --framework-credentials-file or ${FRAMEWORK_CREDENTIALS_ENV}, not both`);
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.file, 'utf8');
    } catch (e) {
      return err(`cannot read framework credentials file ${opts.file}: ${(e as Error).message}`);
    }
    return parseFrameworkCredentials(text, opts.file);
  }
  if (opts.env !== undefined && opts.env.trim() !== '') return parseFrameworkCredentials(opts.env, FRAMEWORK_CREDENTIALS_ENV);
  return ok(undefined);
}

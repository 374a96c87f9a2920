/**
 * API tokens: parsing the two documented formats and looking a presented bearer token up.
 *
 *   ORRERY_TOKENS / tokens file (lines)   name:role:token[,name:role:token…]   (# comments and blank lines in files)
 *   tokens file ending .json/.yaml/.yml   [{ name, role, token }, …]  or  { tokens: [ … ] }
 *
 * Tokens are RFC 6750 `b64token`s (letters, digits, `-._~+/`, trailing `=`) of at least MIN_TOKEN_LENGTH
 * characters, so `:` and `,` can separate fields and entries. Only SHA-256 digests of the tokens are kept: a lookup
 * compares digests in a hash map, so the time it takes says nothing about how much of a guess was right.
 * Error messages name the entry (source, line or position, name) and never contain a token.
 */
import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { err, ok, type Result } from '../../../core/errors/result.ts';
import { isRole, ROLES, type Identity } from './roles.ts';

export const MIN_TOKEN_LENGTH = 16;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface TokenEntry extends Identity {
  readonly token: string;
}

function digest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function checkEntry(name: unknown, role: unknown, token: unknown, where: string): Result<TokenEntry> {
  if (typeof name !== 'string' || !NAME.test(name)) {
    return err(`${where}: the name must be 1-64 letters, digits or . _ @ - (starting with a letter or digit)`);
  }
  if (!isRole(role)) return err(`${where} (${name}): the role must be one of ${ROLES.join(', ')}`);
  if (typeof token !== 'string' || !B64TOKEN.test(token)) {
    return err(`${where} (${name}): the token must be letters, digits and - . _ ~ + / (optionally ending in =)`);
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    return err(`${where} (${name}): the token is shorter than ${MIN_TOKEN_LENGTH} characters (make one with: openssl rand -hex 32)`);
  }
  return ok({ name, role, token });
}

/** `name:role:token` entries separated by commas or newlines; `#` starts a comment in a line. */
export function parseTokenList(text: string, source: string): Result<TokenEntry[]> {
  const entries: TokenEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*$/, '');
    const items = line.split(',').map((s) => s.trim()).filter(Boolean);
    for (let j = 0; j < items.length; j++) {
      const where = lines.length > 1 ? `${source} line ${i + 1}` : `${source} entry ${j + 1}`;
      const parts = items[j].split(':');
      if (parts.length !== 3) return err(`${where}: expected name:role:token`);
      const entry = checkEntry(parts[0], parts[1], parts[2], where);
      if (!entry.ok) return entry;
      entries.push(entry.value);
    }
  }
  return ok(entries);
}

/** A JSON or YAML document: a list of `{ name, role, token }`, or an object with such a list under `tokens`. */
export function parseTokenDocument(text: string, source: string): Result<TokenEntry[]> {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    // The parser's message quotes the offending text, which may be a token: give only the position.
    const pos = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return err(`${source}: not valid JSON or YAML${pos ? ` (line ${pos})` : ''}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { tokens?: unknown } | null)?.tokens;
  if (!Array.isArray(list)) return err(`${source}: expected a list of { name, role, token } (or one under "tokens")`);
  const entries: TokenEntry[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = (list[i] ?? {}) as Record<string, unknown>;
    const entry = checkEntry(item.name, item.role, item.token, `${source} entry ${i + 1}`);
    if (!entry.ok) return entry;
    entries.push(entry.value);
  }
  return ok(entries);
}

/** The configured tokens, by digest. Immutable once built. */
export class TokenTable {
  private constructor(private readonly byDigest: ReadonlyMap<string, Identity>) {}

  /** Refuses an empty list, a name used twice and a token used twice. */
  static from(entries: readonly TokenEntry[]): Result<TokenTable> {
    if (entries.length === 0) return err('no tokens are configured');
    const byDigest = new Map<string, Identity>();
    const names = new Set<string>();
    for (const e of entries) {
      if (names.has(e.name)) return err(`the token name ${e.name} is used twice`);
      const d = digest(e.token);
      if (byDigest.has(d)) return err(`${e.name} uses the same token as ${byDigest.get(d)!.name}`);
      names.add(e.name);
      byDigest.set(d, Object.freeze({ name: e.name, role: e.role }));
    }
    return ok(new TokenTable(byDigest));
  }

  get size(): number {
    return this.byDigest.size;
  }

  /** Who holds `token`, if anyone. */
  identify(token: string): Identity | undefined {
    return this.byDigest.get(digest(token));
  }

  /** The names and roles, for the startup log (never the tokens). */
  identities(): Identity[] {
    return [...this.byDigest.values()];
  }
}

/** The token of an `Authorization: Bearer <token>` header; undefined for a missing header or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  return m?.[1];
}

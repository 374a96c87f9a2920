/**
 * Reads what secures the API at startup: the tokens (from the ORRERY_TOKENS text and/or a tokens file) and the TLS
 * certificate and key. Never from command-line values, which `ps` shows to every user of the machine. Failures are
 * results naming the option, for the caller to turn into its own configuration error. The bind rules say which
 * addresses an API may listen on with what configured: tokens (checkBind) and framework credentials
 * (checkFrameworkBind).
 *
 *   { tokens?: text, tokensFile?: path } ─► parseTokenList / parseTokenDocument ─► TokenTable (or none: open API)
 *   { certFile, keyFile }                ─► { cert, key } buffers for fastify's https server
 */
import { readFile, stat } from 'node:fs/promises';
import { err, ok, type Result } from '../../../core/errors/result.ts';
import { parseTokenDocument, parseTokenList, TokenTable, type TokenEntry } from './tokens.ts';

export interface ApiAuthOptions {
  /** The ORRERY_TOKENS text: `name:role:token,…`. */
  tokens?: string;
  /** A tokens file: `name:role:token` lines, or JSON/YAML (by its extension). */
  tokensFile?: string;
}

export interface TlsOptions {
  certFile: string;
  keyFile: string;
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** A configuration problem: `key` is the option to fix, `message` says how. */
export interface AuthConfigError {
  key: string;
  message: string;
}

export interface LoadedAuth {
  /** Undefined when no tokens are configured: the API is open (allowed on loopback only). */
  tokens: TokenTable | undefined;
  /** Things to tell the operator at startup, e.g. a tokens file others can read. */
  warnings: string[];
}

function describe(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}

async function readTokensFile(file: string, warnings: string[]): Promise<Result<TokenEntry[], AuthConfigError>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
    // Group/other read bits on a file of secrets: say so (the file still works; refusing would break read-only
    // mounts such as Kubernetes secrets, whose mode the operator may not control).
    if (((await stat(file)).mode & 0o077) !== 0) warnings.push(`${file} can be read by other users; chmod 600 it`);
  } catch (e) {
    return err({ key: 'tokens-file', message: `--tokens-file ${file}: ${describe(e)}` });
  }
  const parsed = /\.(json|ya?ml)$/i.test(file) ? parseTokenDocument(text, file) : parseTokenList(text, file);
  return parsed.ok ? parsed : err({ key: 'tokens-file', message: `--tokens-file ${parsed.error}` });
}

/** The configured tokens, from both sources together (a name or token used in both is refused). */
export async function loadApiAuth(opts: ApiAuthOptions): Promise<Result<LoadedAuth, AuthConfigError>> {
  const warnings: string[] = [];
  const entries: TokenEntry[] = [];
  if (opts.tokens !== undefined && opts.tokens.trim() !== '') {
    const parsed = parseTokenList(opts.tokens, 'ORRERY_TOKENS');
    if (!parsed.ok) return err({ key: 'tokens', message: parsed.error });
    entries.push(...parsed.value);
  }
  if (opts.tokensFile !== undefined) {
    const parsed = await readTokensFile(opts.tokensFile, warnings);
    if (!parsed.ok) return parsed;
    if (parsed.value.length === 0) return err({ key: 'tokens-file', message: `--tokens-file ${opts.tokensFile}: the file has no tokens` });
    entries.push(...parsed.value);
  }
  if (entries.length === 0) return ok({ tokens: undefined, warnings });
  const table = TokenTable.from(entries);
  if (!table.ok) return err({ key: opts.tokensFile ? 'tokens-file' : 'tokens', message: table.error });
  return ok({ tokens: table.value, warnings });
}

/** The certificate chain and private key (PEM) for `--tls-cert` / `--tls-key`. */
export async function loadTls(opts: TlsOptions): Promise<Result<TlsMaterial, AuthConfigError>> {
  const files = [['tls-cert', opts.certFile], ['tls-key', opts.keyFile]] as const;
  const read: Buffer[] = [];
  for (const [key, file] of files) {
    try {
      read.push(await readFile(file));
    } catch (e) {
      return err({ key, message: `--${key} ${file}: ${describe(e)}` });
    }
  }
  const [cert, key] = read;
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) return err({ key: 'tls-cert', message: `--tls-cert ${opts.certFile}: not a PEM certificate` });
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key.toString('latin1'))) return err({ key: 'tls-key', message: `--tls-key ${opts.keyFile}: not a PEM private key` });
  return ok({ cert, key });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export const HOW_TO_CONFIGURE_TOKENS =
  'set ORRERY_TOKENS=name:role:token[,…] (roles: admin, operator, viewer; tokens of 16+ characters, e.g. from `openssl rand -hex 32`) ' +
  'or pass --tokens-file FILE with name:role:token lines (README, "Security")';

/**
 * The bind rule: an open API (no tokens) only on loopback. Returns what to tell the operator when refused;
 * `warning` when allowed but tokens would cross the network in clear text.
 */
export function checkBind(host: string, authOn: boolean, tlsOn: boolean): Result<{ warning?: string }, AuthConfigError> {
  if (isLoopback(host)) return ok({});
  if (!authOn) {
    return err({ key: 'host', message: `refusing to listen on ${host}: authentication is not configured, so only loopback addresses (127.0.0.1, ::1) are allowed; to listen on ${host}, ${HOW_TO_CONFIGURE_TOKENS}` });
  }
  return ok(tlsOn ? {} : { warning: `listening on ${host} without TLS: bearer tokens cross the network in clear text (use --tls-cert and --tls-key, or a TLS proxy)` });
}

export const HOW_TO_CONFIGURE_FRAMEWORK_CREDENTIALS =
  'set ORRERY_FRAMEWORK_CREDENTIALS=\'{"credentials":[{"principal":"…","secret":"…"}]}\' or pass --framework-credentials-file FILE (README, "Framework API")';

/**
 * The framework bind rule: the framework API (`/api/v1/scheduler`) open to anyone, without framework credentials,
 * only on loopback — API tokens do not cover it, frameworks authenticate with a principal and secret.
 */
export function checkFrameworkBind(host: string, frameworkAuthOn: boolean): Result<void, AuthConfigError> {
  if (frameworkAuthOn || isLoopback(host)) return ok(undefined);
  return err({
    key: 'framework-credentials-file',
    message: `refusing to listen on ${host}: framework credentials are not configured, so anyone reaching it could subscribe a framework on /api/v1/scheduler; ${HOW_TO_CONFIGURE_FRAMEWORK_CREDENTIALS}`,
  });
}

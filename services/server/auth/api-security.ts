/**
 * Everything a server process needs to secure its API, checked together at startup: tokens, TLS, and the bind rules
 * (an open API, or an open framework API, only on loopback). Used by `orrery up` and `orrery master`
 * (startOrrery); any other process that serves the API does the same.
 *
 *   { tokens, tokensFile, tlsCert, tlsKey } + host + frameworkAuth
 *     ─► loadApiAuth ─► loadTls ─► checkBind ─► checkFrameworkBind ─► { tokens?, tls? }
 */
import { err, ok, type Result } from '../../../core/errors/result.ts';
import type { Logger } from '../../../core/logging/logger.ts';
import { checkBind, checkFrameworkBind, loadApiAuth, loadTls, type AuthConfigError, type TlsMaterial } from './auth-config.ts';
import type { TokenTable } from './tokens.ts';

export interface ApiSecurityOptions {
  /** ORRERY_TOKENS: `name:role:token,…`. */
  tokens?: string;
  /** --tokens-file. */
  tokensFile?: string;
  /** --tls-cert and --tls-key: PEM files; both or neither. */
  tlsCert?: string;
  tlsKey?: string;
}

export interface ApiSecurity {
  tokens: TokenTable | undefined;
  tls: TlsMaterial | undefined;
  /** `https` with TLS, else `http`. */
  scheme: 'http' | 'https';
}

/** `frameworkAuth`: whether framework credentials are configured (the caller loads them: routes/scheduler-credentials.ts). */
export async function loadApiSecurity(host: string, opts: ApiSecurityOptions, frameworkAuth: boolean, logger: Logger): Promise<Result<ApiSecurity, AuthConfigError>> {
  const auth = await loadApiAuth({ tokens: opts.tokens, tokensFile: opts.tokensFile });
  if (!auth.ok) return auth;
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
    const missing = opts.tlsCert === undefined ? 'tls-cert' : 'tls-key';
    return err({ key: missing, message: `--tls-cert and --tls-key go together: --${missing} is missing` });
  }
  let tls: TlsMaterial | undefined;
  if (opts.tlsCert !== undefined && opts.tlsKey !== undefined) {
    const loaded = await loadTls({ certFile: opts.tlsCert, keyFile: opts.tlsKey });
    if (!loaded.ok) return loaded;
    tls = loaded.value;
  }
  const tokens = auth.value.tokens;
  const bind = checkBind(host, tokens !== undefined, tls !== undefined);
  if (!bind.ok) return bind;
  const frameworkBind = checkFrameworkBind(host, frameworkAuth);
  if (!frameworkBind.ok) return frameworkBind;

  const log = logger.child({ component: 'auth' });
  for (const warning of auth.value.warnings) log.warn({ warning }, 'api security warning');
  if (bind.value.warning) log.warn({ host, warning: bind.value.warning }, 'api security warning');
  if (tokens) {
    const roles: Record<string, string[]> = {};
    for (const id of tokens.identities()) (roles[id.role] ??= []).push(id.name);
    log.info({ tokens: tokens.size, roles, tls: tls !== undefined }, 'api tokens required');
  } else {
    log.info({ host, tls: tls !== undefined }, 'api open without tokens (loopback only)');
  }
  return ok({ tokens, tls, scheme: tls ? 'https' : 'http' });
}

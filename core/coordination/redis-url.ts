/**
 * The Redis URL forms Orrery accepts (`redisUrl` / `REDIS_URL`), parsed into one description that
 * `redis-client.ts` turns into ioredis connections. Pure: no I/O (a TLS CA file is only named here).
 *
 *   redis://[user:pass@]host[:port][/db]                                one server
 *   rediss://[user:pass@]host[:port][/db]                               one server over TLS
 *   redis+sentinel://[user:pass@]h1:p1,h2:p2,…/<masterName>[/db]         Sentinel (ioredis `sentinels` + `name`)
 *   redis+cluster://[user:pass@]h1:p1,h2:p2,…                           Redis Cluster (ioredis `Cluster`)
 *
 * `rediss+sentinel://` and `rediss+cluster://` are the TLS variants (TLS to the data nodes; for Sentinel
 * also to the sentinels). Query options: `sentinelPassword`, `sentinelUsername` (Sentinel only). The port
 * defaults to 6379 (26379 for a sentinel). Credentials are percent-decoded.
 */
import { err, ok, type Result } from '../errors/result.ts';

export interface RedisNode {
  host: string;
  port: number;
}

interface Common {
  username?: string;
  password?: string;
  tls: boolean;
}

export type RedisTarget =
  | (Common & { kind: 'standalone'; node: RedisNode; db: number })
  | (Common & { kind: 'sentinel'; sentinels: RedisNode[]; masterName: string; db: number; sentinelUsername?: string; sentinelPassword?: string })
  | (Common & { kind: 'cluster'; nodes: RedisNode[] });

const SCHEMES: Record<string, { kind: RedisTarget['kind']; tls: boolean }> = {
  'redis:': { kind: 'standalone', tls: false },
  'rediss:': { kind: 'standalone', tls: true },
  'redis+sentinel:': { kind: 'sentinel', tls: false },
  'rediss+sentinel:': { kind: 'sentinel', tls: true },
  'redis+cluster:': { kind: 'cluster', tls: false },
  'rediss+cluster:': { kind: 'cluster', tls: true },
};

const FORMS =
  'expected redis://[user:pass@]host:port[/db], rediss://… (TLS), redis+sentinel://[user:pass@]host1:port1,host2:port2/<masterName>[/db] or redis+cluster://host1:port1,host2:port2';

/** Parses a Redis URL; the error text is for a message that names the setting (it never contains the password). */
export function parseRedisUrl(url: string): Result<RedisTarget> {
  // The user info runs to the last '@' before the hosts, so an unencoded '/' or '@' in a password stays in it.
  const m = /^([a-z+]+:)\/\/(?:(.*)@)?([^/?#@]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(url.trim());
  if (!m) return err(`'${redactUrl(url)}' is not a Redis URL: ${FORMS}`);
  const [, rawScheme, userinfo, hostsPart, pathPart = '', query = ''] = m;
  const scheme = SCHEMES[rawScheme.toLowerCase()];
  if (!scheme) return err(`unsupported scheme '${rawScheme}' in '${redactUrl(url)}': ${FORMS}`);
  const creds = parseUserinfo(userinfo);
  if (!creds.ok) return creds;
  const defaultPort = scheme.kind === 'sentinel' ? 26379 : 6379;
  const nodes: RedisNode[] = [];
  for (const part of hostsPart.split(',')) {
    const node = parseHostPort(part, defaultPort);
    if (!node.ok) return err(`${node.error} in '${redactUrl(url)}': ${FORMS}`);
    nodes.push(node.value);
  }
  if (scheme.kind === 'standalone' && nodes.length !== 1) return err(`'${redactUrl(url)}' names ${nodes.length} hosts; use redis+sentinel:// or redis+cluster:// for several`);
  const params = new URLSearchParams(query);
  const segments = pathPart.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
  const common: Common = { tls: scheme.tls, ...creds.value };

  if (scheme.kind === 'cluster') {
    if (segments.length > 0) return err(`'${redactUrl(url)}': Redis Cluster has no databases, drop the path '${pathPart}'`);
    return ok({ kind: 'cluster', nodes, ...common });
  }
  if (scheme.kind === 'standalone') {
    if (segments.length > 1) return err(`'${redactUrl(url)}': the path must be a database number, got '${pathPart}'`);
    const db = parseDb(segments[0]);
    if (db === null) return err(`'${redactUrl(url)}': the database must be a number (0, 1, …), got '${segments[0]}'`);
    return ok({ kind: 'standalone', node: nodes[0], db, ...common });
  }
  if (segments.length === 0) return err(`'${redactUrl(url)}' names no master: add /<masterName> (the name in the sentinels' 'sentinel monitor' line)`);
  if (segments.length > 2) return err(`'${redactUrl(url)}': expected /<masterName>[/db], got '${pathPart}'`);
  const db = parseDb(segments[1]);
  if (db === null) return err(`'${redactUrl(url)}': the database must be a number (0, 1, …), got '${segments[1]}'`);
  const sentinelUsername = params.get('sentinelUsername') ?? undefined;
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  return ok({
    kind: 'sentinel',
    sentinels: nodes,
    masterName: segments[0],
    db,
    ...common,
    ...(sentinelUsername !== undefined && { sentinelUsername }),
    ...(sentinelPassword !== undefined && { sentinelPassword }),
  });
}

/** The URL with its passwords masked (userinfo and `sentinelPassword`), for logs and error messages. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/(.*)@/, (_m, userinfo: string) => `//${userinfo.includes(':') ? `${userinfo.slice(0, userinfo.indexOf(':'))}:***` : userinfo}@`)
    .replace(/([?&]sentinelPassword=)[^&#]*/i, '$1***');
}

/** A short, password-free description for logs: `sentinel mymaster via 127.0.0.1:26379,…`. */
export function describeTarget(t: RedisTarget): string {
  const list = (ns: RedisNode[]): string => ns.map((n) => `${formatHost(n.host)}:${n.port}`).join(',');
  const tls = t.tls ? ' (tls)' : '';
  if (t.kind === 'standalone') return `redis ${formatHost(t.node.host)}:${t.node.port}/${t.db}${tls}`;
  if (t.kind === 'sentinel') return `sentinel master '${t.masterName}' via ${list(t.sentinels)}, db ${t.db}${tls}`;
  return `cluster ${list(t.nodes)}${tls}`;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function parseUserinfo(userinfo: string | undefined): Result<{ username?: string; password?: string }> {
  if (userinfo === undefined || userinfo === '') return ok({});
  const colon = userinfo.indexOf(':');
  try {
    const username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
    const password = colon < 0 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
    // `redis://:pass@host` is the classic form of a password without a user (AUTH pass).
    return ok({ ...(username !== '' && { username }), ...(password !== undefined && password !== '' && { password }) });
  } catch {
    return err('the user name or password is not valid percent-encoding');
  }
}

function parseHostPort(part: string, defaultPort: number): Result<RedisNode> {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/.exec(part);
  if (!m) return err(part === '' ? 'a host is missing' : `'${part}' is not host[:port]`);
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (port < 1 || port > 65535) return err(`port ${m[3]} is out of range`);
  return ok({ host: m[1] ?? m[2], port });
}

function parseDb(segment: string | undefined): number | null {
  if (segment === undefined) return 0;
  return /^\d{1,4}$/.test(segment) ? Number(segment) : null;
}

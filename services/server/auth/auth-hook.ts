/**
 * Bearer-token authentication and role checks for every route, in one place: an `onRequest` hook on the root
 * instance reads the access the matched route declared (`config: { access }`, see roles.ts) and the caller's
 * token, before the body is even read.
 *
 *   request ─► route's access ─ public ──────────────────────────────────────► handler
 *                   │ viewer/operator/admin
 *                   ├─ no tokens configured (open API, loopback only) ─ anonymous admin ─► handler
 *                   ├─ no `Authorization: Bearer …` ─► 401 ORR_ERR_UNAUTHORIZED  (WWW-Authenticate: Bearer)
 *                   ├─ unknown token ──────────────► 401 ORR_ERR_UNAUTHORIZED  (error="invalid_token"; logged at warn)
 *                   ├─ role below the route's ────► 403 ORR_ERR_FORBIDDEN     (names the role needed)
 *                   └─ request.identity = { name, role }; request.log gains `principal` ─► handler
 *                                                       └─ writes: one audit line at info when they end
 *
 * A route that declares nothing is treated as `admin` (refused rather than opened by mistake) and logged at
 * startup; test/integration/auth-routes.test.ts fails on any such route among the production modules.
 * Unmatched paths fall through to the problem+json 404 without a token: the API document is public anyway.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest, RouteOptions } from 'fastify';
import { ApiError, ERRORS } from '../errors.ts';
import { allows, isAccess, type Access, type Identity } from './roles.ts';
import { bearerToken, type TokenTable } from './tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called: set by the auth hook for every non-public route (anonymous admin when the API is open). */
    identity: Identity | undefined;
  }
  interface FastifyInstance {
    /** Every route registered after installAuth with the access it declared (or not), in registration order. */
    routeAccess(): RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  /** What the hook enforces: the declaration, or `admin` for a route that declared none. */
  access: Access;
  declared: boolean;
}

/** The caller of an open API (no tokens configured): loopback only, and allowed everything. */
export const ANONYMOUS: Identity = Object.freeze({ name: 'anonymous', role: 'admin' });

const REALM = 'Bearer realm="orrery"';

export interface AuthOptions {
  /** The configured tokens; undefined: the API is open (every caller is ANONYMOUS). */
  tokens?: TokenTable;
}

/** The access a route declared, `admin` when it declared none (see the file comment). */
export function declaredAccess(config: unknown): Access {
  const access = (config as { access?: unknown } | undefined)?.access;
  return isAccess(access) ? access : 'admin';
}

function unauthorized(request: FastifyRequest, detail: string): ApiError {
  return new ApiError(ERRORS.UNAUTHORIZED, `${request.method} ${request.routeOptions.url}: ${detail}`);
}

/**
 * Installs the hook. Call it on the root instance before any route is registered: routes registered earlier are
 * not listed in the startup check (they are still checked per request).
 */
export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  const tokens = opts.tokens;
  // The options objects themselves: onRoute hooks of child instances (publicRoutes) run after this one and may
  // still set the route's access.
  const routes: RouteOptions[] = [];
  const table = (): RouteAccess[] =>
    routes.map((r) => ({ method: [r.method].flat().join(','), url: r.url, access: declaredAccess(r.config), declared: isAccess(r.config?.access) }));
  app.decorateRequest('identity', undefined);
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route: RouteOptions) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const undeclared = table().filter((r) => !r.declared).map((r) => `${r.method} ${r.url}`);
    if (undeclared.length > 0) app.log.warn({ routes: undeclared }, 'routes declare no access; only admin tokens may call them');
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return;
    const access = declaredAccess(request.routeOptions.config);
    if (access === 'public') return;
    if (!tokens) {
      request.identity = ANONYMOUS;
      return;
    }
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      reply.header('www-authenticate', REALM);
      throw unauthorized(request, "a bearer token is needed: send 'Authorization: Bearer <token>'");
    }
    const identity = tokens.identify(token);
    if (!identity) {
      reply.header('www-authenticate', `${REALM}, error="invalid_token"`);
      request.log.warn({ method: request.method, url: request.routeOptions.url, ip: request.ip }, 'request with an unknown bearer token refused');
      throw unauthorized(request, 'the bearer token is not valid');
    }
    request.identity = identity;
    request.log = request.log.child({ principal: identity.name });
    if (!allows(identity.role, access)) {
      reply.header('www-authenticate', `${REALM}, error="insufficient_scope"`);
      request.log.info({ method: request.method, url: request.routeOptions.url, role: identity.role, needed: access }, 'request refused for its role');
      throw new ApiError(ERRORS.FORBIDDEN, `${request.method} ${request.routeOptions.url} needs the ${access} role; ${identity.name} has the ${identity.role} role`);
    }
  });

  // An audit line per change made with a token: who, what, and how it ended.
  if (tokens) {
    app.addHook('onResponse', async (request, reply) => {
      if (request.identity === undefined || request.method === 'GET' || request.method === 'HEAD' || reply.statusCode === 403) return;
      request.log.info({ method: request.method, url: request.url, status: reply.statusCode, role: request.identity.role }, 'api change requested');
    });
  }
}

/**
 * A plugin whose routes are all `public`: for third-party plugins (Swagger UI, static files), which cannot be given
 * route options. `register` registers them on the child instance it is given.
 */
export function publicRoutes(register: (child: FastifyInstance) => Promise<void>): FastifyPluginAsync {
  return async (child) => {
    child.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    await register(child);
  };
}

/**
 * The route's OpenAPI operation plus how to call it: `security` (the bearer scheme, or none for public routes) and
 * `x-required-role`. Used by the document's `transform`; the document is the same whether tokens are configured.
 */
export function withAccessDocumented(schema: Record<string, unknown>, config: unknown): Record<string, unknown> {
  const access = declaredAccess(config);
  if (access === 'public') return { ...schema, security: [] };
  return { ...schema, security: [{ [BEARER_SCHEME]: [] }], 'x-required-role': access };
}

export const BEARER_SCHEME = 'bearerAuth';

/** `components.securitySchemes` of the document. */
export const SECURITY_SCHEMES = {
  [BEARER_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    description:
      'A token configured with ORRERY_TOKENS or --tokens-file, with a role: viewer (reads), operator (jobs, apps, tasks), ' +
      "admin (everything). Each operation's `x-required-role` names the least role that may call it. " +
      'Without configured tokens (loopback only) no token is needed.',
  },
} as const;

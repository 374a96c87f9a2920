/**
 * The HTTP surface's machinery: one fastify instance with request validation, problem+json errors,
 * the generated OpenAPI 3.1 document, Swagger UI, `/ping` and `/metrics`. Areas plug in as
 * RouteModules; this file knows none of them.
 *
 *   buildHttpServer ─► fastify(loggerInstance, bodyLimit 1 MiB, two-Ajv validator, https when given TLS)
 *        ├─ error + not-found handlers (problem+json)      error-handler.ts
 *        ├─ bearer tokens and roles per route (onRequest)  auth/auth-hook.ts
 *        ├─ shared schema `Problem`; documented 4xx/5xx      problem.ts
 *        ├─ @fastify/swagger (dynamic, 3.1.0) + swagger-ui at /docs
 *        ├─ GET /ping  GET /metrics  GET /openapi.json
 *        └─ route modules, in order, on the root instance
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from '../../core/logging/logger.ts';
import { installErrorHandlers } from './error-handler.ts';
import type { MetricsRegistry } from './metrics.ts';
import { catalogueForSpec, problemResponse, problemSchema } from './problem.ts';
import { requestValidatorFactory } from './request-validation.ts';
import { installAuth, publicRoutes, SECURITY_SCHEMES, withAccessDocumented } from './auth/auth-hook.ts';
import type { TokenTable } from './auth/tokens.ts';
import type { TlsMaterial } from './auth/auth-config.ts';

/**
 * One area's routes. Called once, before the server is ready, on the root instance (not an
 * encapsulated child), so shared schemas it adds with `app.addSchema` join the one document and a
 * duplicate `$id` fails loudly. It must only declare routes and schemas: it must not touch its
 * dependencies (Redis, master) until a request arrives, because the spec is generated without
 * them. Every route declares full JSON schemas (params, querystring, body, response per status)
 * plus `operationId`, `tags`, `summary`, and who may call it: `config: { access: 'viewer' }` (auth/roles.ts).
 */
export type RouteModule = ((app: FastifyInstance) => void | Promise<void>) & {
  /**
   * Rewrites a request URL before routing (undefined: unchanged), e.g. an alternative spelling of the module's
   * documented paths. Must be cheap: it sees every request.
   */
  rewriteUrl?: (method: string, url: string) => string | undefined;
};

export interface HttpServerOptions {
  logger: Logger;
  routes: RouteModule[];
  metrics: MetricsRegistry;
  /** `info.version` of the OpenAPI document (the package version). */
  info?: { version: string };
  /** The API tokens; absent: an open API (the caller allows that on loopback only). */
  tokens?: TokenTable;
  /** Serve HTTPS with this certificate and key. */
  tls?: TlsMaterial;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Fastify's own per-request lines ("incoming request", "request completed") are too chatty at
 * info: the error handler logs 5xx at error and 4xx at debug instead. Lines about broken responses
 * (stream, serializer and writeHead failures) stay. This is `disableRequestLogging: true` for the
 * two request lines only (that option is deprecated in fastify 5.12 in favour of `logController`).
 */
class QuietRequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // A completion with an error is a response that broke after it started; the error handler
    // never saw it.
    if (error) super.requestCompleted(error, request, reply);
  }
}

const SKIP_OVERRIDE = Symbol.for('skip-override');

/** Wraps a route module as a plugin that registers on its parent instead of a child context. */
function asRootPlugin(mod: RouteModule): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (instance) => {
    await mod(instance);
  };
  Object.defineProperty(plugin, SKIP_OVERRIDE, { value: true });
  return plugin;
}

function hasResponseKey(response: Record<string, unknown>, key: string): boolean {
  return Object.keys(response).some((k) => k.toLowerCase() === key);
}

/**
 * The route's schema as documented: plus the problem+json error responses each route can produce,
 * unless it declared them: 400 when it validates input, and 4xx/5xx ranges. Applied through
 * swagger's `transform` rather than an onRoute hook: the document is the same, but fastify does
 * not compile three response serializers per route that the error handler (which sends
 * pre-serialized problems) never uses; that cost ~1.5 ms per route at startup.
 */
function withProblemResponses(schema: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!schema || schema.hide === true) return schema;
  const response: Record<string, unknown> = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  const validatesInput = schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined || schema.headers !== undefined;
  if (validatesInput && !hasResponseKey(response, '400')) {
    response['400'] = problemResponse('Invalid request: `errors` names each offending field');
  }
  if (!hasResponseKey(response, '4xx')) response['4xx'] = problemResponse('Client error');
  if (!hasResponseKey(response, '5xx')) response['5xx'] = problemResponse('Server error; retry when the code is retryable (see x-error-catalogue)');
  return { ...schema, response };
}

function registerSystemRoutes(app: FastifyInstance, metrics: MetricsRegistry): void {
  app.get('/ping', {
    config: { access: 'public' },
    schema: {
      operationId: 'ping',
      tags: ['system'],
      summary: 'Liveness check',
      response: { 200: { description: 'The process is up', content: { 'text/plain': { schema: { type: 'string', enum: ['pong'] } } } } },
    },
  }, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('pong'));

  app.get('/metrics', {
    config: { access: 'public' },
    schema: {
      operationId: 'getMetrics',
      tags: ['system'],
      summary: 'Prometheus metrics',
      response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));

  app.get('/openapi.json', {
    config: { access: 'public' },
    schema: {
      operationId: 'getOpenApiDocument',
      tags: ['system'],
      summary: 'This OpenAPI document',
      response: {
        200: {
          description: 'The OpenAPI 3.1 document (api-spec/openapi.yaml)',
          content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } },
        },
      },
    },
  }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())));
}

function registerHttpMetrics(app: FastifyInstance, metrics: MetricsRegistry): void {
  const duration = metrics.histogram({
    name: 'orrery_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
}

/**
 * Builds (does not start) the server. The caller `listen`s or `inject`s; `ready()` freezes the
 * routes and the document. Route modules are registered in the order given.
 */
/** How long `close()` lets requests in flight finish before it cuts every connection still open. */
export const CLOSE_GRACE_MS = 2000;

/**
 * `close()` waits for every connection to end. Streams are ended in their own `preClose` hooks, but a connection
 * that becomes idle after fastify closed the idle ones (or whose client does not hang up, such as an aborted
 * fetch kept alive by its pool) would hold shutdown until the client's keep-alive expires: cut them after a grace.
 */
function closeLingeringConnections(app: FastifyInstance): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    timer = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => clearTimeout(timer));
}

/** The route modules' URL rewrites as fastify's `rewriteUrl`, or nothing when none has one. */
function urlRewriter(routes: RouteModule[]): { rewriteUrl?: (req: { method?: string; url?: string }) => string } {
  const rewrites = routes.flatMap((m) => (m.rewriteUrl ? [m.rewriteUrl] : []));
  if (rewrites.length === 0) return {};
  return {
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      for (const rewrite of rewrites) {
        const to = rewrite(req.method ?? 'GET', url);
        if (to !== undefined) return to;
      }
      return url;
    },
  };
}

export async function buildHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...urlRewriter(opts.routes),
    loggerInstance: opts.logger.child({ component: 'http' }),
    logController: new QuietRequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { maxParamLength: 512 },
    schemaController: { compilersFactory: { buildValidator: requestValidatorFactory() } },
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
  }) as unknown as FastifyInstance;

  // Only JSON bodies are accepted unless a route module adds a parser: a text/plain body sent to
  // a JSON route is a 415, not a string that then fails validation.
  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app);
  installAuth(app, { tokens: opts.tokens });
  app.addSchema(problemSchema());
  registerHttpMetrics(app, opts.metrics);
  closeLingeringConnections(app);

  // A variable, not a literal: the swagger types do not list `x-` extensions, which it copies.
  const openapi = {
    openapi: '3.1.0',
    info: { title: 'Orrery API', version: opts.info?.version ?? '0.0.0' },
    'x-error-catalogue': catalogueForSpec(),
    components: { securitySchemes: SECURITY_SCHEMES },
  };
  await app.register(swagger, {
    openapi,
    transform: ({ schema, url, route }) => {
      const documented = withProblemResponses(schema as Record<string, unknown> | undefined);
      return { schema: (documented && documented.hide !== true ? withAccessDocumented(documented, route.config) : documented) as typeof schema, url };
    },
    refResolver: {
      // Shared schemas keep their $id as their components.schemas name (Problem, Task, …).
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(publicRoutes(async (child) => void (await child.register(swaggerUi, { routePrefix: '/docs' }))));

  registerSystemRoutes(app, opts.metrics);
  for (const mod of opts.routes) await app.register(asRootPlugin(mod));
  return app;
}

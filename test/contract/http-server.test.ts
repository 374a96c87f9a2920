import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer, type RouteModule } from '../../services/server/http-server.ts';
import { ApiError, ERRORS, fromCallError } from '../../services/server/errors.ts';
import { MetricsRegistry } from '../../services/server/metrics.ts';
import { problemResponse } from '../../services/server/problem.ts';
import { expectMatchesSpec, expectProblem } from './helpers.ts';

/** A test-only area exercising validation and error rendering; not part of production routes. */
const widgetRoutes: RouteModule = (app) => {
  app.addSchema({
    $id: 'Widget',
    type: 'object',
    required: ['id', 'name', 'cpus', 'size', 'offset'],
    additionalProperties: false,
    properties: { id: { type: 'string' }, name: { type: 'string' }, cpus: { type: 'number' }, size: { type: 'string' }, offset: { type: 'integer' } },
  });
  app.post<{ Params: { id: string }; Querystring: { offset: number; dryRun?: boolean }; Body: { name: string; cpus: number; size: string } }>('/test/widgets/:id', {
    schema: {
      operationId: 'createWidget',
      tags: ['test'],
      summary: 'Create a widget',
      params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[a-z0-9-]{1,64}$' } } },
      querystring: { type: 'object', additionalProperties: false, properties: { offset: { type: 'integer', minimum: 0, default: 0 }, dryRun: { type: 'boolean' } } },
      body: {
        type: 'object',
        required: ['name', 'cpus'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 64 },
          cpus: { type: 'number', exclusiveMinimum: 0 },
          size: { type: 'string', enum: ['s', 'm', 'l'], default: 'm' },
          limits: { type: 'object', additionalProperties: false, properties: { mem: { type: 'integer' } } },
          blob: { type: 'string', maxLength: 4_000_000 },
        },
      },
      response: {
        201: { description: 'Created', $ref: 'Widget#' },
        422: problemResponse('The resources cannot be satisfied'),
      },
    },
  }, async (request, reply) => {
    if (request.body.name === 'huge') throw fromCallError({ code: 'RESOURCES_UNSATISFIABLE', message: 'no agent has 1000 cpus', field: 'cpus' }, 'body');
    const { name, cpus, size } = request.body;
    return reply.code(201).send({ id: request.params.id, name, cpus, size, offset: request.query.offset });
  });

  // A JSON merge patch, as PATCH /v1/apps/{id}: every field may also be null.
  app.patch<{ Params: { id: string } }>('/test/widgets/:id', {
    schema: {
      operationId: 'patchWidget',
      tags: ['test'],
      summary: 'Change a widget',
      params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          instances: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] },
          strategy: { anyOf: [{ type: 'object', additionalProperties: false, properties: { share: { type: 'number', maximum: 1 } } }, { type: 'null' }] },
        },
      },
      response: { 204: { description: 'Changed', type: 'null' } },
    },
  }, async (_request, reply) => reply.code(204).send());

  const errorRoute = { schema: { operationId: 'x', tags: ['test'], summary: 'x', response: { 200: { type: 'object', properties: {} } } } };
  app.get('/test/boom', { ...errorRoute, schema: { ...errorRoute.schema, operationId: 'boom' } }, async () => {
    throw new Error('db password is hunter2');
  });
  app.get('/test/missing', { ...errorRoute, schema: { ...errorRoute.schema, operationId: 'missing' } }, async () => {
    throw new ApiError(ERRORS.NOT_FOUND, 'widget w1 does not exist');
  });
  // Lies about its body, to show expectMatchesSpec catches it (a string skips the serializer).
  app.get('/test/liar', {
    schema: {
      operationId: 'liar', tags: ['test'], summary: 'x',
      response: { 200: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    },
  }, async (_request, reply) => reply.type('application/json').send('{"identifier":1}'));
};

interface LogLine { level: number; msg: string; err?: { message?: string }; code?: string }

describe('buildHttpServer', () => {
  let app: FastifyInstance;
  const logs: LogLine[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    app = await buildHttpServer({ logger, routes: [widgetRoutes], metrics: new MetricsRegistry(), info: { version: '9.9.9' } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (payload: unknown, url = '/test/widgets/w1') => app.inject({ method: 'POST', url, payload: payload as object });
  const fieldsOf = (body: string) => (JSON.parse(body) as { errors?: Array<{ field: string }> }).errors?.map((e) => e.field);

  it('answers /ping with pong as text/plain, as documented', async () => {
    const res = await app.inject({ method: 'GET', url: '/ping' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('pong');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    await expectMatchesSpec(app, res, 'GET', '/ping');
  });

  it('serves an OpenAPI 3.1.0 document listing every route with problem responses', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    await expectMatchesSpec(app, res, 'GET', '/openapi.json');
    const doc = JSON.parse(res.body) as { openapi: string; info: { version: string }; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    const op = doc.paths['/test/widgets/{id}'].post;
    expect(Object.keys(op.responses).sort()).toEqual(['201', '400', '422', '4XX', '5XX']);
    expect(Object.keys(doc.paths['/ping'].get.responses).sort()).toEqual(['200', '4XX', '5XX']);
    expect(op.responses['201']).toEqual({ description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Widget' } } } });
    expect(Object.keys((doc as unknown as { components: { schemas: object } }).components.schemas).sort()).toEqual(['Problem', 'Widget']);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/docs'))).toBe(false);
  });

  it('serves Swagger UI under /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('accepts a valid body, fills defaults and coerces the querystring', async () => {
    const res = await post({ name: 'web', cpus: 0.5 }, '/test/widgets/w1?offset=7');
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ id: 'w1', name: 'web', cpus: 0.5, size: 'm', offset: 7 });
    await expectMatchesSpec(app, res, 'POST', '/test/widgets/{id}');
  });

  it('rejects a body field of the wrong type without coercing it', async () => {
    const res = await post({ name: 'web', cpus: '5' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(fieldsOf(res.body)).toEqual(['body.cpus']);
    await expectMatchesSpec(app, res, 'POST', '/test/widgets/{id}');
    await expectProblem(app, res, 400, 'ORR_ERR_VALIDATION');
  });

  it('names an unknown body property and a missing required one, all at once', async () => {
    const res = await post({ cpus: 1, colour: 'red', limits: { mem: 'lots' } });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)?.sort()).toEqual(['body.colour', 'body.limits.mem', 'body.name']);
    const problem = JSON.parse(res.body) as { detail: string; instance: string; type: string };
    expect(problem.detail).toContain('body.colour is not allowed');
    expect(problem.detail).toContain('body.name is required');
    expect(problem.instance).toBe('/test/widgets/w1');
    expect(problem.type).toBe('https://orrery.dev/errors/ORR_ERR_VALIDATION');
    await expectMatchesSpec(app, res, 'POST', '/test/widgets/{id}');
  });

  it('says once per field what an anyOf field accepts, in the problem shape', async () => {
    const patch = (payload: unknown) => app.inject({ method: 'PATCH', url: '/test/widgets/w1', payload: payload as object });
    const res = await patch({ instances: 'two', strategy: 'fast' });
    await expectProblem(app, res, 400, 'ORR_ERR_VALIDATION');
    await expectMatchesSpec(app, res, 'PATCH', '/test/widgets/{id}');
    const problem = JSON.parse(res.body) as { detail: string; errors: unknown[] };
    expect(problem.errors).toEqual([
      { field: 'body.instances', message: 'must be an integer or null' },
      { field: 'body.strategy', message: 'must be an object or null' },
    ]);
    expect(problem.detail).toBe('body.instances must be an integer or null; body.strategy must be an object or null');
    const inner = await patch({ strategy: { share: 2 } });
    expect(JSON.parse(inner.body).errors).toEqual([{ field: 'body.strategy.share', message: 'must be <= 1' }]);
    expect((await patch({ instances: null })).statusCode).toBe(204);
  });

  it('names query and path parameters', async () => {
    const q = await post({ name: 'web', cpus: 1 }, '/test/widgets/w1?offset=abc&extra=1');
    expect(q.statusCode).toBe(400);
    expect(fieldsOf(q.body)?.sort()).toEqual(['query.extra', 'query.offset']);
    const p = await post({ name: 'web', cpus: 1 }, '/test/widgets/NOT_OK');
    expect(p.statusCode).toBe(400);
    expect(fieldsOf(p.body)).toEqual(['params.id']);
    await expectMatchesSpec(app, p, 'POST', '/test/widgets/:id');
  });

  it('rejects invalid JSON naming body', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/widgets/w1', headers: { 'content-type': 'application/json' }, payload: '{"name": "web",' });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['body']);
    await expectProblem(app, res, 400, 'ORR_ERR_VALIDATION');
  });

  it('rejects a text/plain body to a JSON route with 415', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/widgets/w1', headers: { 'content-type': 'text/plain' }, payload: 'name=web' });
    expect(res.statusCode).toBe(415);
    await expectMatchesSpec(app, res, 'POST', '/test/widgets/{id}');
    await expectProblem(app, res, 415, 'ORR_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects a 2 MB body with 413', async () => {
    const res = await post({ name: 'web', cpus: 1, blob: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
    await expectProblem(app, res, 413, 'ORR_ERR_PAYLOAD_TOO_LARGE');
  });

  it('renders an ApiError with its status and code', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/missing' });
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'ORR_ERR_NOT_FOUND', detail: 'widget w1 does not exist', status: 404 });
    await expectMatchesSpec(app, res, 'GET', '/test/missing');
  });

  it('renders a core CallError through fromCallError', async () => {
    const res = await post({ name: 'huge', cpus: 1000 });
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'ORR_ERR_RESOURCES_UNSATISFIABLE', errors: [{ field: 'body.cpus', message: 'no agent has 1000 cpus' }] });
    await expectMatchesSpec(app, res, 'POST', '/test/widgets/{id}');
  });

  it('turns a plain Error into a 500 problem without stack or message, and logs the cause', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('at ');
    await expectMatchesSpec(app, res, 'GET', '/test/boom');
    await expectProblem(app, res, 500, 'ORR_ERR_INTERNAL');
    const logged = logs.find((l) => l.msg === 'request failed' && l.code === 'ORR_ERR_INTERNAL');
    expect(logged?.level).toBe(50);
    expect(logged?.err?.message).toBe('db password is hunter2');
  });

  it('answers unknown routes with a 404 problem and keeps serving', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    await expectProblem(app, res, 404, 'ORR_ERR_NOT_FOUND');
    expect(JSON.parse(res.body).instance).toBe('/nope?x=1');
    expect((await app.inject({ method: 'GET', url: '/ping' })).statusCode).toBe(200);
  });

  it('logs 4xx at debug, never at info or above', () => {
    const rejected = logs.filter((l) => l.msg === 'request rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((l) => l.level === 20)).toBe(true);
    expect(logs.some((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toBe(false);
  });

  it('exposes process and HTTP metrics at /metrics', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    await expectMatchesSpec(app, res, 'GET', '/metrics');
    expect(res.body).toContain('orrery_process_cpu_seconds_total');
    expect(res.body).toMatch(/orrery_http_request_duration_seconds_count\{method="GET",route="\/ping",status="200"\} [1-9]/);
    expect(res.body).toMatch(/route="unmatched",status="404"/);
  });

  it('expectMatchesSpec fails on a body that breaks the schema, an undocumented status or operation', async () => {
    const liar = await app.inject({ method: 'GET', url: '/test/liar' });
    await expect(expectMatchesSpec(app, liar, 'GET', '/test/liar')).rejects.toThrow(/must have required property 'id'/);
    const created = await post({ name: 'web', cpus: 1 });
    await expect(expectMatchesSpec(app, { ...created, statusCode: 202 } as typeof created, 'POST', '/test/widgets/{id}')).rejects.toThrow(/status 202 is not documented/);
    await expect(expectMatchesSpec(app, created, 'PUT', '/test/widgets/{id}')).rejects.toThrow(/not in the document/);
  });
});

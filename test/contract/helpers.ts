/**
 * Contract helpers: check an inject() response against the OpenAPI document the server serves
 * (the one spec-drift.test.ts proves equal to api-spec/openapi.yaml).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats, { type FormatsPlugin } from 'ajv-formats';

const addFormats = ajvFormats as unknown as FormatsPlugin;
const DOC_ID = 'orrery-openapi';

interface Compiled {
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}

// One Ajv per document object: app.swagger() returns the same object for the life of an app.
const byDocument = new WeakMap<object, Compiled>();

function compiledFor(doc: object): Compiled {
  let c = byDocument.get(doc);
  if (!c) {
    // strict: false because the document is not a schema: Ajv is only given pointers into it.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, DOC_ID);
    c = { ajv, validators: new Map() };
    byDocument.set(doc, c);
  }
  return c;
}

function pointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `/v1/tasks/:id` or `/v1/tasks/{id}` → the OpenAPI path key `/v1/tasks/{id}`. */
function toOpenApiPath(routeUrl: string): string {
  return routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

interface ResponseObject {
  content?: Record<string, { schema?: unknown }>;
}

function mediaTypeOf(contentType: string | string[] | number | undefined): string | undefined {
  if (typeof contentType !== 'string') return undefined;
  return contentType.split(';')[0].trim().toLowerCase();
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function fail(what: string, response: LightMyRequestResponse): never {
  const body = response.body.length > 2000 ? `${response.body.slice(0, 2000)}…` : response.body;
  throw new Error(`${what}\nresponse ${response.statusCode} ${String(response.headers['content-type'])}: ${body}`);
}

/**
 * Fails (throws) unless the response's status is documented for the operation, its content type
 * is one the documented response lists, and its body validates against that media type's schema
 * (JSON Schema 2020-12, as OpenAPI 3.1 says). `routeUrl` is the route template, in OpenAPI
 * (`/v1/tasks/{id}`) or fastify (`/v1/tasks/:id`) form. Status lookup: exact, then `4XX`, then
 * `default`. A documented response without content requires an empty body.
 */
export async function expectMatchesSpec(
  app: FastifyInstance,
  response: LightMyRequestResponse,
  method: string,
  routeUrl: string,
): Promise<void> {
  const doc = app.swagger() as unknown as { paths?: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>> };
  const pathKey = toOpenApiPath(routeUrl);
  const op = doc.paths?.[pathKey]?.[method.toLowerCase()];
  if (!op) fail(`operation ${method.toUpperCase()} ${pathKey} is not in the document`, response);
  const responses = op.responses ?? {};
  const status = String(response.statusCode);
  const statusKey = [status, `${status[0]}XX`, 'default'].find((k) => Object.hasOwn(responses, k));
  if (statusKey === undefined) {
    fail(`status ${status} is not documented for ${method.toUpperCase()} ${pathKey} (documented: ${Object.keys(responses).join(', ')})`, response);
  }
  const documented = responses[statusKey];
  if (!documented.content) {
    if (response.body.length > 0) fail(`response ${statusKey} of ${method.toUpperCase()} ${pathKey} documents no body, got one`, response);
    return;
  }
  const mediaType = mediaTypeOf(response.headers['content-type']);
  if (mediaType === undefined) fail('response has no content-type', response);
  const mediaKey = Object.hasOwn(documented.content, mediaType) ? mediaType : Object.hasOwn(documented.content, '*/*') ? '*/*' : undefined;
  if (mediaKey === undefined) {
    fail(`content type ${mediaType} is not documented for ${status} of ${method.toUpperCase()} ${pathKey} (documented: ${Object.keys(documented.content).join(', ')})`, response);
  }
  if (documented.content[mediaKey].schema === undefined) return;

  let body: unknown = response.body;
  if (isJsonMediaType(mediaType)) {
    try {
      body = JSON.parse(response.body);
    } catch (e) {
      fail(`body is not JSON although the content type is ${mediaType}: ${(e as Error).message}`, response);
    }
  }
  const pointer = ['paths', pathKey, method.toLowerCase(), 'responses', statusKey, 'content', mediaKey, 'schema'].map(pointerSegment).join('/');
  const compiled = compiledFor(doc);
  let validate = compiled.validators.get(pointer);
  if (!validate) {
    validate = compiled.ajv.compile({ $ref: `${DOC_ID}#/${pointer}` });
    compiled.validators.set(pointer, validate);
  }
  if (!validate(body)) {
    fail(`body does not match the schema of ${status} (${statusKey}) ${mediaKey} of ${method.toUpperCase()} ${pathKey}:\n${compiled.ajv.errorsText(validate.errors, { separator: '\n' })}`, response);
  }
}

/**
 * Fails unless the response is an `application/problem+json` document valid against the shared
 * `Problem` schema, with this status and code. For responses outside any documented operation
 * (unknown routes) and as a shorthand in error-path tests.
 */
export async function expectProblem(app: FastifyInstance, response: LightMyRequestResponse, status: number, code: string): Promise<void> {
  const doc = app.swagger() as unknown as object;
  if (response.statusCode !== status) fail(`expected status ${status}, got ${response.statusCode}`, response);
  if (mediaTypeOf(response.headers['content-type']) !== 'application/problem+json') fail('expected application/problem+json', response);
  let body: { code?: unknown; status?: unknown };
  try {
    body = JSON.parse(response.body) as { code?: unknown; status?: unknown };
  } catch (e) {
    fail(`problem body is not JSON: ${(e as Error).message}`, response);
  }
  const compiled = compiledFor(doc);
  const pointer = 'components/schemas/Problem';
  let validate = compiled.validators.get(pointer);
  if (!validate) {
    validate = compiled.ajv.compile({ $ref: `${DOC_ID}#/${pointer}` });
    compiled.validators.set(pointer, validate);
  }
  if (!validate(body)) fail(`body is not a Problem:\n${compiled.ajv.errorsText(validate.errors, { separator: '\n' })}`, response);
  if (body.code !== code || body.status !== status) fail(`expected code ${code} and status ${status} in the problem`, response);
}

/**
 * RFC 9457 problem documents: the shared `Problem` schema, the response declarations routes put in
 * their schemas, and the rendering of an ApiError into a problem body.
 */
import { errorCatalogue, type ErrorSpec, type FieldError } from './errors.ts';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';
export const PROBLEM_SCHEMA_ID = 'Problem';
const TYPE_BASE = 'https://orrery.dev/errors/';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  errors?: FieldError[];
}

/**
 * The shared `Problem` schema (added with `app.addSchema`, listed under `components.schemas`).
 * Built when the server is built, so `code`'s enum lists every area's errors defined by then:
 * import an area's errors before building the server (route modules do, by importing them).
 */
export function problemSchema(): Record<string, unknown> {
  return {
    $id: PROBLEM_SCHEMA_ID,
    type: 'object',
    description: 'An RFC 9457 problem document. `code` is stable; match on it, never on `title` or `detail`.',
    required: ['type', 'title', 'status', 'detail', 'code', 'instance'],
    properties: {
      type: { type: 'string', format: 'uri', description: `${TYPE_BASE}<code>` },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      code: { type: 'string', enum: errorCatalogue().map((e) => e.code) },
      instance: { type: 'string', description: 'The request URL.' },
      errors: {
        type: 'array',
        description: 'The offending fields, for validation errors: body.cpus, query.offset, params.id.',
        items: {
          type: 'object',
          required: ['field', 'message'],
          additionalProperties: false,
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
    },
  };
}

/** The catalogue as the OpenAPI document lists it (root extension `x-error-catalogue`). */
export function catalogueForSpec(): Array<Pick<ErrorSpec, 'code' | 'status' | 'title' | 'retryable'>> {
  return errorCatalogue().map(({ code, status, title, retryable }) => ({ code, status, title, retryable }));
}

/**
 * A response declaration for a route schema: `response: { 404: problemResponse('No such task') }`.
 * Every route also gets 4xx/5xx problem responses automatically; declare specific statuses
 * to describe them.
 */
export function problemResponse(description: string): Record<string, unknown> {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `${PROBLEM_SCHEMA_ID}#` } } } };
}

/** The problem body for an error of `spec` raised by the request to `instance`. */
export function renderProblem(spec: ErrorSpec, detail: string, instance: string, fields?: FieldError[]): Problem {
  const problem: Problem = { type: TYPE_BASE + spec.code, title: spec.title, status: spec.status, detail, code: spec.code, instance };
  if (fields && fields.length > 0) problem.errors = fields;
  return problem;
}

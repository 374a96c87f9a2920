/**
 * The one error handler and the not-found handler: everything a request can throw becomes an
 * `application/problem+json` response with a code from the registry.
 *
 *   thrown ──► toApiError ──► ApiError ──► renderProblem ──► reply (problem+json, as a string)
 *   (ApiError | fastify validation / content-type errors | anything else → 500, logged with cause)
 */
import { FencedError } from '../../core/coordination/fenced-error.ts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { ApiError, ERRORS, type ErrorSpec } from './errors.ts';
import { PROBLEM_MEDIA_TYPE, renderProblem } from './problem.ts';
import { validationFields } from './request-validation.ts';

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
  message?: unknown;
}

const BY_STATUS: Readonly<Record<number, ErrorSpec>> = {
  401: ERRORS.UNAUTHORIZED,
  403: ERRORS.FORBIDDEN,
  404: ERRORS.NOT_FOUND,
  409: ERRORS.CONFLICT,
  413: ERRORS.PAYLOAD_TOO_LARGE,
  415: ERRORS.UNSUPPORTED_MEDIA_TYPE,
};

/** Unknown paths are echoed in `detail` only this far (the full URL is `instance`). */
const MAX_ECHOED_PATH = 256;

function describeFields(fields: ReadonlyArray<{ field: string; message: string }>): string {
  return fields.map((f) => `${f.field} ${f.message}`).join('; ');
}

/**
 * Classifies anything a request threw. Only ApiErrors and fastify's own client errors (validation,
 * body parsing, content type, size) become 4xx; everything else is an internal error whose details
 * stay in the log.
 */
export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;

  if (Array.isArray(e.validation) && typeof e.validationContext === 'string') {
    const fields = validationFields(e.validationContext, e.validation as ErrorObject[]);
    return new ApiError(ERRORS.VALIDATION, describeFields(fields), { fields, cause: error });
  }
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && status === 400)) {
    // A bare SyntaxError comes from secure-json-parse (e.g. a `__proto__` key): its message says why.
    const message = code === undefined && error instanceof SyntaxError ? `is not acceptable JSON: ${error.message}` : 'is not valid JSON';
    const fields = [{ field: 'body', message }];
    return new ApiError(ERRORS.VALIDATION, describeFields(fields), { fields, cause: error });
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    const fields = [{ field: 'body', message: 'must not be empty when the content type is application/json' }];
    return new ApiError(ERRORS.VALIDATION, describeFields(fields), { fields, cause: error });
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    const sent = request.headers['content-type'] ?? 'none';
    return new ApiError(ERRORS.UNSUPPORTED_MEDIA_TYPE, `content type '${sent}' is not accepted here; send application/json`, { cause: error });
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new ApiError(ERRORS.PAYLOAD_TOO_LARGE, `request body exceeds ${request.routeOptions.bodyLimit} bytes`, { cause: error });
  }
  if (error instanceof FencedError) {
    // This replica lost its term while the request ran: nothing was written; the client retries at the new leader.
    return new ApiError(ERRORS.NOT_LEADER, `this replica no longer leads (epoch ${error.writerEpoch}, now ${error.currentEpoch}); nothing was written, retry`, { cause: error });
  }
  if (status !== undefined && status >= 400 && status < 500) {
    const message = typeof e.message === 'string' ? e.message : 'request rejected';
    return new ApiError(BY_STATUS[status] ?? ERRORS.VALIDATION, message, { cause: error });
  }
  return new ApiError(ERRORS.INTERNAL, `internal error (request ${request.id}); the server log has the cause`, { cause: error });
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, apiError: ApiError): FastifyReply {
  const problem = renderProblem(apiError.spec, apiError.detail, request.url, apiError.fields);
  // A string payload skips the route's response serializer, so no field can be dropped from it.
  return reply.code(apiError.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(problem));
}

/**
 * Installs the error and not-found handlers on the root instance (children inherit them).
 * Logging: non-retryable 5xx at error with the cause, retryable 5xx (not leader, unavailable) at
 * warn, 4xx at debug: clients' mistakes are theirs to see, not the operator's.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const apiError = toApiError(error, request);
    const ctx = { code: apiError.code, method: request.method, url: request.url };
    if (apiError.status >= 500 && !apiError.spec.retryable) request.log.error({ ...ctx, err: error }, 'request failed');
    else if (apiError.status >= 500) request.log.warn({ ...ctx, detail: apiError.detail }, 'request unavailable');
    else request.log.debug({ ...ctx, detail: apiError.detail }, 'request rejected');
    return sendProblem(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const shown = path.length > MAX_ECHOED_PATH ? `${path.slice(0, MAX_ECHOED_PATH)}…` : path;
    const apiError = new ApiError(ERRORS.NOT_FOUND, `no route for ${request.method} ${shown}`);
    request.log.debug({ code: apiError.code, method: request.method, url: request.url }, 'request rejected');
    return sendProblem(request, reply, apiError);
  });
}

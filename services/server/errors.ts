/**
 * The coded error registry of the HTTP surface, in the style of fastify's `lib/errors.js`.
 *
 * Every error a client can see has a stable code `ORR_ERR_<AREA>_<CONDITION>`, an HTTP status, a
 * title and whether retrying the same request may succeed. Areas (jobs, apps, …) add their own
 * codes with `defineErrors(area, {...})`; all of them land in one catalogue that the OpenAPI
 * document and `api-spec/errors.md` list. A code is never reused once shipped: `defineErrors`
 * refuses a code that is already in the catalogue.
 */

export interface ErrorSpec {
  /** Stable, unique, `ORR_ERR_[A-Z0-9_]+`. Clients match on this, never on titles or details. */
  readonly code: string;
  /** HTTP status, 400..599. */
  readonly status: number;
  /** Short human summary, the same for every occurrence (RFC 9457 `title`). */
  readonly title: string;
  /** Whether the same request may succeed later without change (e.g. after a leader election). */
  readonly retryable: boolean;
}

/** One row of the catalogue: a spec and the area that defined it. */
export interface CatalogueEntry extends ErrorSpec {
  readonly area: string;
}

const CODE_PATTERN = /^ORR_ERR_[A-Z0-9]+(?:_[A-Z0-9]+)*$/;
const AREA_PATTERN = /^[a-z][a-z0-9-]*$/;
const catalogue = new Map<string, CatalogueEntry>();

/**
 * Adds an area's errors to the one catalogue and returns them frozen. Call it once per area at
 * module load (the module cache makes that exactly once per process).
 * Throws on a malformed or already-registered code: both are programming errors.
 */
export function defineErrors<const T extends Record<string, ErrorSpec>>(area: string, specs: T): Readonly<T> {
  if (!AREA_PATTERN.test(area)) throw new Error(`error area must be lowercase kebab-case, got '${area}'`);
  for (const [key, spec] of Object.entries(specs)) {
    if (!CODE_PATTERN.test(spec.code)) throw new Error(`error ${area}.${key}: code '${spec.code}' must match ORR_ERR_<AREA>_<CONDITION>`);
    if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
      throw new Error(`error ${spec.code}: status ${spec.status} is not an HTTP error status`);
    }
    const existing = catalogue.get(spec.code);
    if (existing) throw new Error(`error code ${spec.code} is already defined by area '${existing.area}'`);
    catalogue.set(spec.code, Object.freeze({ ...spec, area }));
    Object.freeze(spec);
  }
  return Object.freeze(specs);
}

/** Every registered error, sorted by code (the order the spec and errors.md list them in). */
export function errorCatalogue(): CatalogueEntry[] {
  return [...catalogue.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The spec registered under `code`, if any. */
export function lookupError(code: string): CatalogueEntry | undefined {
  return catalogue.get(code);
}

/** The errors of the HTTP layer and of the core (master, agents, tasks, offers). */
export const ERRORS = defineErrors('core', {
  VALIDATION: { code: 'ORR_ERR_VALIDATION', status: 400, title: 'Invalid request', retryable: false },
  UNAUTHORIZED: { code: 'ORR_ERR_UNAUTHORIZED', status: 401, title: 'Authentication required', retryable: false },
  FORBIDDEN: { code: 'ORR_ERR_FORBIDDEN', status: 403, title: 'Not allowed for this role', retryable: false },
  NOT_FOUND: { code: 'ORR_ERR_NOT_FOUND', status: 404, title: 'Not found', retryable: false },
  TASK_NOT_FOUND: { code: 'ORR_ERR_TASK_NOT_FOUND', status: 404, title: 'Task not found', retryable: false },
  AGENT_NOT_FOUND: { code: 'ORR_ERR_AGENT_NOT_FOUND', status: 404, title: 'Agent not found', retryable: false },
  FRAMEWORK_NOT_FOUND: { code: 'ORR_ERR_FRAMEWORK_NOT_FOUND', status: 404, title: 'Framework not found', retryable: false },
  OFFER_NOT_FOUND: { code: 'ORR_ERR_OFFER_NOT_FOUND', status: 404, title: 'Offer not found', retryable: false },
  CONFLICT: { code: 'ORR_ERR_CONFLICT', status: 409, title: 'Conflict with the current state', retryable: false },
  PAYLOAD_TOO_LARGE: { code: 'ORR_ERR_PAYLOAD_TOO_LARGE', status: 413, title: 'Request body too large', retryable: false },
  UNSUPPORTED_MEDIA_TYPE: { code: 'ORR_ERR_UNSUPPORTED_MEDIA_TYPE', status: 415, title: 'Unsupported media type', retryable: false },
  RESOURCES_UNSATISFIABLE: { code: 'ORR_ERR_RESOURCES_UNSATISFIABLE', status: 422, title: 'Resources cannot be satisfied', retryable: false },
  SANDBOX_PATH_INVALID: { code: 'ORR_ERR_SANDBOX_PATH_INVALID', status: 400, title: 'Path outside the sandbox or invalid', retryable: false },
  INTERNAL: { code: 'ORR_ERR_INTERNAL', status: 500, title: 'Internal error', retryable: false },
  NOT_LEADER: { code: 'ORR_ERR_NOT_LEADER', status: 503, title: 'No leader to serve the request', retryable: true },
  UNAVAILABLE: { code: 'ORR_ERR_UNAVAILABLE', status: 503, title: 'Service unavailable', retryable: true },
});

export interface FieldError {
  /** Where the problem is: `body.resources.cpus`, `query.offset`, `params.id`, `body.tasks[0].name`. */
  field: string;
  message: string;
}

export interface ApiErrorOptions {
  fields?: FieldError[];
  cause?: unknown;
}

/**
 * An error that the one error handler renders as `application/problem+json` with the spec's status
 * and code. Throw it from handlers; anything else thrown becomes a logged 500 `ORR_ERR_INTERNAL`.
 */
export class ApiError extends Error {
  readonly spec: ErrorSpec;
  readonly code: string;
  readonly status: number;
  readonly detail: string;
  readonly fields: FieldError[] | undefined;

  constructor(spec: ErrorSpec, detail: string, opts: ApiErrorOptions = {}) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ApiError';
    this.spec = spec;
    this.code = spec.code;
    this.status = spec.status;
    this.detail = detail;
    this.fields = opts.fields;
  }
}

const CALL_ERROR_SPECS: Readonly<Record<string, ErrorSpec>> = {
  TASK_NOT_FOUND: ERRORS.TASK_NOT_FOUND,
  AGENT_NOT_FOUND: ERRORS.AGENT_NOT_FOUND,
  FRAMEWORK_NOT_FOUND: ERRORS.FRAMEWORK_NOT_FOUND,
  OFFER_NOT_FOUND: ERRORS.OFFER_NOT_FOUND,
  NOT_FOUND: ERRORS.NOT_FOUND,
  SANDBOX_PATH_INVALID: ERRORS.SANDBOX_PATH_INVALID,
  RESOURCES_UNSATISFIABLE: ERRORS.RESOURCES_UNSATISFIABLE,
  CONFLICT: ERRORS.CONFLICT,
  ALREADY_EXISTS: ERRORS.CONFLICT,
  NOT_LEADER: ERRORS.NOT_LEADER,
  UNAVAILABLE: ERRORS.UNAVAILABLE,
  AGENT_UNAVAILABLE: ERRORS.UNAVAILABLE,
  UNAUTHORIZED: ERRORS.UNAUTHORIZED,
  FORBIDDEN: ERRORS.FORBIDDEN,
  INVALID_RANGE: ERRORS.VALIDATION,
  INVALID_TASK: ERRORS.VALIDATION,
};

/**
 * Maps a core `CallError` ({ code, message, field? }) to an ApiError. Known codes keep their
 * meaning (TASK_NOT_FOUND → 404 ORR_ERR_TASK_NOT_FOUND, RESOURCES_UNSATISFIABLE → 422, …);
 * unknown codes become a 400 ORR_ERR_VALIDATION carrying the core's message, because the core
 * refuses calls for what the caller sent. `fieldPrefix` (e.g. 'body') qualifies the core's field
 * so it reads like the validation errors: `body.resources.cpus`.
 */
export function fromCallError(e: { code: string; message: string; field?: string }, fieldPrefix?: string): ApiError {
  const spec = Object.hasOwn(CALL_ERROR_SPECS, e.code) ? CALL_ERROR_SPECS[e.code] : ERRORS.VALIDATION;
  const field = e.field === undefined ? undefined : fieldPrefix ? `${fieldPrefix}.${e.field}` : e.field;
  const fields = field === undefined ? undefined : [{ field, message: e.message }];
  return new ApiError(spec, e.message, { fields, cause: e });
}

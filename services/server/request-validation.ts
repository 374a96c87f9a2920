/**
 * Request validation: two Ajv 8 instances behind fastify's validator compiler, and the mapping of
 * Ajv errors to the `errors: [{ field, message }]` of a problem document.
 *
 * Bodies are validated as sent: no type coercion (`"5"` is not a number) and no stripping of
 * unknown properties (`additionalProperties: false` is a 400 naming the property), with defaults
 * filled in. Querystrings, params and headers arrive as strings, so they are coerced.
 */
import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import ajvFormats, { type FormatsPlugin } from 'ajv-formats';
import type { FieldError } from './errors.ts';

// ajv-formats is CommonJS with `export default`: under NodeNext the default import is typed as the
// module object, while at run time it is the plugin itself.
const addFormats = ajvFormats as unknown as FormatsPlugin;

const COMMON: AjvOptions = {
  removeAdditional: false,
  allErrors: true,
  useDefaults: true,
  // Route schemas are compiled once each and are not shared by id through Ajv's cache
  // (fastify's default compiler does the same): avoids "schema already exists" on reuse.
  addUsedSchema: false,
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
};

function makeAjv(coerceTypes: AjvOptions['coerceTypes'], externalSchemas: Record<string, unknown>): Ajv {
  const ajv = new Ajv({ ...COMMON, coerceTypes });
  addFormats(ajv);
  // OpenAPI annotation keywords are allowed in route schemas; they do not constrain values.
  ajv.addKeyword('example');
  for (const [id, schema] of Object.entries(externalSchemas)) {
    const s = schema as { $id?: string };
    ajv.addSchema(schema as object, s.$id ?? id);
  }
  return ajv;
}

/** What fastify passes to a validator compiler for one part of one route. */
export interface RouteSchemaDefinition {
  schema: unknown;
  method?: string;
  url?: string;
  httpPart?: string;
}

export type RequestValidatorCompiler = (def: RouteSchemaDefinition) => ValidateFunction;

/**
 * A `schemaController.compilersFactory.buildValidator` for fastify. This is `setValidatorCompiler`
 * with the shared schemas (those added with `app.addSchema`) handed over, so `$ref: 'Task#'` works
 * in request schemas. Fastify calls it again for every route once shared schemas exist, so it
 * reuses the compiler (two Ajv instances) built for the same set of shared schemas, as fastify's
 * own Ajv compiler does; one factory per server keeps servers independent.
 */
export function requestValidatorFactory(): (externalSchemas: Record<string, unknown>) => RequestValidatorCompiler {
  const byExternalSchemas = new Map<string, RequestValidatorCompiler>();
  return (externalSchemas) => {
    const key = JSON.stringify(externalSchemas);
    let compiler = byExternalSchemas.get(key);
    if (!compiler) {
      compiler = buildRequestValidator(externalSchemas);
      byExternalSchemas.set(key, compiler);
    }
    return compiler;
  };
}

/** The compiler for one set of shared schemas: body parts on a non-coercing Ajv, the rest coerced. */
export function buildRequestValidator(externalSchemas: Record<string, unknown>): RequestValidatorCompiler {
  let body: Ajv | undefined;
  let other: Ajv | undefined;
  return ({ schema, httpPart }) => {
    if (httpPart === 'body') {
      body ??= makeAjv(false, externalSchemas);
      return body.compile(schema as object);
    }
    other ??= makeAjv('array', externalSchemas);
    return other.compile(schema as object);
  };
}

/** fastify's name for the part that failed validation → the prefix of our field names. */
const PART_PREFIX: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

function decodePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function appendSegment(path: string, segment: string): string {
  if (/^\d+$/.test(segment)) return `${path}[${segment}]`;
  if (IDENTIFIER.test(segment)) return `${path}.${segment}`;
  return `${path}[${JSON.stringify(segment)}]`;
}

/** The property an error is about, when Ajv names it in params rather than in instancePath. */
function namedProperty(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
    case 'dependencies':
      return typeof p.missingProperty === 'string' ? p.missingProperty : undefined;
    case 'additionalProperties':
      return typeof p.additionalProperty === 'string' ? p.additionalProperty : undefined;
    case 'unevaluatedProperties':
      return typeof p.unevaluatedProperty === 'string' ? p.unevaluatedProperty : undefined;
    case 'propertyNames':
      return typeof p.propertyName === 'string' ? p.propertyName : undefined;
    default:
      return undefined;
  }
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'dependentRequired':
    case 'dependencies':
      return 'is required';
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'is not allowed';
    case 'enum':
      return Array.isArray(p.allowedValues)
        ? `must be one of: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
        : (e.message ?? 'is invalid');
    default:
      return e.message ?? 'is invalid';
  }
}

/**
 * Ajv errors of one request part → problem `errors`, each naming its field as
 * `body.cpus`, `body.tasks[0].name`, `query.offset`, `params.id` (the unknown property for
 * additionalProperties, the missing one for required). Duplicates (from allErrors) are dropped.
 */
export function validationFields(context: string, errors: readonly ErrorObject[]): FieldError[] {
  const prefix = PART_PREFIX[context] ?? context;
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const e of errors) {
    let field = prefix;
    for (const segment of e.instancePath.split('/').slice(1)) field = appendSegment(field, decodePointerSegment(segment));
    const named = namedProperty(e);
    if (named !== undefined) field = appendSegment(field, named);
    const message = messageOf(e);
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ field, message });
  }
  return fields;
}

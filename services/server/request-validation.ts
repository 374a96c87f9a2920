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

/** How a JSON type is named in a message: `must be an integer or null`. */
const TYPE_NOUNS: Readonly<Record<string, string>> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'an array',
  boolean: 'a boolean',
  null: 'null',
};

function typeNouns(type: unknown): string[] {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_NOUNS[String(t)] ?? String(t));
}

/** `a`, `a or b`, `a, b or c`. */
function either(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
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
    case 'type':
      return `must be ${either(typeNouns(p.type))}`;
    default:
      return e.message ?? 'is invalid';
  }
}

/**
 * One thing wrong with a request, before it is named as a field. `accepts` is set when the value is not of a
 * kind the schema (or this branch of it) takes at all — a wrong type, or not one of its values — and says what
 * it takes, for the one message of an anyOf/oneOf.
 */
interface Issue {
  instancePath: string;
  schemaPath: string;
  /** The property the issue is about when it is not in `instancePath` (required, additionalProperties). */
  property?: string;
  message: string;
  accepts?: Accepts;
}

/** Types (`an integer`) and values (`one of: "a", "b"`) a value may have. */
interface Accepts {
  types: string[];
  values: string[];
}

function acceptsOf(e: ErrorObject): Accepts | undefined {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'type') return { types: typeNouns(p.type), values: [] };
  if (e.keyword === 'enum' && Array.isArray(p.allowedValues)) return { types: [], values: [`one of: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`] };
  if (e.keyword === 'const') return { types: [], values: [JSON.stringify(p.allowedValue)] };
  return undefined;
}

function issueOf(e: ErrorObject): Issue {
  return { instancePath: e.instancePath, schemaPath: e.schemaPath, property: namedProperty(e), message: messageOf(e), accepts: acceptsOf(e) };
}

function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}

/**
 * The branch of `combinator` (an anyOf/oneOf error) that an earlier issue came from: its index, `'ref'` for an issue
 * of a schema the branch references (its schemaPath is that schema's, not under the combinator), or undefined when
 * the issue is not the combinator's (another value — such as an earlier item of the same array —, a sibling keyword
 * of the same schema, or another part of the document).
 */
function branchOf(issue: Issue, combinator: ErrorObject): string | undefined {
  if (!within(issue.instancePath, combinator.instancePath)) return undefined;
  const own = `${combinator.schemaPath}/`;
  if (issue.schemaPath.startsWith(own)) return issue.schemaPath.slice(own.length).split('/')[0];
  const parent = combinator.schemaPath.slice(0, combinator.schemaPath.lastIndexOf('/'));
  return issue.schemaPath.startsWith(`${parent}/`) ? undefined : 'ref';
}

/** What one branch takes, when it rejects the value itself (not something inside it): its values, else its types. */
function branchAccepts(issues: readonly Issue[], at: string): Accepts | undefined {
  const root = issues.filter((i) => i.instancePath === at && i.accepts !== undefined).map((i) => i.accepts!);
  if (root.length === 0) return undefined;
  const values = root.flatMap((a) => a.values);
  return values.length > 0 ? { types: [], values } : { types: root.flatMap((a) => a.types), values: [] };
}

/**
 * Replaces an anyOf/oneOf failure and the failures of its branches (Ajv reports them all: `must be integer`,
 * `must be null`, `must match a schema in anyOf`) by what the client can act on:
 *  - branches that take the value but reject something inside it or about it (`{ minimum: 0 }` for -1, a missing
 *    property): their issues only — the branches that do not take that kind of value do not apply;
 *  - a value no branch takes: one issue, `must be an integer or null`.
 */
function collapseCombinator(combinator: ErrorObject, members: Issue[]): Issue[] {
  const at = { instancePath: combinator.instancePath, schemaPath: combinator.schemaPath };
  const passing = (combinator.params as Record<string, unknown>).passingSchemas;
  if (combinator.keyword === 'oneOf' && Array.isArray(passing)) return [{ ...at, message: 'must match exactly one of the accepted forms, and matches several' }];
  const branches = new Map<string, Issue[]>();
  for (const m of members) {
    const key = branchOf(m, combinator) ?? 'ref';
    branches.set(key, [...(branches.get(key) ?? []), m]);
  }
  const rejecting = new Map([...branches].map(([key, issues]) => [key, branchAccepts(issues, combinator.instancePath)]));
  const applicable = [...branches].filter(([key]) => rejecting.get(key) === undefined).flatMap(([, issues]) => issues);
  if (applicable.length > 0) return applicable;
  const accepts: Accepts = { types: [], values: [] };
  for (const a of rejecting.values()) {
    accepts.types.push(...(a?.types ?? []));
    accepts.values.push(...(a?.values ?? []));
  }
  const words = [...new Set([...accepts.types, ...accepts.values])];
  if (words.length === 0) return [{ ...at, message: combinator.message ?? 'is invalid' }];
  return [{ ...at, message: `must be ${either(words)}`, accepts }];
}

/**
 * Ajv's errors (in its order: a combinator's branch failures come right before the combinator's own error,
 * nested ones first) → issues, with every anyOf/oneOf collapsed.
 */
function issuesOf(errors: readonly ErrorObject[]): Issue[] {
  const issues: Issue[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') {
      issues.push(issueOf(e));
      continue;
    }
    let first = issues.length;
    while (first > 0 && branchOf(issues[first - 1], e) !== undefined) first--;
    const members = issues.splice(first);
    issues.push(...collapseCombinator(e, members));
  }
  return issues;
}

/**
 * Ajv errors of one request part → problem `errors`, each naming its field as
 * `body.cpus`, `body.tasks[0].name`, `query.offset`, `params.id` (the unknown property for
 * additionalProperties, the missing one for required). An anyOf/oneOf gives one message per field
 * saying what is accepted (`body.instances must be an integer or null`), or the issues of the branch
 * that applies. Duplicates (from allErrors) are dropped.
 */
export function validationFields(context: string, errors: readonly ErrorObject[]): FieldError[] {
  const prefix = PART_PREFIX[context] ?? context;
  const seen = new Set<string>();
  const fields: FieldError[] = [];
  for (const issue of issuesOf(errors)) {
    let field = prefix;
    for (const segment of issue.instancePath.split('/').slice(1)) field = appendSegment(field, decodePointerSegment(segment));
    if (issue.property !== undefined) field = appendSegment(field, issue.property);
    const key = `${field}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ field, message: issue.message });
  }
  return fields;
}

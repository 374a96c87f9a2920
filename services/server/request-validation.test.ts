import { describe, expect, it } from 'vitest';
import { buildRequestValidator, validationFields } from './request-validation.ts';

const schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    cpus: { type: 'number' },
    size: { type: 'string', enum: ['s', 'm'], default: 'm' },
    tasks: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

const compile = buildRequestValidator({});
const validators = new Map(['body', 'querystring', 'params'].map((part) => [part, compile({ schema, httpPart: part })]));

function errorsOf(part: string, data: unknown) {
  const validate = validators.get(part)!;
  const ok = validate(data);
  return { ok, data, fields: ok ? [] : validationFields(part, validate.errors ?? []) };
}

describe('request validation', () => {
  it('does not coerce or strip bodies, and fills defaults', () => {
    const r = errorsOf('body', { name: 'a', cpus: '5', extra: 1 });
    expect(r.fields).toEqual([
      { field: 'body.extra', message: 'is not allowed' },
      { field: 'body.cpus', message: 'must be a number' },
    ]);
    const good = errorsOf('body', { name: 'a' });
    expect(good).toMatchObject({ ok: true, data: { name: 'a', size: 'm' } });
  });

  it('coerces querystrings, including a single value to an array', () => {
    const r = errorsOf('querystring', { name: 'a', cpus: '5', tags: 'x' });
    expect(r).toMatchObject({ ok: true, data: { cpus: 5, tags: ['x'] } });
    expect(errorsOf('querystring', { cpus: 'abc' }).fields.map((f) => f.field).sort()).toEqual(['query.cpus', 'query.name']);
  });

  it('names nested fields, array items, odd property names and enum choices', () => {
    const r = errorsOf('body', { name: 'a', size: 'xl', tasks: [{ id: 'ok' }, {}], 'a/b': 1 });
    expect(r.fields).toEqual([
      { field: 'body["a/b"]', message: 'is not allowed' },
      { field: 'body.size', message: 'must be one of: "s", "m"' },
      { field: 'body.tasks[1].id', message: 'is required' },
    ]);
  });

  it('names the whole part when it has the wrong type', () => {
    expect(errorsOf('params', 'x').fields).toEqual([{ field: 'params', message: 'must be an object' }]);
  });

  it('resolves shared schemas by $id', () => {
    const compile = buildRequestValidator({ Res: { $id: 'Res', type: 'object', properties: { cpus: { type: 'number' } } } });
    const validate = compile({ schema: { type: 'object', properties: { res: { $ref: 'Res#' } } }, httpPart: 'body' });
    expect(validate({ res: { cpus: 1 } })).toBe(true);
    expect(validate({ res: { cpus: 'x' } })).toBe(false);
  });

  describe('anyOf / oneOf: one message per field, saying what is accepted', () => {
    // As PATCH /v1/apps/{id} (app-schemas.ts): every field may also be null (reset to its default).
    const orNull = (v: object) => ({ anyOf: [v, { type: 'null' }] });
    const patch = compile({
      httpPart: 'body',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          instances: orNull({ type: 'integer', minimum: 0 }),
          upgradeStrategy: orNull({ type: 'object', additionalProperties: false, properties: { minimumHealthCapacity: { type: 'number', minimum: 0, maximum: 1 } } }),
          uris: orNull({ type: 'array', items: { oneOf: [{ type: 'string', pattern: '^https?://' }, { type: 'object', required: ['uri'], properties: { uri: { type: 'string' } } }] } }),
          mode: orNull({ type: 'string', enum: ['a', 'b'] }),
        },
      },
    });
    const fieldsOf = (data: unknown) => {
      expect(patch(data)).toBe(false);
      return validationFields('body', patch.errors ?? []);
    };

    it('a value of a type no branch takes: the types accepted, once', () => {
      expect(fieldsOf({ instances: 'two' })).toEqual([{ field: 'body.instances', message: 'must be an integer or null' }]);
      expect(fieldsOf({ upgradeStrategy: 'fast' })).toEqual([{ field: 'body.upgradeStrategy', message: 'must be an object or null' }]);
      expect(fieldsOf({ uris: [5] })).toEqual([{ field: 'body.uris[0]', message: 'must be a string or an object' }]);
      expect(fieldsOf({ mode: 'c' })).toEqual([{ field: 'body.mode', message: 'must be null or one of: "a", "b"' }]);
      expect(fieldsOf({ mode: 1 })).toEqual([{ field: 'body.mode', message: 'must be null or one of: "a", "b"' }]);
    });

    it('a value of the right type that breaks a rule of its branch: that rule only, at its own field', () => {
      expect(fieldsOf({ instances: -1 })).toEqual([{ field: 'body.instances', message: 'must be >= 0' }]);
      expect(fieldsOf({ upgradeStrategy: { minimumHealthCapacity: 2, x: 1 } })).toEqual([
        { field: 'body.upgradeStrategy.x', message: 'is not allowed' },
        { field: 'body.upgradeStrategy.minimumHealthCapacity', message: 'must be <= 1' },
      ]);
      expect(fieldsOf({ uris: ['ftp://x', {}] })).toEqual([
        { field: 'body.uris[0]', message: 'must match pattern "^https?://"' },
        { field: 'body.uris[1].uri', message: 'is required' },
      ]);
    });

    it('several fields: one entry each, other errors of the body kept', () => {
      expect(fieldsOf({ instances: 'two', upgradeStrategy: 3, colour: 'red' })).toEqual([
        { field: 'body.colour', message: 'is not allowed' },
        { field: 'body.instances', message: 'must be an integer or null' },
        { field: 'body.upgradeStrategy', message: 'must be an object or null' },
      ]);
    });

    it('branches that are references to shared or local schemas', () => {
      const compile = buildRequestValidator({ Res: { $id: 'Res', type: 'object', properties: { cpus: { type: 'number' } } } });
      const validate = compile({
        httpPart: 'body',
        schema: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, res: { anyOf: [{ $ref: 'Res#' }, { type: 'null' }] }, kit: { $ref: '#/definitions/kit' } },
          definitions: { kit: { oneOf: [{ type: 'string' }, { type: 'object', required: ['k'] }] } },
        },
      });
      const fields = (data: unknown) => (validate(data) ? [] : validationFields('body', validate.errors ?? []));
      expect(fields({ res: { cpus: 'x' } })).toEqual([
        { field: 'body.name', message: 'is required' },
        { field: 'body.res.cpus', message: 'must be a number' },
      ]);
      expect(fields({ name: 'n', res: 3 })).toEqual([{ field: 'body.res', message: 'must be an object or null' }]);
      expect(fields({ name: 'n', kit: {} })).toEqual([{ field: 'body.kit.k', message: 'is required' }]);
      expect(fields({ name: 'n', kit: 3 })).toEqual([{ field: 'body.kit', message: 'must be a string or an object' }]);
    });

    it('a oneOf that more than one branch matches says so', () => {
      const validate = compile({ httpPart: 'body', schema: { type: 'object', properties: { n: { oneOf: [{ type: 'number' }, { type: 'integer' }] } } } });
      expect(validate({ n: 1 })).toBe(false);
      expect(validationFields('body', validate.errors ?? [])).toEqual([{ field: 'body.n', message: 'must match exactly one of the accepted forms, and matches several' }]);
    });

    it('in querystrings too (coerced): a number or a word', () => {
      const validate = compile({ httpPart: 'querystring', schema: { type: 'object', properties: { limit: { anyOf: [{ type: 'integer', minimum: 1 }, { const: 'all' }] } } } });
      expect(validate({ limit: '5' })).toBe(true);
      expect(validate({ limit: 'many' })).toBe(false);
      expect(validationFields('querystring', validate.errors ?? [])).toEqual([{ field: 'query.limit', message: 'must be an integer or "all"' }]);
      expect(validate({ limit: '0' })).toBe(false);
      expect(validationFields('querystring', validate.errors ?? [])).toEqual([{ field: 'query.limit', message: 'must be >= 1' }]);
    });
  });
});

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
      { field: 'body.cpus', message: 'must be number' },
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
    expect(errorsOf('params', 'x').fields).toEqual([{ field: 'params', message: 'must be object' }]);
  });

  it('resolves shared schemas by $id', () => {
    const compile = buildRequestValidator({ Res: { $id: 'Res', type: 'object', properties: { cpus: { type: 'number' } } } });
    const validate = compile({ schema: { type: 'object', properties: { res: { $ref: 'Res#' } } }, httpPart: 'body' });
    expect(validate({ res: { cpus: 1 } })).toBe(true);
    expect(validate({ res: { cpus: 'x' } })).toBe(false);
  });
});

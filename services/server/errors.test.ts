import { describe, expect, it } from 'vitest';
import { ApiError, ERRORS, defineErrors, errorCatalogue, fromCallError, lookupError } from './errors.ts';

describe('error registry', () => {
  it('holds the core errors with unique, well-formed codes', () => {
    const codes = Object.values(ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const spec of Object.values(ERRORS)) {
      expect(spec.code).toMatch(/^ORR_ERR_[A-Z0-9_]+$/);
      expect(lookupError(spec.code)).toMatchObject({ ...spec, area: 'core' });
    }
  });

  it('lets an area add its errors to the one catalogue, sorted by code', () => {
    const JOBS = defineErrors('jobs', {
      JOB_NOT_FOUND: { code: 'ORR_ERR_JOB_NOT_FOUND', status: 404, title: 'Job not found', retryable: false },
      JOB_CYCLE: { code: 'ORR_ERR_JOB_CYCLE', status: 422, title: 'Dependencies form a cycle', retryable: false },
    });
    expect(JOBS.JOB_CYCLE.status).toBe(422);
    const codes = errorCatalogue().map((e) => e.code);
    expect(codes).toContain('ORR_ERR_JOB_CYCLE');
    expect(codes).toEqual([...codes].sort());
    expect(lookupError('ORR_ERR_JOB_NOT_FOUND')?.area).toBe('jobs');
  });

  it('refuses a reused code, a malformed code, a non-error status and a bad area', () => {
    expect(() => defineErrors('apps', { X: { code: 'ORR_ERR_TASK_NOT_FOUND', status: 404, title: 'x', retryable: false } })).toThrow(/already defined by area 'core'/);
    expect(() => defineErrors('apps', { X: { code: 'APP_NOT_FOUND', status: 404, title: 'x', retryable: false } })).toThrow(/must match/);
    expect(() => defineErrors('apps', { X: { code: 'ORR_ERR_APP_OK', status: 200, title: 'x', retryable: false } })).toThrow(/not an HTTP error status/);
    expect(() => defineErrors('Apps', {})).toThrow(/kebab-case/);
  });
});

describe('fromCallError', () => {
  it('keeps the meaning of known core codes', () => {
    const cases: Array<[string, number, string]> = [
      ['TASK_NOT_FOUND', 404, ERRORS.TASK_NOT_FOUND.code],
      ['OFFER_NOT_FOUND', 404, ERRORS.OFFER_NOT_FOUND.code],
      ['SANDBOX_PATH_INVALID', 400, ERRORS.SANDBOX_PATH_INVALID.code],
      ['RESOURCES_UNSATISFIABLE', 422, ERRORS.RESOURCES_UNSATISFIABLE.code],
      ['INVALID_RANGE', 400, ERRORS.VALIDATION.code],
      ['INVALID_TASK', 400, ERRORS.VALIDATION.code],
    ];
    for (const [code, status, apiCode] of cases) {
      const e = fromCallError({ code, message: `m-${code}` });
      expect(e).toBeInstanceOf(ApiError);
      expect([e.status, e.code, e.detail]).toEqual([status, apiCode, `m-${code}`]);
    }
  });

  it('turns unknown codes into a validation error and qualifies the field', () => {
    const e = fromCallError({ code: 'SOMETHING_NEW', message: 'cpus must be positive', field: 'resources.cpus' }, 'body');
    expect([e.status, e.code]).toEqual([400, ERRORS.VALIDATION.code]);
    expect(e.fields).toEqual([{ field: 'body.resources.cpus', message: 'cpus must be positive' }]);
    expect(e.cause).toEqual({ code: 'SOMETHING_NEW', message: 'cpus must be positive', field: 'resources.cpus' });
  });

  it('does not treat inherited object keys as codes', () => {
    expect(fromCallError({ code: 'constructor', message: 'x' }).code).toBe(ERRORS.VALIDATION.code);
  });
});

/**
 * The jobs area's error codes, and the one mapping from a service error (JobsError) to an HTTP problem.
 * Codes are never reused once shipped.
 */
import { ApiError, defineErrors, type FieldError } from '../server/errors.ts';
import type { JobFieldError } from './job-model.ts';
import type { JobsError } from './jobs-service.ts';

export const JOB_ERRORS = defineErrors('jobs', {
  JOB_NOT_FOUND: { code: 'ORR_ERR_JOB_NOT_FOUND', status: 404, title: 'Job not found', retryable: false },
  RUN_NOT_FOUND: { code: 'ORR_ERR_JOB_RUN_NOT_FOUND', status: 404, title: 'Run not found', retryable: false },
  INVALID: { code: 'ORR_ERR_JOB_INVALID', status: 400, title: 'Invalid job definition', retryable: false },
  SCHEDULE_INVALID: { code: 'ORR_ERR_JOB_SCHEDULE_INVALID', status: 400, title: 'Invalid schedule or time zone', retryable: false },
  UNKNOWN_PARENT: { code: 'ORR_ERR_JOB_UNKNOWN_PARENT', status: 422, title: 'Parent job does not exist', retryable: false },
  DEPENDENCY_CYCLE: { code: 'ORR_ERR_JOB_DEPENDENCY_CYCLE', status: 422, title: 'Dependencies would form a cycle', retryable: false },
  HAS_CHILDREN: { code: 'ORR_ERR_JOB_HAS_CHILDREN', status: 409, title: 'Other jobs depend on this job', retryable: false },
  VERSION_CONFLICT: { code: 'ORR_ERR_JOB_VERSION_CONFLICT', status: 409, title: 'Job changed since the version given', retryable: false },
  RUN_ACTIVE: { code: 'ORR_ERR_JOB_RUN_ACTIVE', status: 409, title: 'A run is active and the concurrency policy forbids another', retryable: true },
  UNAVAILABLE: { code: 'ORR_ERR_JOB_SERVICE_UNAVAILABLE', status: 503, title: 'Jobs service not running', retryable: true },
});

/** Field errors of a job body, as problem fields (`body.<field>`). */
export function invalidJob(errors: JobFieldError[], prefix = 'body'): ApiError {
  const fields: FieldError[] = errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message }));
  const onlySchedule = errors.every((e) => e.field === 'schedule' || e.field === 'timeZone' || e.field === 'scheduleTimeZone');
  const detail = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new ApiError(onlySchedule ? JOB_ERRORS.SCHEDULE_INVALID : JOB_ERRORS.INVALID, detail, { fields });
}

/** A service error as the HTTP problem it means. `parentsField` names where parents were given. */
export function toApiError(e: JobsError, at: { name?: string; parentsField?: string } = {}): ApiError {
  const parents = at.parentsField ?? 'body.parents';
  switch (e.code) {
    case 'NOT_FOUND':
      return new ApiError(JOB_ERRORS.JOB_NOT_FOUND, e.message, { fields: [{ field: at.name ?? 'params.name', message: 'no such job' }] });
    case 'RUN_NOT_FOUND':
      return new ApiError(JOB_ERRORS.RUN_NOT_FOUND, e.message, { fields: [{ field: 'params.id', message: 'no such run' }] });
    case 'INVALID':
      return invalidJob(e.fields);
    case 'UNKNOWN_PARENT':
      return new ApiError(JOB_ERRORS.UNKNOWN_PARENT, e.message, { fields: [{ field: parents, message: `unknown job(s): ${e.unknown.join(', ')}` }] });
    case 'CYCLE':
      return new ApiError(JOB_ERRORS.DEPENDENCY_CYCLE, e.message, { fields: [{ field: parents, message: `would close the cycle ${e.cycle.join(' → ')}` }] });
    case 'HAS_CHILDREN':
      return new ApiError(JOB_ERRORS.HAS_CHILDREN, e.message, { fields: [{ field: 'params.name', message: `children: ${e.children.join(', ')}` }] });
    case 'VERSION_CONFLICT':
      return new ApiError(JOB_ERRORS.VERSION_CONFLICT, e.message, { fields: [{ field: 'body.version', message: e.message }] });
    case 'RUN_CONFLICT':
      return new ApiError(JOB_ERRORS.RUN_ACTIVE, e.message);
    case 'UNAVAILABLE':
      return new ApiError(JOB_ERRORS.UNAVAILABLE, e.message);
  }
}

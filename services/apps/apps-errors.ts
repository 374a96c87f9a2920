/** The apps area's error codes, and the mapping of the service's error values to API errors. */
import { ApiError, defineErrors, ERRORS, type ErrorSpec } from '../server/errors.ts';
import type { AppsError } from './app-changes.ts';

export const APPS_ERRORS = defineErrors('apps', {
  APP_NOT_FOUND: { code: 'ORR_ERR_APP_NOT_FOUND', status: 404, title: 'App not found', retryable: false },
  APP_EXISTS: { code: 'ORR_ERR_APP_EXISTS', status: 409, title: 'An app with this id already exists', retryable: false },
  APP_LOCKED: { code: 'ORR_ERR_APP_LOCKED', status: 409, title: 'App is locked by a running deployment (retry later or force)', retryable: true },
  APP_VERSION_NOT_FOUND: { code: 'ORR_ERR_APP_VERSION_NOT_FOUND', status: 404, title: 'App version not found', retryable: false },
  APP_TASK_NOT_FOUND: { code: 'ORR_ERR_APP_TASK_NOT_FOUND', status: 404, title: 'The app has no such task', retryable: false },
  APP_DEPLOYMENT_NOT_FOUND: { code: 'ORR_ERR_APP_DEPLOYMENT_NOT_FOUND', status: 404, title: 'Deployment not found', retryable: false },
  APP_DEPLOYMENT_FINISHED: { code: 'ORR_ERR_APP_DEPLOYMENT_FINISHED', status: 409, title: 'Deployment already ended', retryable: false },
  APP_INVALID: { code: 'ORR_ERR_APP_INVALID', status: 422, title: 'App definition is not valid', retryable: false },
  APP_UNAVAILABLE: { code: 'ORR_ERR_APP_UNAVAILABLE', status: 503, title: 'Apps service unavailable (store or master not reachable)', retryable: true },
});

const BY_CODE: Readonly<Record<AppsError['code'], ErrorSpec>> = {
  INVALID: ERRORS.VALIDATION,
  APP_NOT_FOUND: APPS_ERRORS.APP_NOT_FOUND,
  APP_EXISTS: APPS_ERRORS.APP_EXISTS,
  APP_LOCKED: APPS_ERRORS.APP_LOCKED,
  VERSION_NOT_FOUND: APPS_ERRORS.APP_VERSION_NOT_FOUND,
  TASK_NOT_FOUND: APPS_ERRORS.APP_TASK_NOT_FOUND,
  DEPLOYMENT_NOT_FOUND: APPS_ERRORS.APP_DEPLOYMENT_NOT_FOUND,
  DEPLOYMENT_FINISHED: APPS_ERRORS.APP_DEPLOYMENT_FINISHED,
  UNAVAILABLE: APPS_ERRORS.APP_UNAVAILABLE,
};

/** The ApiError for a service error. `invalidAs` lets the Marathon routes answer invalid definitions with 422. */
export function apiErrorOf(e: AppsError, invalidAs: ErrorSpec = ERRORS.VALIDATION): ApiError {
  const spec = e.code === 'INVALID' ? invalidAs : BY_CODE[e.code];
  return new ApiError(spec, e.message, { fields: e.fields, cause: e });
}

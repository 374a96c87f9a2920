/**
 * Shapes of the apps API (`/v1/apps…`, `/v1/deployments…`; api-spec: App, AppTask, AppDeployment, AppPending),
 * named from the generated schema.ts (see types.ts), and its calls.
 */
import type { components } from './schema.ts';
import { request } from './http.ts';
import type { ResponseOf } from './types.ts';

export type App = components['schemas']['App'];
export type AppStatus = App['status'];
/** GET /v1/apps. */
export type AppList = ResponseOf<'listApps', 200>;

export type AppTask = components['schemas']['AppTask'];
/** GET /v1/apps/{id}/tasks. */
export type AppTaskList = ResponseOf<'listAppTasks', 200>;
/** GET /v1/apps/{id}/versions. */
export type AppVersionList = ResponseOf<'listAppVersions', 200>;

export type AppPending = components['schemas']['AppPending'];

/** Event type prefixes that change what the apps pages show. */
export const APP_TOPICS = ['app.', 'deployment.', 'instance.'];

export const appPath = (id: string, rest = ''): string => `/v1/apps/${encodeURIComponent(id)}${rest}`;

export const appActions = {
  /** Forced: a newer scale target replaces a scale deployment still running (clicking + twice means 3). */
  scale: (id: string, instances: number) => request<ResponseOf<'scaleApp', 200>>('POST', `${appPath(id, '/scale')}?force=true`, { instances }),
  suspend: (id: string) => request<ResponseOf<'suspendApp', 200>>('POST', `${appPath(id, '/suspend')}?force=true`),
  restart: (id: string) => request<ResponseOf<'restartApp', 200>>('POST', appPath(id, '/restart')),
  /** Forced too: an app whose deployment cannot finish (no offer fits it) must still go when asked. */
  destroy: (id: string) => request<ResponseOf<'deleteApp', 200>>('DELETE', `${appPath(id)}?force=true`),
  rollback: (id: string, version: string) => request<ResponseOf<'rollbackApp', 200>>('POST', appPath(id, '/rollback'), { version }),
  killTask: (id: string, taskId: string) => request<ResponseOf<'killAppTask', 202>>('DELETE', appPath(id, `/tasks/${encodeURIComponent(taskId)}`)),
  cancelDeployment: (deploymentId: string) => request<ResponseOf<'cancelDeployment', 200>>('DELETE', `/v1/deployments/${encodeURIComponent(deploymentId)}`),
  create: (body: Record<string, unknown>) => request<ResponseOf<'createApp', 201>>('POST', '/v1/apps', body),
};

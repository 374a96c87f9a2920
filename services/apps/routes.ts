/**
 * The native apps API: `/v1/apps…` and `/v1/deployments…`. App ids are paths, documented URL-encoded in one path
 * segment (`/v1/apps/%2Fprod%2Fweb/tasks`); unencoded ones are rewritten to that before routing (app-paths.ts);
 * see APP_ID_DESCRIPTION. Handlers read `deps.apps()` only when a
 * request arrives (the spec is generated without a running service).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Result } from '../../core/errors/result.ts';
import { problemResponse } from '../server/problem.ts';
import type { RouteModule } from '../server/http-server.ts';
import type { AppsError } from './app-changes.ts';
import {
  appDefinitionBody,
  appIdParams,
  appPatchBody,
  appPutBody,
  changeSchema,
  forceQuery,
  SHARED_SCHEMAS,
} from './app-schemas.ts';
import { encodeAppIdInUrl } from './app-paths.ts';
import { apiErrorOf } from './apps-errors.ts';
import type { AppsService, ChangeView } from './apps-service.ts';

export interface AppsRouteDeps {
  apps(): AppsService;
}

type IdParams = { id: string };
type Force = { force: boolean };

function value<T>(r: Result<T, AppsError>): T {
  if (!r.ok) throw apiErrorOf(r.error);
  return r.value;
}

function sendChange(reply: FastifyReply, r: Result<ChangeView, AppsError>): ChangeView {
  const v = value(r);
  reply.header('deployment-id', v.deploymentId);
  if (v.created) reply.code(201).header('location', `/v1/apps/${encodeURIComponent(String(v.app?.id ?? ''))}`);
  return v;
}

const TAGS = ['apps'];
const notFound = problemResponse('No such app (ORR_ERR_APP_NOT_FOUND)');
const locked = problemResponse('The app is locked by a running deployment (ORR_ERR_APP_LOCKED), or it already exists (ORR_ERR_APP_EXISTS)');
const changeResponses = { 200: changeSchema, 404: notFound, 409: locked };

export function appsRoutes(deps: AppsRouteDeps): RouteModule {
  const mod: RouteModule = (app: FastifyInstance) => {
    for (const s of SHARED_SCHEMAS) app.addSchema(s);

    app.post('/v1/apps', {
      config: { access: 'operator' },
      schema: { operationId: 'createApp', tags: TAGS, summary: 'Create an app: starts a deployment', body: appDefinitionBody, response: { 201: changeSchema, 409: locked } },
      handler: async (req, reply) => sendChange(reply, await deps.apps().createApp(req.body)),
    });

    app.get<{ Querystring: { id?: string; label?: string; limit: number; offset: number } }>('/v1/apps', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listApps',
        tags: TAGS,
        summary: 'Apps with counts (wanted, staged, running, healthy, unhealthy), status and current deployment',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            id: { type: 'string', maxLength: 200, description: 'Only apps whose id contains this' },
            label: { type: 'string', maxLength: 1024, description: 'Label selector: `k`, `k==v`, `k!=v`, comma = and' },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: { 200: { type: 'object', required: ['total', 'apps'], properties: { total: { type: 'integer' }, apps: { type: 'array', items: { $ref: 'App#' } } } } },
      },
      // Pre-serialized from cached per-app views (the views hold exactly the documented fields; tests check the
      // responses against the spec): 1,000 apps cost a string join when nothing changed.
      handler: async (req, reply) => reply.type('application/json; charset=utf-8').send(deps.apps().listAppsJson(req.query)),
    });

    app.get<{ Params: IdParams }>('/v1/apps/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getApp', tags: TAGS, summary: 'One app', params: appIdParams, response: { 200: { $ref: 'App#' }, 404: notFound } },
      handler: async (req) => value(deps.apps().getApp(req.params.id)),
    });

    app.put<{ Params: IdParams; Querystring: Force }>('/v1/apps/:id', {
      config: { access: 'operator' },
      schema: {
        operationId: 'putApp',
        tags: TAGS,
        summary: 'Create or replace an app with a full definition: starts a deployment',
        params: appIdParams,
        querystring: forceQuery,
        body: appPutBody,
        response: { ...changeResponses, 201: changeSchema },
      },
      handler: async (req, reply) => sendChange(reply, await deps.apps().putApp(req.params.id, req.body, { force: req.query.force })),
    });

    app.patch<{ Params: IdParams; Querystring: Force }>('/v1/apps/:id', {
      config: { access: 'operator' },
      schema: {
        operationId: 'patchApp',
        tags: TAGS,
        summary: 'Change some fields of an app (JSON merge patch; null resets a field to its default): starts a deployment',
        params: appIdParams,
        querystring: forceQuery,
        body: appPatchBody,
        response: changeResponses,
      },
      handler: async (req, reply) => sendChange(reply, await deps.apps().patchApp(req.params.id, req.body, { force: req.query.force })),
    });

    app.delete<{ Params: IdParams; Querystring: Force }>('/v1/apps/:id', {
      config: { access: 'operator' },
      schema: { operationId: 'deleteApp', tags: TAGS, summary: 'Delete an app: a deployment stops its tasks, then the app is gone', params: appIdParams, querystring: forceQuery, response: changeResponses },
      handler: async (req, reply) => sendChange(reply, await deps.apps().deleteApp(req.params.id, { force: req.query.force })),
    });

    app.post<{ Params: IdParams; Querystring: Force; Body: { instances: number } }>('/v1/apps/:id/scale', {
      config: { access: 'operator' },
      schema: {
        operationId: 'scaleApp',
        tags: TAGS,
        summary: 'Set the number of instances: starts a deployment',
        params: appIdParams,
        querystring: forceQuery,
        body: { type: 'object', required: ['instances'], additionalProperties: false, properties: { instances: { type: 'integer', minimum: 0, maximum: 10000 } } },
        response: changeResponses,
      },
      handler: async (req, reply) => sendChange(reply, await deps.apps().scaleApp(req.params.id, req.body.instances, { force: req.query.force })),
    });

    app.post<{ Params: IdParams; Querystring: Force }>('/v1/apps/:id/suspend', {
      config: { access: 'operator' },
      schema: { operationId: 'suspendApp', tags: TAGS, summary: 'Scale to 0 instances, keeping the definition', params: appIdParams, querystring: forceQuery, response: changeResponses },
      handler: async (req, reply) => sendChange(reply, await deps.apps().suspendApp(req.params.id, { force: req.query.force })),
    });

    app.post<{ Params: IdParams; Querystring: Force }>('/v1/apps/:id/restart', {
      config: { access: 'operator' },
      schema: { operationId: 'restartApp', tags: TAGS, summary: 'Replace every task by a rolling restart within the upgrade strategy', params: appIdParams, querystring: forceQuery, response: changeResponses },
      handler: async (req, reply) => sendChange(reply, await deps.apps().restartApp(req.params.id, { force: req.query.force })),
    });

    app.post<{ Params: IdParams; Querystring: Force; Body: { version?: string } | undefined }>('/v1/apps/:id/rollback', {
      config: { access: 'operator' },
      schema: {
        operationId: 'rollbackApp',
        tags: TAGS,
        summary: 'Deploy a stored version again (default: the one before the current)',
        params: appIdParams,
        querystring: forceQuery,
        body: { type: 'object', additionalProperties: false, properties: { version: { type: 'string', maxLength: 64, description: 'A version from GET …/versions' } } },
        response: changeResponses,
      },
      // The body is optional: no body means "the version before the current one".
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {};
      },
      handler: async (req, reply) => sendChange(reply, await deps.apps().rollbackApp(req.params.id, req.body?.version, { force: req.query.force })),
    });

    app.get<{ Params: IdParams }>('/v1/apps/:id/tasks', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listAppTasks',
        tags: TAGS,
        summary: "The app's tasks: host, ports, state, health, started, version",
        params: appIdParams,
        response: { 200: { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: { $ref: 'AppTask#' } } } }, 404: notFound },
      },
      handler: async (req) => ({ tasks: value(deps.apps().tasks(req.params.id)) }),
    });

    app.delete<{ Params: IdParams & { taskId: string }; Querystring: Force & { scale: boolean } }>('/v1/apps/:id/tasks/:taskId', {
      config: { access: 'operator' },
      schema: {
        operationId: 'killAppTask',
        tags: TAGS,
        summary: 'Kill one task; it is replaced unless scale=true (then the app wants one instance fewer)',
        params: {
          type: 'object',
          required: ['id', 'taskId'],
          additionalProperties: false,
          properties: { id: appIdParams.properties.id, taskId: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$' } },
        },
        querystring: { type: 'object', additionalProperties: false, properties: { ...forceQuery.properties, scale: { type: 'boolean', default: false } } },
        response: {
          202: { type: 'object', required: ['task'], properties: { task: { $ref: 'AppTask#' }, deployment: { $ref: 'AppDeployment#' } } },
          404: problemResponse('No such app or task'),
          409: locked,
        },
      },
      handler: async (req, reply) => {
        const r = value(await deps.apps().killTask(req.params.id, req.params.taskId, { scale: req.query.scale, force: req.query.force }));
        reply.code(202);
        return r;
      },
    });

    app.get<{ Params: IdParams }>('/v1/apps/:id/versions', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listAppVersions',
        tags: TAGS,
        summary: 'Stored versions of the app, newest first (the last 50)',
        params: appIdParams,
        response: { 200: { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: { type: 'string' } } } }, 404: notFound },
      },
      handler: async (req) => ({ versions: value(await deps.apps().versions(req.params.id)) }),
    });

    app.get<{ Params: IdParams & { version: string } }>('/v1/apps/:id/versions/:version', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getAppVersion',
        tags: TAGS,
        summary: 'The app definition at one version',
        params: { type: 'object', required: ['id', 'version'], additionalProperties: false, properties: { id: appIdParams.properties.id, version: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 200: { $ref: 'AppDefinition#' }, 404: problemResponse('No such app or version') },
      },
      handler: async (req) => value(await deps.apps().version(req.params.id, req.params.version)),
    });

    app.get<{ Params: IdParams }>('/v1/apps/:id/pending', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getAppPending',
        tags: TAGS,
        summary: 'Why waiting instances are not placed: per agent (cpus, mem, ports, constraint), backoff, deployment step',
        params: appIdParams,
        response: { 200: { $ref: 'AppPending#' }, 404: notFound },
      },
      handler: async (req) => value(deps.apps().pending(req.params.id)),
    });

    app.get<{ Querystring: { all: boolean } }>('/v1/deployments', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listDeployments',
        tags: TAGS,
        summary: 'Running deployments (all=true adds recently finished ones)',
        querystring: { type: 'object', additionalProperties: false, properties: { all: { type: 'boolean', default: false } } },
        response: { 200: { type: 'object', required: ['deployments'], properties: { deployments: { type: 'array', items: { $ref: 'AppDeployment#' } } } } },
      },
      handler: async (req) => ({ deployments: deps.apps().deployments({ all: req.query.all }) }),
    });

    const deploymentParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } } } as const;

    app.get<{ Params: IdParams }>('/v1/deployments/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getDeployment', tags: TAGS, summary: 'One deployment: steps, progress, deadline, result', params: deploymentParams, response: { 200: { $ref: 'AppDeployment#' }, 404: problemResponse('No such deployment') } },
      handler: async (req) => value(deps.apps().deployment(req.params.id)),
    });

    app.delete<{ Params: IdParams; Querystring: Force }>('/v1/deployments/:id', {
      config: { access: 'operator' },
      schema: {
        operationId: 'cancelDeployment',
        tags: TAGS,
        summary: 'Cancel a running deployment: a new deployment reverts to the previous definition; force=true only stops it',
        params: deploymentParams,
        querystring: { type: 'object', additionalProperties: false, properties: { force: { type: 'boolean', default: false, description: 'Stop without reverting: the app keeps its new definition' } } },
        response: {
          200: { type: 'object', required: ['cancelled'], properties: { cancelled: { $ref: 'AppDeployment#' }, revert: { $ref: 'AppDeployment#' } } },
          404: problemResponse('No such deployment'),
          409: problemResponse('The deployment already ended (ORR_ERR_APP_DEPLOYMENT_FINISHED)'),
        },
      },
      handler: async (req) => value(await deps.apps().cancelDeployment(req.params.id, { force: req.query.force })),
    });
  };
  // Unencoded ids (`/v1/apps/qa/web/tasks`) are read as encoded ones, as /v2 reads them (app-paths.ts).
  mod.rewriteUrl = encodeAppIdInUrl;
  return mod;
}

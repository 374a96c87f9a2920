/**
 * Marathon-compatible routes under /v2, thin adapters over AppsService: Marathon's app, task and deployment JSON
 * in and out, `Marathon-Deployment-Id` headers, `?force`, `partialUpdate`. App ids are unencoded paths
 * (`/v2/apps/prod/web/tasks`), so each method has one wildcard route that reads the sub-resource from the end of
 * the path; ids may not end in `tasks`, `versions` or `restart`, which keeps that unambiguous.
 *
 * Errors are problem+json documents (as everywhere) that also carry Marathon's `message` (and `details` with
 * `path`/`errors` for invalid definitions, answered 422 as Marathon does), so Marathon tooling reads them.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Result } from '../../core/errors/result.ts';
import { ApiError, ERRORS, type ErrorSpec } from '../server/errors.ts';
import type { RouteModule } from '../server/http-server.ts';
import { PROBLEM_MEDIA_TYPE, problemResponse, renderProblem } from '../server/problem.ts';
import { mergePatch, type AppsError } from './app-changes.ts';
import { APPS_ERRORS, apiErrorOf } from './apps-errors.ts';
import type { AppsService, ChangeView } from './apps-service.ts';
import { fromMarathonApp, marathonDetails, toMarathonApp, toMarathonDeployment, toMarathonTask } from './marathon-json.ts';

/** The same shape as the server's deps (`apps()`, `leader()`), read only inside handlers. */
export interface MarathonRouteDeps {
  apps(): AppsService;
  /** The current leader (its `address` is a URL such as `http://127.0.0.1:8080`), if there is one. */
  leader?(): { address: string } | undefined;
}

export interface MarathonRouteOptions {
  /** What `/v2/info` reports as `version` (the package version). */
  version?: string;
}

type Json = Record<string, unknown>;
const TAGS = ['marathon'];

/** Marathon's app JSON: open (Marathon has many optional fields), the ones clients read are listed. */
const marathonAppSchema = {
  $id: 'MarathonApp',
  type: 'object',
  description: "Marathon's AppInfo (RAML v2/types/app.raml): the definition plus tasksStaged/Running/Healthy/Unhealthy, deployments and, when embedded, tasks",
  required: ['id', 'instances', 'version', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments'],
  properties: {
    id: { type: 'string' },
    cmd: { type: ['string', 'null'] },
    args: { type: ['array', 'null'], items: { type: 'string' } },
    instances: { type: 'integer' },
    cpus: { type: 'number' },
    mem: { type: 'number' },
    version: { type: 'string' },
    tasksStaged: { type: 'integer' },
    tasksRunning: { type: 'integer' },
    tasksHealthy: { type: 'integer' },
    tasksUnhealthy: { type: 'integer' },
    deployments: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } },
    tasks: { type: 'array', items: { $ref: 'MarathonTask#' } },
  },
} as const;

const marathonTaskSchema = {
  $id: 'MarathonTask',
  type: 'object',
  required: ['id', 'appId', 'host', 'ports', 'slaveId', 'state', 'stagedAt', 'version'],
  properties: {
    id: { type: 'string' },
    appId: { type: 'string' },
    host: { type: 'string' },
    ports: { type: 'array', items: { type: 'integer' } },
    slaveId: { type: 'string' },
    state: { type: 'string', pattern: '^TASK_' },
    stagedAt: { type: 'string' },
    startedAt: { type: 'string' },
    version: { type: 'string' },
    healthCheckResults: { type: 'array', items: { type: 'object' } },
  },
} as const;

const marathonDeploymentSchema = {
  $id: 'MarathonDeployment',
  type: 'object',
  required: ['id', 'version', 'affectedApps', 'steps', 'currentActions', 'currentStep', 'totalSteps'],
  properties: {
    id: { type: 'string' },
    version: { type: 'string' },
    affectedApps: { type: 'array', items: { type: 'string' } },
    affectedPods: { type: 'array', items: { type: 'string' } },
    steps: { type: 'array', items: { type: 'object' } },
    currentActions: { type: 'array', items: { type: 'object' } },
    currentStep: { type: 'integer' },
    totalSteps: { type: 'integer' },
  },
} as const;

const deploymentResult = { type: 'object', required: ['deploymentId', 'version'], properties: { deploymentId: { type: 'string' }, version: { type: 'string' } } } as const;
const appRef = { $ref: 'MarathonApp#' } as const;
const wildcardParams = { type: 'object', required: ['*'], properties: { '*': { type: 'string', maxLength: 512, description: 'App id path, optionally followed by /tasks, /versions[/<version>], /restart or /tasks/<taskId>' } } } as const;
const forceQuery = { force: { type: 'boolean', default: false } } as const;

/** Sends a problem document that also speaks Marathon (`message`, and `details` for invalid definitions). */
function fail(reply: FastifyReply, url: string, e: ApiError | AppsError, details?: Json[]): FastifyReply {
  const api = e instanceof ApiError ? e : apiErrorOf(e, APPS_ERRORS.APP_INVALID);
  const body: Json = { ...renderProblem(api.spec, api.detail, url, api.fields), message: marathonMessage(api) };
  if (details) body.details = details;
  else if (api.spec === APPS_ERRORS.APP_INVALID && api.fields) body.details = marathonDetails(api.fields);
  if (!(e instanceof ApiError) && e.deployments) body.deployments = e.deployments.map((id) => ({ id }));
  return reply.code(api.status).type(PROBLEM_MEDIA_TYPE).send(JSON.stringify(body));
}

function marathonMessage(e: ApiError): string {
  if (e.spec === APPS_ERRORS.APP_INVALID) return 'Object is not valid';
  if (e.spec === APPS_ERRORS.APP_LOCKED) return "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.";
  return e.detail;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function sendDeployment(reply: FastifyReply, url: string, r: Result<ChangeView, AppsError>, created = false): FastifyReply {
  if (!r.ok) return fail(reply, url, r.error);
  reply.header('Marathon-Deployment-Id', r.value.deploymentId);
  if (created && r.value.app) {
    reply.header('location', `/v2/apps${String(r.value.app.id)}`);
    return sendJson(reply, 201, toMarathonApp(r.value.app));
  }
  return sendJson(reply, r.value.created ? 201 : 200, { deploymentId: r.value.deploymentId, version: r.value.version });
}

/** `prod/web/tasks` → { id: '/prod/web', sub: 'tasks' }. */
function splitPath(rest: string): { id: string; sub?: 'tasks' | 'versions' | 'restart'; arg?: string } {
  const path = `/${rest.replace(/^\/+|\/+$/g, '')}`;
  let m = /^(.*)\/versions\/([^/]+)$/.exec(path);
  if (m && m[2].includes(':')) return { id: m[1], sub: 'versions', arg: decodeURIComponent(m[2]) };
  m = /^(.*)\/tasks\/([^/]+)$/.exec(path);
  if (m) return { id: m[1], sub: 'tasks', arg: m[2] };
  m = /^(.*)\/(tasks|versions|restart)$/.exec(path);
  if (m) return { id: m[1], sub: m[2] as 'tasks' | 'versions' | 'restart' };
  return { id: path };
}

function embedded(embed: string | string[] | undefined, what: string): boolean {
  const list = embed === undefined ? [] : Array.isArray(embed) ? embed : [embed];
  return list.includes(what);
}

export function marathonRoutes(deps: MarathonRouteDeps, opts: MarathonRouteOptions = {}): RouteModule {
  return (app: FastifyInstance) => {
    app.addSchema(marathonTaskSchema);
    app.addSchema(marathonAppSchema);
    app.addSchema(marathonDeploymentSchema);

    const marathonApp = (svc: AppsService, view: Json, withTasks: boolean): Json => {
      const tasks = withTasks ? svc.tasks(String(view.id)) : undefined;
      return toMarathonApp(view, tasks?.ok ? tasks.value : undefined);
    };

    app.get<{ Querystring: { cmd?: string; id?: string; label?: string; embed?: string | string[] } }>('/v2/apps', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonListApps',
        tags: TAGS,
        summary: 'Marathon: list apps (filters cmd, id, label; embed=apps.tasks)',
        querystring: {
          type: 'object',
          properties: {
            cmd: { type: 'string', maxLength: 1024 },
            id: { type: 'string', maxLength: 200 },
            label: { type: 'string', maxLength: 1024 },
            embed: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } }] },
          },
        },
        response: { 200: { type: 'object', required: ['apps'], properties: { apps: { type: 'array', items: appRef } } } },
      },
      handler: async (req, reply) => {
        const svc = deps.apps();
        const withTasks = embedded(req.query.embed, 'apps.tasks');
        const apps = svc
          .listApps({ id: req.query.id, label: req.query.label })
          .apps.filter((a) => !req.query.cmd || String(a.cmd ?? '').includes(req.query.cmd))
          .map((a) => marathonApp(svc, a, withTasks));
        return sendJson(reply, 200, { apps });
      },
    });

    app.post('/v2/apps', {
      config: { access: 'operator' },
      schema: { operationId: 'marathonCreateApp', tags: TAGS, summary: 'Marathon: create an app (201, Marathon-Deployment-Id header)', body: { type: 'object', maxProperties: 100 }, response: { 201: appRef, 409: problemResponse('App exists'), 422: problemResponse('Object is not valid') } },
      handler: async (req, reply) => {
        const conv = fromMarathonApp(req.body);
        if (!conv.ok) return fail(reply, req.url, { code: 'INVALID', message: 'Object is not valid', fields: conv.error });
        return sendDeployment(reply, req.url, await deps.apps().createApp(conv.value), true);
      },
    });

    app.get<{ Params: { '*': string }; Querystring: { embed?: string | string[] } }>('/v2/apps/*', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonGetApp',
        tags: TAGS,
        summary: 'Marathon: one app ({app}), or its /tasks, /versions, /versions/<version>',
        params: wildcardParams,
        querystring: { type: 'object', properties: { embed: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } }] } } },
        response: {
          200: {
            anyOf: [
              { type: 'object', required: ['app'], properties: { app: appRef } },
              { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: { $ref: 'MarathonTask#' } } } },
              { type: 'object', required: ['versions'], properties: { versions: { type: 'array', items: { type: 'string' } } } },
              { type: 'object', required: ['id', 'version'], properties: { id: { type: 'string' }, version: { type: 'string' } } },
            ],
          },
          404: problemResponse("App '…' does not exist"),
        },
      },
      handler: async (req, reply) => {
        const svc = deps.apps();
        const { id, sub, arg } = splitPath(req.params['*']);
        if (sub === 'restart') return fail(reply, req.url, new ApiError(ERRORS.NOT_FOUND, 'restart is POST /v2/apps/{id}/restart'));
        if (sub === 'tasks') {
          const t = svc.tasks(id);
          return t.ok ? sendJson(reply, 200, { tasks: t.value.map(toMarathonTask) }) : fail(reply, req.url, notFound(id, t.error));
        }
        if (sub === 'versions' && arg) {
          const v = await svc.version(id, arg);
          return v.ok ? sendJson(reply, 200, toMarathonApp({ ...v.value, counts: {}, deployment: null })) : fail(reply, req.url, v.error);
        }
        if (sub === 'versions') {
          const v = await svc.versions(id);
          return v.ok ? sendJson(reply, 200, { versions: v.value }) : fail(reply, req.url, notFound(id, v.error));
        }
        const a = svc.getApp(id);
        return a.ok ? sendJson(reply, 200, { app: marathonApp(svc, a.value, embedded(req.query.embed, 'app.tasks')) }) : fail(reply, req.url, notFound(id, a.error));
      },
    });

    app.put<{ Params: { '*': string }; Querystring: { force: boolean; partialUpdate: boolean } }>('/v2/apps/*', {
      config: { access: 'operator' },
      schema: {
        operationId: 'marathonPutApp',
        tags: TAGS,
        summary: 'Marathon: create or update an app (partialUpdate=true by default merges over the current definition)',
        params: wildcardParams,
        querystring: { type: 'object', properties: { ...forceQuery, partialUpdate: { type: 'boolean', default: true } } },
        body: { type: 'object', maxProperties: 100 },
        response: { 200: deploymentResult, 201: deploymentResult, 409: problemResponse('App is locked by a deployment'), 422: problemResponse('Object is not valid') },
      },
      handler: async (req, reply) => {
        const svc = deps.apps();
        const { id, sub } = splitPath(req.params['*']);
        if (sub) return fail(reply, req.url, new ApiError(ERRORS.NOT_FOUND, `no PUT for /${sub}`));
        const current = svc.getApp(id);
        const body = req.body as Json;
        const merged = req.query.partialUpdate && current.ok ? mergePatch(toMarathonApp(current.value), stripNulls(body)) : body;
        const conv = fromMarathonApp({ ...(merged as Json), id });
        if (!conv.ok) return fail(reply, req.url, { code: 'INVALID', message: 'Object is not valid', fields: conv.error });
        return sendDeployment(reply, req.url, await svc.putApp(id, conv.value, { force: req.query.force }));
      },
    });

    app.post<{ Params: { '*': string }; Querystring: { force: boolean } }>('/v2/apps/*', {
      config: { access: 'operator' },
      schema: {
        operationId: 'marathonRestartApp',
        tags: TAGS,
        summary: 'Marathon: POST /v2/apps/{id}/restart — rolling restart of all tasks',
        params: wildcardParams,
        querystring: { type: 'object', properties: forceQuery },
        response: { 200: deploymentResult, 404: problemResponse('No such app'), 409: problemResponse('App is locked by a deployment') },
      },
      handler: async (req, reply) => {
        const { id, sub } = splitPath(req.params['*']);
        if (sub !== 'restart') return fail(reply, req.url, new ApiError(ERRORS.NOT_FOUND, 'only POST /v2/apps/{id}/restart exists here'));
        return sendDeployment(reply, req.url, await deps.apps().restartApp(id, { force: req.query.force }));
      },
    });

    app.delete<{ Params: { '*': string }; Querystring: { force: boolean; scale: boolean; wipe?: boolean } }>('/v2/apps/*', {
      config: { access: 'operator' },
      schema: {
        operationId: 'marathonDeleteApp',
        tags: TAGS,
        summary: 'Marathon: destroy an app, or kill one task (/tasks/<taskId>, scale=true to also scale down)',
        params: wildcardParams,
        querystring: { type: 'object', properties: { ...forceQuery, scale: { type: 'boolean', default: false }, wipe: { type: 'boolean' } } },
        response: {
          200: { anyOf: [deploymentResult, { type: 'object', required: ['task'], properties: { task: { $ref: 'MarathonTask#' } } }] },
          404: problemResponse('No such app or task'),
          409: problemResponse('App is locked by a deployment'),
        },
      },
      handler: async (req, reply) => {
        const svc = deps.apps();
        const { id, sub, arg } = splitPath(req.params['*']);
        if (sub === 'tasks' && arg) {
          const r = await svc.killTask(id, arg, { scale: req.query.scale, force: req.query.force });
          if (!r.ok) return fail(reply, req.url, r.error);
          if (r.value.deployment) return sendJson(reply, 200, { deploymentId: r.value.deployment.id, version: r.value.deployment.version });
          return sendJson(reply, 200, { task: toMarathonTask(r.value.task) });
        }
        if (sub) return fail(reply, req.url, new ApiError(ERRORS.NOT_FOUND, `no DELETE for /${sub}`));
        const r = await svc.deleteApp(id, { force: req.query.force });
        return r.ok ? sendDeployment(reply, req.url, r) : fail(reply, req.url, notFound(id, r.error));
      },
    });

    app.get<{ Querystring: { status?: string } }>('/v2/tasks', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonListTasks',
        tags: TAGS,
        summary: 'Marathon: every running or staging task of every app',
        querystring: { type: 'object', properties: { status: { type: 'string', enum: ['running', 'staging'] } } },
        response: { 200: { type: 'object', required: ['tasks'], properties: { tasks: { type: 'array', items: { $ref: 'MarathonTask#' } } } } },
      },
      handler: async (req, reply) => {
        const wanted = req.query.status === 'running' ? 'TASK_RUNNING' : req.query.status === 'staging' ? 'TASK_STAGING' : undefined;
        const tasks = deps.apps().allTasks().map(toMarathonTask).filter((t) => !wanted || t.state === wanted);
        return sendJson(reply, 200, { tasks });
      },
    });

    app.get('/v2/deployments', {
      config: { access: 'viewer' },
      schema: { operationId: 'marathonListDeployments', tags: TAGS, summary: 'Marathon: running deployments', response: { 200: { type: 'array', items: { $ref: 'MarathonDeployment#' } } } },
      handler: async (_req, reply) => sendJson(reply, 200, deps.apps().deployments().map(toMarathonDeployment)),
    });

    app.delete<{ Params: { id: string }; Querystring: { force: boolean } }>('/v2/deployments/:id', {
      config: { access: 'operator' },
      schema: {
        operationId: 'marathonCancelDeployment',
        tags: TAGS,
        summary: 'Marathon: cancel a deployment by rolling back (200 with the new deployment), or with force=true just stop it (202)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } } },
        querystring: { type: 'object', properties: forceQuery },
        response: { 200: deploymentResult, 202: { type: 'object' }, 404: problemResponse('No such deployment') },
      },
      handler: async (req, reply) => {
        const r = await deps.apps().cancelDeployment(req.params.id, { force: req.query.force });
        if (!r.ok) return fail(reply, req.url, r.error);
        if (!r.value.revert) return sendJson(reply, 202, {});
        reply.header('Marathon-Deployment-Id', String(r.value.revert.id));
        return sendJson(reply, 200, { deploymentId: r.value.revert.id, version: r.value.revert.version });
      },
    });

    app.get('/v2/info', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonInfo',
        tags: TAGS,
        summary: 'Marathon: name, version, leader, framework id and configuration',
        response: { 200: { type: 'object', required: ['name', 'version', 'elected'], properties: { name: { type: 'string' }, version: { type: 'string' }, elected: { type: 'boolean' }, leader: { type: ['string', 'null'] }, frameworkId: { type: ['string', 'null'] } } } },
      },
      handler: async (_req, reply) => {
        const leader = hostPort(deps.leader?.()?.address);
        return sendJson(reply, 200, {
          name: 'orrery',
          version: opts.version ?? '0.0.0',
          buildref: 'orrery',
          elected: leader !== null,
          leader,
          frameworkId: deps.apps().frameworkId ?? null,
          marathon_config: { framework_name: 'orrery-apps', failover_timeout: 604800, task_launch_timeout: 300000, mesos_role: '*', checkpoint: true, ha: true },
          zookeeper_config: {},
          http_config: {},
        });
      },
    });

    app.get('/v2/leader', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonLeader',
        tags: TAGS,
        summary: 'Marathon: the current leader as host:port (404 when there is none)',
        response: { 200: { type: 'object', required: ['leader'], properties: { leader: { type: 'string' } } }, 404: problemResponse('No leader') },
      },
      handler: async (req, reply) => {
        const leader = hostPort(deps.leader?.()?.address);
        if (!leader) return fail(reply, req.url, new ApiError(ERRORS.NOT_FOUND, 'There is no leader'));
        return sendJson(reply, 200, { leader });
      },
    });
  };
}

/** Marathon reports the leader as `host:port`. */
function hostPort(address: string | undefined): string | null {
  return address ? address.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '') : null;
}

function notFound(id: string, e: AppsError): AppsError | ApiError {
  if (e.code !== 'APP_NOT_FOUND') return e;
  return new ApiError(APPS_ERRORS.APP_NOT_FOUND as ErrorSpec, `App '${id}' does not exist`);
}

/** Marathon clients send `null` for unset optional fields; in a partial update that must not reset them. */
function stripNulls(body: Json): Json {
  return Object.fromEntries(Object.entries(body ?? {}).filter(([, v]) => v !== null));
}

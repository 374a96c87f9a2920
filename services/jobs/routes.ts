/**
 * The native jobs API, `/v1/jobs…`: define jobs (cron, ISO 8601 or parents), list and inspect them with
 * their status, start and kill runs, read run history, preview fire times, and see the dependency graph.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../server/http-server.ts';
import { invalidJob, toApiError } from './job-errors.ts';
import { parseJobInput, type JobInput } from './job-model.ts';
import { graphSchema, jobBody, jobSchema, listQuery, nameParams, runParams, runSchema, runsQuery, scheduleSchema, startRunBody, type JOB_STATUS_ENUM } from './job-schemas.ts';
import type { JobsService } from './jobs-service.ts';
import type { RunState } from './run-stats.ts';

export interface JobsRouteDeps {
  jobs(): JobsService;
}

const ref = (id: string) => ({ $ref: `${id}#` }) as const;
const tags = ['jobs'];

export function jobsRoutes(deps: JobsRouteDeps): RouteModule {
  return (app: FastifyInstance) => {
    app.addSchema(jobSchema);
    app.addSchema(runSchema);
    app.addSchema(scheduleSchema);
    app.addSchema(graphSchema);

    app.post<{ Body: JobInput }>('/v1/jobs', {
      config: { access: 'operator' },
      schema: {
        operationId: 'putJob',
        tags,
        summary: 'Create or replace a job (schedule, parents, or neither for manual-only)',
        body: jobBody,
        response: { 200: { description: 'Replaced', ...ref('Job') }, 201: { description: 'Created', ...ref('Job') } },
      },
      handler: async (req, reply) => {
        const service = deps.jobs();
        const spec = parseJobInput(req.body, service.now());
        if (!spec.ok) throw invalidJob(spec.error);
        const r = await service.putJob(spec.value, req.body.version === undefined ? {} : { version: req.body.version });
        if (!r.ok) throw toApiError(r.error);
        reply.code(r.value.created ? 201 : 200).header('location', `/v1/jobs/${r.value.job.name}`);
        return r.value.job;
      },
    });

    app.get<{ Querystring: { name?: string; owner?: string; status?: (typeof JOB_STATUS_ENUM)[number]; limit: number; offset: number } }>('/v1/jobs', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listJobs',
        tags,
        summary: 'Jobs by name, filtered by name, owner or status, paged',
        querystring: listQuery,
        response: { 200: { type: 'object', required: ['total', 'jobs'], properties: { total: { type: 'integer' }, jobs: { type: 'array', items: ref('Job') } } } },
      },
      handler: async (req) => deps.jobs().listJobs(req.query),
    });

    app.get<{ Querystring: { format: 'json' | 'dot' } }>('/v1/jobs/graph', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getJobGraph',
        tags,
        summary: 'The dependency graph: jobs with their status, and edges (Graphviz dot with format=dot)',
        querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'dot'], default: 'json' } } },
        response: {
          200: {
            description: 'Nodes and edges, or Graphviz dot',
            content: { 'application/json': { schema: ref('JobGraph') }, 'text/vnd.graphviz': { schema: { type: 'string' } } },
          },
        },
      },
      handler: async (req, reply) => {
        if (req.query.format === 'dot') return reply.type('text/vnd.graphviz; charset=utf-8').send(deps.jobs().graphDot());
        return reply.type('application/json; charset=utf-8').send(await deps.jobs().graph());
      },
    });

    app.get<{ Params: { name: string } }>('/v1/jobs/:name', {
      config: { access: 'viewer' },
      schema: { operationId: 'getJob', tags, summary: 'One job: definition, status, counters and duration percentiles', params: nameParams, response: { 200: ref('Job') } },
      handler: async (req) => {
        const r = await deps.jobs().getJobDetail(req.params.name);
        if (!r.ok) throw toApiError(r.error);
        return r.value;
      },
    });

    app.delete<{ Params: { name: string }; Querystring: { force: boolean } }>('/v1/jobs/:name', {
      config: { access: 'operator' },
      schema: {
        operationId: 'deleteJob',
        tags,
        summary: 'Delete a job, its runs and history; refused while others depend on it unless force=true (which detaches them)',
        params: nameParams,
        querystring: { type: 'object', additionalProperties: false, properties: { force: { type: 'boolean', default: false } } },
        response: {
          200: {
            type: 'object',
            required: ['deleted', 'detached', 'killed'],
            properties: { deleted: { type: 'string' }, detached: { type: 'array', items: { type: 'string' }, description: 'Children that no longer depend on it' }, killed: { type: 'array', items: { type: 'string' }, description: 'Runs killed' } },
          },
        },
      },
      handler: async (req) => {
        const r = await deps.jobs().deleteJob(req.params.name, req.query.force);
        if (!r.ok) throw toApiError(r.error);
        return { deleted: req.params.name, ...r.value };
      },
    });

    app.post<{ Params: { name: string }; Body: { arguments?: string[] } | undefined }>('/v1/jobs/:name/runs', {
      config: { access: 'operator' },
      schema: { operationId: 'startJobRun', tags, summary: 'Start a run now (manual; the body is optional); children run after it as after any success', params: nameParams, body: startRunBody, response: { 202: ref('JobRun') } },
      // "Run now" is usually sent without a body: validate it as {}.
      preValidation: async (req) => {
        req.body ??= {};
      },
      handler: async (req, reply) => {
        const r = await deps.jobs().startRun(req.params.name, req.body?.arguments);
        if (!r.ok) throw toApiError(r.error);
        reply.code(202).header('location', `/v1/jobs/${req.params.name}/runs/${r.value.id}`);
        return r.value;
      },
    });

    app.post<{ Params: { name: string } }>('/v1/jobs/:name/kill', {
      config: { access: 'operator' },
      schema: {
        operationId: 'killJobRuns',
        tags,
        summary: 'Kill every active run of a job (and cancel its pending retry)',
        params: nameParams,
        response: { 202: { type: 'object', required: ['killed'], properties: { killed: { type: 'array', items: { type: 'string' }, description: 'Run ids' } } } },
      },
      handler: async (req, reply) => {
        const r = await deps.jobs().killJob(req.params.name);
        if (!r.ok) throw toApiError(r.error);
        reply.code(202);
        return r.value;
      },
    });

    for (const [action, disabled] of [['enable', false], ['disable', true]] as const) {
      app.post<{ Params: { name: string } }>(`/v1/jobs/:name/${action}`, {
        config: { access: 'operator' },
        schema: { operationId: `${action}Job`, tags, summary: disabled ? 'Disable a job: no more scheduled or dependent runs (manual runs still allowed)' : 'Enable a job; occurrences passed while disabled are not owed', params: nameParams, response: { 200: ref('Job') } },
        handler: async (req) => {
          const r = await deps.jobs().setDisabled(req.params.name, disabled);
          if (!r.ok) throw toApiError(r.error);
          return r.value.job;
        },
      });
    }

    app.get<{ Params: { name: string }; Querystring: { limit: number; offset: number; state?: RunState } }>('/v1/jobs/:name/runs', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listJobRuns',
        tags,
        summary: 'Run history of a job, newest first, paged',
        params: nameParams,
        querystring: runsQuery,
        response: { 200: { type: 'object', required: ['total', 'runs'], properties: { total: { type: 'integer' }, runs: { type: 'array', items: ref('JobRun') } } } },
      },
      handler: async (req) => {
        const r = await deps.jobs().listRuns(req.params.name, req.query);
        if (!r.ok) throw toApiError(r.error);
        return r.value;
      },
    });

    app.get<{ Params: { name: string; id: string } }>('/v1/jobs/:name/runs/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getJobRun', tags, summary: 'One run, with links to its task and its stdout/stderr', params: runParams, response: { 200: ref('JobRun') } },
      handler: async (req) => {
        const r = await deps.jobs().getRun(req.params.name, req.params.id);
        if (!r.ok) throw toApiError(r.error);
        return r.value;
      },
    });

    app.get<{ Params: { name: string }; Querystring: { count: number } }>('/v1/jobs/:name/schedule', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'previewJobSchedule',
        tags,
        summary: 'The next fire times in UTC and in the job’s time zone (a dry run)',
        params: nameParams,
        querystring: { type: 'object', additionalProperties: false, properties: { count: { type: 'integer', minimum: 1, maximum: 1000, default: 10 } } },
        response: { 200: ref('JobSchedule') },
      },
      handler: async (req) => {
        const r = deps.jobs().schedulePreview(req.params.name, req.query.count);
        if (!r.ok) throw toApiError(r.error);
        return r.value;
      },
    });
  };
}

/**
 * Chronos-compatible routes, thin adapters over the jobs service, under `/scheduler/…` (Chronos 2) and
 * `/v1/scheduler/…` (Chronos 3): an existing Chronos job file is accepted unchanged and behaves as the
 * same job defined natively. Errors are problem+json like everywhere else (Chronos sent stack traces).
 */
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../server/http-server.ts';
import { fromChronos, toChronos, type ChronosJob } from './chronos-job.ts';
import { invalidJob, toApiError } from './job-errors.ts';
import { JOB_NAME_PATTERN, parseJobInput } from './job-model.ts';
import type { JobsRouteDeps } from './routes.ts';

const jobName = { type: 'string', minLength: 1, maxLength: 128, pattern: JOB_NAME_PATTERN } as const;
const nameParams = { type: 'object', required: ['name'], additionalProperties: false, properties: { name: jobName } } as const;

const chronosProperties = {
  name: jobName,
  command: { type: 'string', minLength: 1, maxLength: 65536 },
  schedule: { type: 'string', maxLength: 256, description: 'R[n]/<start>/<period> (a cron expression is accepted too)' },
  scheduleTimeZone: { type: 'string', maxLength: 64 },
  parents: { type: 'array', maxItems: 100, items: jobName },
  epsilon: { type: 'string', maxLength: 64, description: 'ISO 8601 duration: the lateness limit' },
  retries: { type: 'integer', minimum: 0, maximum: 100 },
  owner: { type: 'string', maxLength: 512 },
  ownerName: { type: 'string', maxLength: 512 },
  description: { type: 'string', maxLength: 4096 },
  async: { type: 'boolean' },
  disabled: { type: 'boolean' },
  softError: { type: 'boolean' },
  concurrent: { type: 'boolean' },
  highPriority: { type: 'boolean' },
  cpus: { type: 'number', minimum: 0, maximum: 100000 },
  mem: { type: 'number', minimum: 0, maximum: 1e9 },
  disk: { type: 'number', minimum: 0, maximum: 1e12 },
  uris: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 4096 } },
  fetch: {
    type: 'array',
    maxItems: 100,
    items: {
      type: 'object',
      required: ['uri'],
      additionalProperties: false,
      properties: { uri: { type: 'string', minLength: 1, maxLength: 4096 }, executable: { type: 'boolean' }, extract: { type: 'boolean' }, cache: { type: 'boolean' }, outputFile: { type: 'string', maxLength: 1024 } },
    },
  },
  environmentVariables: {
    type: 'array',
    maxItems: 1000,
    items: { type: 'object', required: ['name', 'value'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,255}$' }, value: { type: 'string', maxLength: 32768 } } },
  },
  shell: { type: 'boolean' },
  arguments: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 16384 } },
  constraints: { type: 'array', maxItems: 50, items: { type: 'array', minItems: 3, maxItems: 3, items: { type: 'string', maxLength: 256 } } },
  runAsUser: { type: 'string', maxLength: 256 },
  container: { type: 'object', description: 'Accepted and returned; not acted on' },
  executor: { type: 'string', maxLength: 1024 },
  executorFlags: { type: 'string', maxLength: 4096 },
  taskInfoData: { type: 'string', maxLength: 65536 },
  dataProcessingJobType: { type: 'boolean' },
  maxCompletionTime: { type: 'integer', minimum: 0, maximum: 2592000, description: 'Seconds; 0 = no timeout' },
  successCount: { type: 'integer', description: 'Managed by the server; ignored on input' },
  errorCount: { type: 'integer', description: 'Managed by the server; ignored on input' },
  errorsSinceLastSuccess: { type: 'integer', description: 'Managed by the server; ignored on input' },
  lastSuccess: { type: 'string', description: 'Managed by the server; ignored on input' },
  lastError: { type: 'string', description: 'Managed by the server; ignored on input' },
} as const;

const chronosBody = { type: 'object', required: ['name', 'command'], additionalProperties: false, properties: chronosProperties } as const;
const chronosJobSchema = {
  $id: 'ChronosJob',
  type: 'object',
  description: "A job in Chronos' JSON, with its managed counters",
  required: ['name', 'command'],
  properties: { ...chronosProperties, container: { type: 'object', additionalProperties: true } },
} as const;
const noContent = { 204: { description: 'Done', type: 'null' } } as const;

export function chronosRoutes(deps: JobsRouteDeps): RouteModule {
  return (app: FastifyInstance) => {
    app.addSchema(chronosJobSchema);
    for (const [prefix, v] of [['/scheduler', 'Chronos2'], ['/v1/scheduler', 'Chronos3']] as const) {
      const tags = ['chronos'];
      const id = (op: string): string => `${op}${v}`;

      for (const kind of ['iso8601', 'dependency'] as const) {
        app.post<{ Body: ChronosJob }>(`${prefix}/${kind}`, {
          config: { access: 'operator' },
          schema: {
            operationId: id(kind === 'iso8601' ? 'putScheduledJob' : 'putDependentJob'),
            tags,
            summary: kind === 'iso8601' ? 'Chronos: create or replace a scheduled job' : 'Chronos: create or replace a dependent job (parents)',
            body: chronosBody,
            response: noContent,
          },
          handler: async (req, reply) => {
            const service = deps.jobs();
            const converted = fromChronos(req.body, kind);
            if (!converted.ok) throw invalidJob(converted.error);
            const spec = parseJobInput(converted.value.input, service.now());
            if (!spec.ok) throw invalidJob(spec.error.map((e) => ({ ...e, field: e.field === 'timeZone' ? 'scheduleTimeZone' : e.field })));
            const r = await service.putJob(spec.value, { chronosExtras: converted.value.extras });
            if (!r.ok) throw toApiError(r.error);
            return reply.code(204).send();
          },
        });
      }

      app.get(`${prefix}/jobs`, {
        config: { access: 'viewer' },
        schema: { operationId: id('listJobs'), tags, summary: 'Chronos: every job with its counters', response: { 200: { type: 'array', items: { $ref: 'ChronosJob#' } } } },
        handler: async () => {
          const service = deps.jobs();
          return service.jobNames().map((name) => toChronos(service.storedJob(name)!, service.countersOf(name)));
        },
      });

      app.get<{ Params: { name: string } }>(`${prefix}/job/:name`, {
        config: { access: 'viewer' },
        schema: { operationId: id('getJob'), tags, summary: 'Chronos: one job', params: nameParams, response: { 200: { $ref: 'ChronosJob#' } } },
        handler: async (req) => {
          const service = deps.jobs();
          const job = service.storedJob(req.params.name);
          if (!job) throw toApiError({ code: 'NOT_FOUND', message: `job ${req.params.name} does not exist` });
          return toChronos(job, service.countersOf(job.name));
        },
      });

      app.put<{ Params: { name: string }; Querystring: { arguments?: string } }>(`${prefix}/job/:name`, {
        config: { access: 'operator' },
        schema: {
          operationId: id('startJob'),
          tags,
          summary: 'Chronos: run a job now (manual start); `arguments` are appended to its command',
          params: nameParams,
          querystring: { type: 'object', additionalProperties: false, properties: { arguments: { type: 'string', maxLength: 16384 } } },
          response: noContent,
        },
        handler: async (req, reply) => {
          const args = req.query.arguments?.trim() ? req.query.arguments.trim().split(/\s+/) : undefined;
          const r = await deps.jobs().startRun(req.params.name, args);
          if (!r.ok) throw toApiError(r.error);
          return reply.code(204).send();
        },
      });

      app.delete<{ Params: { name: string }; Querystring: { force: boolean } }>(`${prefix}/job/:name`, {
        config: { access: 'operator' },
        schema: {
          operationId: id('deleteJob'),
          tags,
          summary: 'Chronos: delete a job (refused while others depend on it, unless force=true detaches them)',
          params: nameParams,
          querystring: { type: 'object', additionalProperties: false, properties: { force: { type: 'boolean', default: false } } },
          response: noContent,
        },
        handler: async (req, reply) => {
          const r = await deps.jobs().deleteJob(req.params.name, req.query.force);
          if (!r.ok) throw toApiError(r.error);
          return reply.code(204).send();
        },
      });

      app.delete<{ Params: { name: string } }>(`${prefix}/task/kill/:name`, {
        config: { access: 'operator' },
        schema: { operationId: id('killJobTasks'), tags, summary: "Chronos: kill all of a job's running tasks", params: nameParams, response: noContent },
        handler: async (req, reply) => {
          const r = await deps.jobs().killJob(req.params.name);
          if (!r.ok) throw toApiError(r.error);
          return reply.code(204).send();
        },
      });

      app.get(`${prefix}/graph/dot`, {
        config: { access: 'viewer' },
        schema: {
          operationId: id('getGraphDot'),
          tags,
          summary: 'Chronos: the dependency graph as Graphviz dot',
          response: { 200: { description: 'Graphviz dot', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
        handler: async (_req, reply) => reply.type('text/plain; charset=utf-8').send(deps.jobs().graphDot()),
      });
    }
  };
}

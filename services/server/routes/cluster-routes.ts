/** The operator's read API over the core: `/v1/state`, `/v1/leader`, `/v1/agents`, `/v1/frameworks`; framework teardown (admin). */
import type { FastifyInstance } from 'fastify';
import type { Master } from '../../../core/master/master.ts';
import { agentView, frameworkView, listAgents, listFrameworks, listTasks } from '../../../core/master/master-views.ts';
import { ApiError, ERRORS } from '../errors.ts';
import type { RouteModule } from '../http-server.ts';
import { problemResponse } from '../problem.ts';
import { agentSchema, frameworkSchema, idParams, taskSchema } from './core-schemas.ts';

export interface LeaderInfo {
  id: string;
  address: string;
  epoch: number;
  electedAt: string;
}

export interface ClusterDeps {
  master(): Master;
  leader(): LeaderInfo | undefined;
  /** The frameworks this process runs itself (jobs, apps, execute), which an administrator may not tear down. */
  builtinFrameworkIds?(): Array<string | undefined>;
}

const leaderSchema = {
  type: 'object',
  required: ['id', 'address', 'epoch', 'electedAt'],
  properties: { id: { type: 'string' }, address: { type: 'string' }, epoch: { type: 'integer' }, electedAt: { type: 'string', format: 'date-time' } },
} as const;

export const STATE_TASK_LIMIT = 1000;

export function clusterRoutes(deps: ClusterDeps): RouteModule {
  return (app: FastifyInstance) => {
    app.get('/v1/state', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getState',
        tags: ['cluster'],
        summary: 'The whole cluster: leader, agents, frameworks, tasks',
        description: `Active tasks first, newest first, at most ${STATE_TASK_LIMIT}; \`taskCounts\` counts every task the master holds by state.`,
        response: {
          200: {
            type: 'object',
            required: ['masterId', 'startedAt', 'agents', 'frameworks', 'tasks', 'taskCounts'],
            properties: {
              masterId: { type: 'string' },
              startedAt: { type: 'string', format: 'date-time' },
              leader: leaderSchema,
              agents: { type: 'array', items: agentSchema },
              frameworks: { type: 'array', items: frameworkSchema },
              tasks: { type: 'array', items: taskSchema },
              taskCounts: { type: 'object', additionalProperties: { type: 'integer' } },
            },
          },
        },
      },
      handler: async () => {
        const master = deps.master();
        const active = listTasks(master, {}, STATE_TASK_LIMIT).tasks;
        return {
          masterId: master.id,
          startedAt: new Date(master.startedAt).toISOString(),
          leader: deps.leader(),
          agents: listAgents(master),
          frameworks: listFrameworks(master),
          tasks: active,
          taskCounts: Object.fromEntries(master.tasks.countByState()),
        };
      },
    });

    app.get('/v1/leader', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'getLeader',
        tags: ['cluster'],
        summary: 'The current leading master',
        response: { 200: leaderSchema },
      },
      handler: async (_req, reply) => {
        const leader = deps.leader();
        if (!leader) {
          reply.header('retry-after', '1');
          throw new ApiError(ERRORS.NOT_LEADER, 'no master leads at the moment (an election is under way); retry');
        }
        return leader;
      },
    });

    app.get('/v1/agents', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listAgents',
        tags: ['cluster'],
        summary: 'Agents with their resources (total, used, offered), attributes and isolators',
        response: { 200: { type: 'object', required: ['agents'], properties: { agents: { type: 'array', items: agentSchema } } } },
      },
      handler: async () => ({ agents: listAgents(deps.master()) }),
    });

    app.get<{ Params: { id: string } }>('/v1/agents/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getAgent', tags: ['cluster'], summary: 'One agent', params: idParams, response: { 200: agentSchema } },
      handler: async (req) => {
        const master = deps.master();
        const agent = master.agents.get(req.params.id);
        if (!agent) throw new ApiError(ERRORS.AGENT_NOT_FOUND, `agent ${req.params.id} is not known`, { fields: [{ field: 'params.id', message: 'no such agent' }] });
        return agentView(master, agent);
      },
    });

    app.get('/v1/frameworks', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'listFrameworks',
        tags: ['cluster'],
        summary: 'Frameworks with role, weight and DRF dominant share',
        response: { 200: { type: 'object', required: ['frameworks'], properties: { frameworks: { type: 'array', items: frameworkSchema } } } },
      },
      handler: async () => ({ frameworks: listFrameworks(deps.master()) }),
    });

    app.get<{ Params: { id: string } }>('/v1/frameworks/:id', {
      config: { access: 'viewer' },
      schema: { operationId: 'getFramework', tags: ['cluster'], summary: 'One framework', params: idParams, response: { 200: frameworkSchema } },
      handler: async (req) => {
        const master = deps.master();
        const fw = master.frameworks.get(req.params.id);
        if (!fw) throw new ApiError(ERRORS.FRAMEWORK_NOT_FOUND, `framework ${req.params.id} is not known`, { fields: [{ field: 'params.id', message: 'no such framework' }] });
        return frameworkView(master, fw);
      },
    });

    app.delete<{ Params: { id: string } }>('/v1/frameworks/:id', {
      config: { access: 'admin' },
      schema: {
        operationId: 'teardownFramework',
        tags: ['cluster'],
        summary: 'Tear a framework down: its tasks are killed and it is forgotten (admin)',
        description: "As the framework's own TEARDOWN call. The frameworks built into this Orrery (jobs, apps, execute) are refused with 409.",
        params: idParams,
        response: {
          200: { type: 'object', required: ['id', 'tasksKilled'], properties: { id: { type: 'string' }, tasksKilled: { type: 'integer' } } },
          409: problemResponse('A framework built into this Orrery'),
        },
      },
      handler: async (req) => {
        const master = deps.master();
        const fw = master.frameworks.get(req.params.id);
        if (!fw) throw new ApiError(ERRORS.FRAMEWORK_NOT_FOUND, `framework ${req.params.id} is not known`, { fields: [{ field: 'params.id', message: 'no such framework' }] });
        if (deps.builtinFrameworkIds?.().includes(fw.id)) {
          throw new ApiError(ERRORS.CONFLICT, `framework ${fw.id} (${fw.info.name}) is built into this Orrery and cannot be torn down`, { fields: [{ field: 'params.id', message: 'a built-in framework' }] });
        }
        const tasksKilled = frameworkView(master, fw).tasks;
        await master.removeFramework(fw, 'teardown by an administrator');
        return { id: fw.id, tasksKilled };
      },
    });
  };
}

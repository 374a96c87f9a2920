/**
 * JSON schemas of `POST /api/v1/scheduler` (Mesos v1 scheduler JSON): the call body the route validates, and
 * the event records of the SUBSCRIBE stream, documented for the OpenAPI surface. Shared pieces are added with
 * `app.addSchema` so they appear under `components.schemas` as MesosId, MesosResource, MesosTaskInfo, ….
 */
import { SCHEDULER_CALL_TYPES, SCHEDULER_EVENT_TYPES } from '../../../core/sdk/scheduler-wire.ts';
import { TASK_STATE_ENUM } from './core-schemas.ts';

const ID_PATTERN = '^[A-Za-z0-9_.:-]{1,200}$';

export const mesosIdSchema = {
  $id: 'MesosId',
  type: 'object',
  description: 'An id as Mesos writes it: `{"value": "<id>"}`.',
  required: ['value'],
  additionalProperties: false,
  properties: { value: { type: 'string', pattern: ID_PATTERN } },
} as const;

const id = { $ref: 'MesosId#' } as const;

export const mesosResourceSchema = {
  $id: 'MesosResource',
  type: 'object',
  description: 'One resource: SCALAR (cpus, mem MB, disk MB, gpus, custom), RANGES (ports) or SET. Only the unreserved role `*` is supported.',
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    type: { type: 'string', enum: ['SCALAR', 'RANGES', 'SET'] },
    scalar: { type: 'object', required: ['value'], properties: { value: { type: 'number', minimum: 0 } } },
    ranges: {
      type: 'object',
      required: ['range'],
      properties: { range: { type: 'array', maxItems: 10000, items: { type: 'object', required: ['begin', 'end'], properties: { begin: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } } } } },
    },
    set: { type: 'object', required: ['item'], properties: { item: { type: 'array', maxItems: 10000, items: { type: 'string', minLength: 1, maxLength: 256 } } } },
    role: { type: 'string', const: '*' },
    allocation_info: { type: 'object', description: 'Accepted and ignored (Mesos MULTI_ROLE).' },
  },
} as const;

const resources = { type: 'array', maxItems: 1024, items: { $ref: 'MesosResource#' } } as const;
const gracePolicy = {
  type: 'object',
  required: ['grace_period'],
  properties: { grace_period: { type: 'object', required: ['nanoseconds'], properties: { nanoseconds: { type: 'integer', minimum: 0, maximum: 3_600_000_000_000 } } } },
} as const;
const filters = { type: 'object', properties: { refuse_seconds: { type: 'number', description: 'Default 5; negative means the default; capped at 365 days' } } } as const;

export const mesosTaskInfoSchema = {
  $id: 'MesosTaskInfo',
  type: 'object',
  description: 'A task to launch with the built-in command executor (Mesos TaskInfo with `command`).',
  required: ['name', 'task_id', 'agent_id', 'resources', 'command'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    task_id: id,
    agent_id: id,
    resources,
    command: {
      type: 'object',
      description: '`value` is run with /bin/sh -c when `shell` is true (the default); otherwise `arguments` is the argv.',
      properties: {
        shell: { type: 'boolean', default: true },
        value: { type: 'string', maxLength: 65536 },
        arguments: { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 16384 } },
        environment: {
          type: 'object',
          required: ['variables'],
          properties: {
            variables: {
              type: 'array',
              maxItems: 1000,
              items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, type: { type: 'string', enum: ['VALUE'] }, value: { type: 'string' } } },
            },
          },
        },
        uris: { type: 'array', maxItems: 100, items: { type: 'object', required: ['value'], properties: { value: { type: 'string' }, extract: { type: 'boolean' }, executable: { type: 'boolean' }, cache: { type: 'boolean' }, output_file: { type: 'string' } } } },
      },
    },
    kill_policy: gracePolicy,
    labels: { type: 'object', properties: { labels: { type: 'array', maxItems: 100, items: { type: 'object', required: ['key'], properties: { key: { type: 'string' }, value: { type: 'string' } } } } } },
  },
} as const;

const offerIds = { type: 'array', minItems: 1, maxItems: 1000, items: id } as const;

export const schedulerCallSchema = {
  $id: 'SchedulerCall',
  type: 'object',
  description:
    'One call (Mesos v1 `scheduler.Call` in JSON). SUBSCRIBE carries `subscribe.framework_info` and no `Mesos-Stream-Id`; every other call carries ' +
    '`framework_id`, the `Mesos-Stream-Id` of its subscription, and the body field named after its type (`accept`, `decline`, `kill`, `acknowledge`, `reconcile`).',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: [...SCHEDULER_CALL_TYPES] },
    framework_id: id,
    subscribe: {
      type: 'object',
      required: ['framework_info'],
      properties: {
        framework_info: {
          type: 'object',
          required: ['name'],
          description: 'Mesos FrameworkInfo. `id` re-subscribes an existing framework (failover). One role (`roles: [r]` or legacy `role`). Other Mesos fields are accepted and ignored.',
          properties: {
            user: { type: 'string', maxLength: 200 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            id,
            failover_timeout: { type: 'number', minimum: 0, maximum: 31536000, description: 'Seconds the master keeps the tasks of a disconnected framework (default 0)' },
            roles: { type: 'array', maxItems: 1, items: { type: 'string', maxLength: 64 } },
            role: { type: 'string', maxLength: 64 },
            principal: { type: 'string', maxLength: 200 },
            weight: { type: 'number', exclusiveMinimum: 0, maximum: 1000, description: 'Orrery extension: DRF weight (default 1)' },
          },
        },
      },
    },
    accept: {
      type: 'object',
      required: ['offer_ids'],
      properties: {
        offer_ids: offerIds,
        operations: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            required: ['type', 'launch'],
            properties: {
              type: { type: 'string', enum: ['LAUNCH'] },
              launch: { type: 'object', required: ['task_infos'], properties: { task_infos: { type: 'array', minItems: 1, maxItems: 10000, items: { $ref: 'MesosTaskInfo#' } } } },
            },
          },
        },
        filters,
      },
    },
    decline: { type: 'object', required: ['offer_ids'], properties: { offer_ids: offerIds, filters } },
    kill: { type: 'object', required: ['task_id'], properties: { task_id: id, agent_id: id, kill_policy: gracePolicy } },
    acknowledge: { type: 'object', required: ['agent_id', 'task_id', 'uuid'], properties: { agent_id: id, task_id: id, uuid: { type: 'string', maxLength: 400, description: 'base64, as in the UPDATE' } } },
    reconcile: { type: 'object', properties: { tasks: { type: 'array', maxItems: 100000, items: { type: 'object', required: ['task_id'], properties: { task_id: id, agent_id: id } } } } },
    revive: { type: 'object', description: 'Roles are accepted and ignored: a framework has one role.' },
    suppress: { type: 'object', description: 'Roles are accepted and ignored: a framework has one role.' },
  },
  allOf: [
    { if: { properties: { type: { const: 'SUBSCRIBE' } } }, then: { required: ['subscribe'] } },
    { if: { properties: { type: { not: { const: 'SUBSCRIBE' } } } }, then: { required: ['framework_id'] } },
    { if: { properties: { type: { const: 'ACCEPT' } } }, then: { required: ['accept'] } },
    { if: { properties: { type: { const: 'DECLINE' } } }, then: { required: ['decline'] } },
    { if: { properties: { type: { const: 'KILL' } } }, then: { required: ['kill'] } },
    { if: { properties: { type: { const: 'ACKNOWLEDGE' } } }, then: { required: ['acknowledge'] } },
  ],
} as const;

const status = {
  type: 'object',
  required: ['task_id', 'state', 'source', 'timestamp'],
  properties: {
    task_id: id,
    agent_id: id,
    state: { type: 'string', enum: TASK_STATE_ENUM.filter((s) => s !== 'PENDING').map((s) => `TASK_${s}`) },
    source: { type: 'string', enum: ['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'] },
    reason: { type: 'string' },
    message: { type: 'string' },
    timestamp: { type: 'number', description: 'Seconds since the epoch' },
    uuid: { type: 'string', description: 'base64; present when the update must be acknowledged' },
    healthy: { type: 'boolean' },
    container_status: { type: 'object', properties: { executor_pid: { type: 'integer' } } },
    exit_code: { type: 'integer', description: 'Orrery extension' },
    signal: { type: 'string', description: 'Orrery extension' },
  },
} as const;

export const schedulerEventSchema = {
  $id: 'SchedulerEvent',
  type: 'object',
  description: 'One record of the SUBSCRIBE stream (Mesos v1 `scheduler.Event` in JSON).',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: [...SCHEDULER_EVENT_TYPES] },
    subscribed: { type: 'object', required: ['framework_id', 'heartbeat_interval_seconds'], properties: { framework_id: id, heartbeat_interval_seconds: { type: 'number' } } },
    offers: {
      type: 'object',
      properties: {
        offers: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'framework_id', 'agent_id', 'hostname', 'resources'],
            properties: {
              id,
              framework_id: id,
              agent_id: id,
              hostname: { type: 'string' },
              resources,
              attributes: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string', enum: ['TEXT'] }, text: { type: 'object', properties: { value: { type: 'string' } } } } } },
            },
          },
        },
      },
    },
    rescind: { type: 'object', required: ['offer_id'], properties: { offer_id: id } },
    update: { type: 'object', required: ['status'], properties: { status } },
    failure: { type: 'object', properties: { agent_id: id, message: { type: 'string' } } },
    error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
  },
} as const;

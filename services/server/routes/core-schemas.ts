/** JSON schemas of the core's read models (agents, frameworks, tasks), shared by the cluster and task routes. */

const isoTime = { type: 'string', format: 'date-time' } as const;

export const resourcesSchema = {
  type: 'object',
  description: 'Scalars (cpus, mem MB, disk MB, gpus, custom), ranges (ports) and sets.',
  required: ['scalars', 'ranges', 'sets'],
  properties: {
    scalars: { type: 'object', additionalProperties: { type: 'number' } },
    ranges: { type: 'object', additionalProperties: { type: 'array', items: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2 } } },
    sets: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
} as const;

export const TASK_STATE_ENUM = ['PENDING', 'STAGING', 'STARTING', 'RUNNING', 'KILLING', 'FINISHED', 'FAILED', 'KILLED', 'ERROR', 'LOST', 'DROPPED', 'UNREACHABLE', 'GONE', 'UNKNOWN'] as const;

export const agentSchema = {
  type: 'object',
  required: ['id', 'hostname', 'state', 'resources', 'attributes', 'isolators', 'version', 'registeredAt', 'lastSeenAt', 'inProcess', 'tasks'],
  properties: {
    id: { type: 'string' },
    hostname: { type: 'string' },
    state: { type: 'string', enum: ['ACTIVE', 'DRAINING', 'RECOVERING', 'DISCONNECTED', 'GONE'] },
    resources: {
      type: 'object',
      required: ['total', 'used', 'offered'],
      properties: { total: resourcesSchema, used: resourcesSchema, offered: resourcesSchema },
    },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
    isolators: { type: 'array', items: { type: 'string' } },
    version: { type: 'string' },
    registeredAt: isoTime,
    lastSeenAt: { ...isoTime, description: 'The last message from the agent (registration, heartbeat, status update)' },
    inProcess: { type: 'boolean', description: 'Runs in the master process (orrery up): sends no heartbeats, so lastSeenAt is only its last status update' },
    tasks: { type: 'integer', description: 'Tasks not yet terminal' },
  },
} as const;

export const frameworkSchema = {
  type: 'object',
  required: ['id', 'name', 'role', 'weight', 'active', 'suppressed', 'dominantShare', 'failoverTimeoutMs', 'registeredAt', 'tasks', 'offers', 'used'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    weight: { type: 'number' },
    principal: { type: 'string' },
    active: { type: 'boolean' },
    suppressed: { type: 'boolean' },
    dominantShare: { type: 'number', description: 'DRF dominant share, 0..1' },
    failoverTimeoutMs: { type: 'number' },
    registeredAt: isoTime,
    disconnectedAt: isoTime,
    tasks: { type: 'integer' },
    offers: { type: 'integer', description: 'Outstanding offers' },
    used: resourcesSchema,
  },
} as const;

export const taskSchema = {
  type: 'object',
  required: ['id', 'name', 'frameworkId', 'state', 'resources', 'command', 'createdAt', 'updatedAt', 'history'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    frameworkId: { type: 'string' },
    agentId: { type: 'string' },
    hostname: { type: 'string' },
    state: { type: 'string', enum: TASK_STATE_ENUM },
    reason: { type: 'string' },
    message: { type: 'string' },
    pendingReason: { type: 'string', description: 'Why a PENDING task has not been launched yet' },
    exitCode: { type: 'integer' },
    signal: { type: 'string' },
    healthy: { type: 'boolean' },
    executorPid: { type: 'integer', description: "Pid of the task's executor on its agent; also the task's process group" },
    resources: resourcesSchema,
    command: {
      type: 'object',
      required: ['shell'],
      properties: {
        shell: { type: 'boolean' },
        value: { type: 'string' },
        arguments: { type: 'array', items: { type: 'string' } },
        env: { type: 'array', items: { type: 'string' }, description: 'Names of the environment variables (values are not shown)' },
      },
    },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    createdAt: isoTime,
    startedAt: isoTime,
    finishedAt: isoTime,
    updatedAt: isoTime,
    durationMs: { type: 'number' },
    history: {
      type: 'array',
      items: {
        type: 'object',
        required: ['state', 'timestamp'],
        properties: { state: { type: 'string', enum: TASK_STATE_ENUM }, timestamp: isoTime, reason: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:-]+$' } },
} as const;

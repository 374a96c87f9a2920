/**
 * JSON schemas of the native apps API. Request bodies are strict (`additionalProperties: false`, lengths capped);
 * the service validates the meaning again (`validateAppSpec`), so both layers name the offending field.
 * Response schemas list every field: fastify serializes with them and drops what they do not name.
 */
import { LIMITS } from './app-spec.ts';

const isoTime = { type: 'string', format: 'date-time' } as const;
const stringMap = (maxProperties: number, maxValue: number) => ({ type: 'object', maxProperties, additionalProperties: { type: 'string', maxLength: maxValue } }) as const;

export const APP_ID_DESCRIPTION =
  'App id: a path such as `/prod/web`, URL-encoded in the path (`%2Fprod%2Fweb`; the leading slash may be left out: `prod%2Fweb`). ' +
  'Ids are paths, and a path parameter cannot hold `/`, so the id is documented encoded (as GitLab does with project paths). ' +
  'Unencoded ids are accepted too, as under /v2: `/v1/apps/prod/web/tasks` is read as `/v1/apps/%2Fprod%2Fweb/tasks`, the sub-resource ' +
  'taken from the end of the path; an id whose last segments read as a sub-resource of the method (`/x/pending` for GET, `/x/tasks/y` for DELETE) must be encoded.';

export const appIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 200, description: APP_ID_DESCRIPTION } },
} as const;

export const forceQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { force: { type: 'boolean', default: false, description: 'Replace a running deployment of the app instead of answering 409' } },
} as const;

const healthCheck = {
  type: 'object',
  additionalProperties: false,
  properties: {
    protocol: { type: 'string', enum: ['HTTP', 'TCP', 'COMMAND'], description: 'Default HTTP' },
    path: { type: 'string', maxLength: 1024, description: 'HTTP: path to GET; 200-399 passes. Default /' },
    portIndex: { type: 'integer', minimum: 0, maximum: LIMITS.ports, description: 'HTTP/TCP: index into the instance host ports. Default 0' },
    command: { type: 'string', minLength: 1, maxLength: LIMITS.cmd, description: 'COMMAND: run with /bin/sh -c on the apps service host with HOST and PORT* set; exit 0 passes' },
    gracePeriodSeconds: { type: 'number', minimum: 0, maximum: 86400, description: 'Failures before the first success are ignored this long. Default 300' },
    intervalSeconds: { type: 'number', minimum: 0.05, maximum: 86400, description: 'Default 60' },
    timeoutSeconds: { type: 'number', minimum: 0.01, maximum: 86400, description: 'Default 20. A check never overlaps itself: a slow one delays the next' },
    maxConsecutiveFailures: { type: 'integer', minimum: 0, maximum: 1000, description: 'Replace the instance after this many; 0 = never. Default 3' },
  },
} as const;

/** The properties of an app definition (request side). */
export const appDefinitionProperties = {
  id: { type: 'string', minLength: 1, maxLength: LIMITS.idLength, description: 'A path such as /prod/web' },
  cmd: { type: 'string', minLength: 1, maxLength: LIMITS.cmd, description: 'Run with /bin/sh -c; exactly one of cmd and args' },
  args: { type: 'array', minItems: 1, maxItems: LIMITS.args, items: { type: 'string', maxLength: LIMITS.arg }, description: 'argv, no shell' },
  env: { ...stringMap(LIMITS.envVars, LIMITS.envValue), propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,255}$' } },
  instances: { type: 'integer', minimum: 0, maximum: LIMITS.instances, description: 'Default 1; 0 = suspended' },
  cpus: { type: 'number', minimum: 0, maximum: 100000, description: 'Per instance. Default 1' },
  mem: { type: 'number', minimum: 0, maximum: 1e9, description: 'MB per instance. Default 128' },
  disk: { type: 'number', minimum: 0, maximum: 1e12, description: 'MB per instance. Default 0' },
  gpus: { type: 'integer', minimum: 0, maximum: 1024 },
  resources: { type: 'object', maxProperties: 50, additionalProperties: { type: 'number', minimum: 0 }, description: 'Custom scalar resources per instance, e.g. {"cassandra-slot": 1}' },
  ports: {
    type: 'array',
    maxItems: LIMITS.ports,
    description: 'Host ports from the agent `ports` ranges, given to the task as PORT0…, PORT, PORTS (and PORT_<NAME>)',
    items: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535, description: '0 (default) = any free port; otherwise exactly this host port' },
        name: { type: 'string', maxLength: 63 },
        protocol: { type: 'string', enum: ['tcp', 'udp'] },
      },
    },
  },
  constraints: {
    type: 'array',
    maxItems: 50,
    description:
      "Marathon constraints [field, operator, value?]: operator UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS (the field equals the value); EQUALS, the jobs' name for IS, is accepted and stored as IS. Field: hostname or an agent attribute",
    items: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string', maxLength: 256 } },
  },
  healthChecks: { type: 'array', maxItems: LIMITS.healthChecks, items: healthCheck },
  upgradeStrategy: {
    type: 'object',
    additionalProperties: false,
    properties: {
      minimumHealthCapacity: { type: 'number', minimum: 0, maximum: 1, description: 'Share of instances kept healthy during a rolling upgrade. Default 1' },
      maximumOverCapacity: { type: 'number', minimum: 0, maximum: 1, description: 'Extra instances allowed during a rolling upgrade, as a share. Default 1' },
    },
  },
  backoffSeconds: { type: 'number', minimum: 0, maximum: 3600, description: 'Launch delay after a failure. Default 1' },
  backoffFactor: { type: 'number', minimum: 1, maximum: 100, description: 'Delay multiplier per consecutive failure. Default 1.15' },
  maxLaunchDelaySeconds: { type: 'number', minimum: 0, maximum: 86400, description: 'Cap of the delay. Default 300' },
  killSelection: { type: 'string', enum: ['YOUNGEST_FIRST', 'OLDEST_FIRST'] },
  taskKillGracePeriodSeconds: { type: 'number', minimum: 0, maximum: 3600 },
  labels: stringMap(LIMITS.labels, LIMITS.labelValue),
  uris: { type: 'array', maxItems: LIMITS.uris, items: { type: 'string', maxLength: LIMITS.uri }, description: 'Fetched into the sandbox before start (archives extracted)' },
  fetch: {
    type: 'array',
    maxItems: LIMITS.uris,
    description: "Like uris, with Mesos' options (Marathon's fetch)",
    items: {
      type: 'object',
      required: ['uri'],
      additionalProperties: false,
      properties: {
        uri: { type: 'string', maxLength: LIMITS.uri },
        extract: { type: 'boolean', description: 'Unpack .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip (default true)' },
        executable: { type: 'boolean', description: 'chmod 755, no extraction (default false)' },
        cache: { type: 'boolean', description: "Reuse the agent's cached download (default false)" },
        outputFile: { type: 'string', maxLength: 1024, description: 'Name in the sandbox (default: the last segment of the URI)' },
      },
    },
  },
  progressDeadlineSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 604800, description: 'A deployment without progress this long fails. Default 600' },
  autoRollback: { type: 'boolean', description: 'Deploy the previous definition when a deployment fails. Default false' },
} as const;

export const appDefinitionBody = { type: 'object', required: ['id'], additionalProperties: false, properties: appDefinitionProperties } as const;

/** PUT: the id comes from the path (a body id must match it). */
export const appPutBody = { type: 'object', additionalProperties: false, properties: appDefinitionProperties } as const;

/** PATCH (JSON merge patch): any subset; `null` resets a field to its default. */
export const appPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(Object.entries(appDefinitionProperties).map(([k, v]) => [k, { anyOf: [v, { type: 'null' }] }])),
} as const;

const COUNT_DESCRIPTIONS: Record<string, string> = {
  wanted: 'Instances the app should have',
  staged: 'Launched, not RUNNING yet',
  running: 'RUNNING and not being killed',
  healthy: "RUNNING and passing every health check (Marathon's tasksHealthy); always 0 when the app has no health checks (see healthChecks)",
  unhealthy: 'RUNNING and failing a health check',
  killing: 'Being killed (still holding resources)',
  unreachable: 'On an agent that was lost; the master settles them',
  waiting: 'Wanted and not launched yet: waiting for an offer that fits (not counted while in backoff)',
  healthChecks: "The app's number of health checks; 0: healthy and unhealthy do not apply (clients show '-'), and for deployments an instance counts once it has run briefly",
};

const countsSchema = {
  type: 'object',
  required: Object.keys(COUNT_DESCRIPTIONS),
  properties: Object.fromEntries(Object.entries(COUNT_DESCRIPTIONS).map(([k, description]) => [k, { type: 'integer', description }])),
} as const;

const backoffSchema = {
  type: 'object',
  required: ['failures', 'delaySeconds', 'remainingSeconds'],
  properties: { failures: { type: 'integer' }, delaySeconds: { type: 'number' }, remainingSeconds: { type: 'number' }, launchAllowedAt: isoTime },
} as const;

const responseHealthCheck = { type: 'object', properties: healthCheck.properties } as const;

/** The definition as returned (defaults filled in). */
const definitionResponseProperties = {
  ...appDefinitionProperties,
  env: { type: 'object', additionalProperties: { type: 'string' } },
  labels: { type: 'object', additionalProperties: { type: 'string' } },
  resources: { type: 'object', additionalProperties: { type: 'number' } },
  healthChecks: { type: 'array', items: responseHealthCheck },
  constraints: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
  version: isoTime,
  versionInfo: { type: 'object', required: ['lastConfigChangeAt', 'lastScalingAt'], properties: { lastConfigChangeAt: isoTime, lastScalingAt: isoTime } },
} as const;

export const appDefinitionSchema = {
  $id: 'AppDefinition',
  type: 'object',
  description: 'An app definition at one version, with every default filled in.',
  required: ['id', 'instances', 'version'],
  properties: definitionResponseProperties,
} as const;

export const appSchema = {
  $id: 'App',
  type: 'object',
  description: 'An app: its definition, version, status, counts, current deployment, backoff and last failure.',
  required: ['id', 'instances', 'version', 'versionInfo', 'status', 'counts', 'deployment', 'backoff'],
  properties: {
    ...definitionResponseProperties,
    status: {
      type: 'string',
      enum: ['RUNNING', 'DEPLOYING', 'SUSPENDED', 'WAITING', 'DELAYED', 'DELETING'],
      description:
        'DEPLOYING: a deployment runs. DELAYED: tasks failed (crashed, or killed for failing their health checks) and not every wanted instance is up (running; healthy when checked): see backoff and lastTaskFailure. WAITING: instances missing, waiting for offers. SUSPENDED: 0 instances. DELETING: being deleted',
    },
    counts: countsSchema,
    deployment: {
      type: ['object', 'null'],
      description: 'The running deployment (null when none): step is 1-based; action is absent past the last step',
      required: ['id', 'kind', 'step', 'totalSteps'],
      properties: { id: { type: 'string' }, kind: { type: 'string' }, step: { type: 'integer' }, totalSteps: { type: 'integer' }, action: { type: 'string' } },
    },
    backoff: backoffSchema,
    lastTaskFailure: {
      type: 'object',
      properties: { taskId: { type: 'string' }, state: { type: 'string' }, message: { type: 'string' }, at: isoTime, hostname: { type: 'string' }, version: { type: 'string' } },
    },
    waitingBecause: { type: 'string', description: 'Why instances are not all running (backoff, capacity, deployment step, offers)' },
  },
} as const;

export const appTaskSchema = {
  $id: 'AppTask',
  type: 'object',
  required: ['id', 'appId', 'agentId', 'host', 'ports', 'state', 'healthCheckResults', 'version', 'stagedAt'],
  properties: {
    id: { type: 'string' },
    appId: { type: 'string' },
    agentId: { type: 'string' },
    host: { type: 'string' },
    ports: { type: 'array', items: { type: 'integer' } },
    state: { type: 'string' },
    healthy: { type: 'boolean', description: 'Absent when the app has no health checks or no result counts yet' },
    healthCheckResults: {
      type: 'array',
      items: {
        type: 'object',
        required: ['consecutiveFailures'],
        properties: {
          alive: { type: 'boolean' },
          consecutiveFailures: { type: 'integer' },
          firstSuccess: isoTime,
          lastSuccess: isoTime,
          lastFailure: isoTime,
          lastFailureCause: { type: 'string' },
        },
      },
    },
    version: { type: 'string' },
    stagedAt: isoTime,
    startedAt: isoTime,
    message: { type: 'string' },
    replacing: { type: 'string', description: 'Why the instance is being replaced (failed health checks)' },
    killReason: { type: 'string' },
  },
} as const;

export const deploymentSchema = {
  $id: 'AppDeployment',
  type: 'object',
  required: ['id', 'appId', 'version', 'kind', 'status', 'steps', 'currentStep', 'totalSteps', 'progress', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    appId: { type: 'string' },
    version: { type: 'string' },
    fromVersion: { type: 'string' },
    kind: { type: 'string', enum: ['create', 'update', 'scale', 'restart', 'delete', 'rollback', 'revert'] },
    status: { type: 'string', enum: ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] },
    steps: {
      type: 'array',
      items: { type: 'object', required: ['action', 'instances'], properties: { action: { type: 'string', enum: ['START', 'SCALE', 'RESTART', 'STOP'] }, instances: { type: 'integer' } } },
    },
    currentStep: { type: 'integer', description: '1-based' },
    totalSteps: { type: 'integer' },
    currentAction: { type: 'string' },
    progress: {
      type: 'object',
      required: ['tasksHealthy', 'tasksWanted', 'tasksOld', 'tasksLive', 'healthChecks'],
      properties: {
        tasksHealthy: {
          type: 'integer',
          description: 'Instances of the target version that are ready: healthy, or (healthChecks 0) RUNNING for a moment. The deployment succeeds when tasksWanted are and none of them keeps failing',
        },
        tasksWanted: { type: 'integer' },
        tasksOld: { type: 'integer', description: 'Live instances of another version still to replace' },
        tasksLive: { type: 'integer', description: 'Live instances of any version (staging, running or being killed): a scale-down ends at tasksWanted' },
        healthChecks: { type: 'integer', description: "The target's number of health checks: 0 means tasksHealthy counts running instances" },
      },
    },
    createdAt: isoTime,
    updatedAt: isoTime,
    deadlineAt: { ...isoTime, description: 'The deployment fails if it makes no progress before this' },
    finishedAt: isoTime,
    reason: { type: 'string' },
    rollbackOf: { type: 'string' },
    rolledBackBy: { type: 'string' },
  },
} as const;

export const pendingSchema = {
  $id: 'AppPending',
  type: 'object',
  required: ['appId', 'waiting', 'missing', 'backoff', 'agents'],
  properties: {
    appId: { type: 'string' },
    waiting: { type: 'integer', description: 'Instances the supervisor wants launched that no offer has taken yet' },
    missing: { type: 'integer', description: 'Instances wanted minus instances staged or running' },
    summary: { type: 'string' },
    backoff: backoffSchema,
    deployment: {
      type: 'object',
      required: ['id', 'step', 'totalSteps'],
      properties: { id: { type: 'string' }, step: { type: 'integer' }, totalSteps: { type: 'integer' }, action: { type: 'string' } },
    },
    healthKillsPaused: { type: 'string' },
    lastOfferAt: isoTime,
    agents: {
      type: 'array',
      description: "Why each agent's last offer could not take an instance",
      items: { type: 'object', required: ['agentId', 'hostname', 'reason', 'at'], properties: { agentId: { type: 'string' }, hostname: { type: 'string' }, reason: { type: 'string' }, at: isoTime } },
    },
  },
} as const;

export const changeSchema = {
  type: 'object',
  required: ['deploymentId', 'version', 'created', 'deployment'],
  properties: {
    deploymentId: { type: 'string' },
    version: { type: 'string' },
    created: { type: 'boolean' },
    app: { $ref: 'App#' },
    deployment: { $ref: 'AppDeployment#' },
  },
} as const;

export const SHARED_SCHEMAS = [appSchema, appDefinitionSchema, appTaskSchema, deploymentSchema, pendingSchema];

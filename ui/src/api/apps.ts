/** Shapes of the apps API (`/v1/apps…`, `/v1/deployments…`; api-spec: App, AppTask, AppDeployment, AppPending) and its calls. */
import { request } from './http.ts';

export type AppStatus = 'RUNNING' | 'DEPLOYING' | 'SUSPENDED' | 'WAITING' | 'DELAYED' | 'DELETING';

export interface AppCounts {
  wanted: number;
  staged: number;
  running: number;
  healthy: number;
  unhealthy: number;
  killing: number;
  unreachable: number;
  waiting: number;
}

export interface HealthCheck {
  protocol?: string;
  path?: string;
  portIndex?: number;
  command?: string;
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
}

export interface App {
  id: string;
  cmd?: string;
  args?: string[];
  env?: Record<string, string>;
  instances: number;
  cpus?: number;
  mem?: number;
  disk?: number;
  gpus?: number;
  resources?: Record<string, number>;
  ports?: Array<{ port?: number; name?: string; protocol?: string }>;
  constraints?: string[][];
  healthChecks?: HealthCheck[];
  upgradeStrategy?: { minimumHealthCapacity?: number; maximumOverCapacity?: number };
  backoffSeconds?: number;
  backoffFactor?: number;
  maxLaunchDelaySeconds?: number;
  killSelection?: string;
  labels?: Record<string, string>;
  version: string;
  versionInfo: { lastConfigChangeAt: string; lastScalingAt: string };
  status: AppStatus;
  counts: AppCounts;
  deployment: { id: string; kind: string; step: number; totalSteps: number; action?: string } | null;
  backoff: { failures: number; delaySeconds: number; remainingSeconds: number; launchAllowedAt?: string };
  lastTaskFailure?: { taskId?: string; state?: string; message?: string; at?: string; hostname?: string; version?: string };
  waitingBecause?: string;
}

export interface AppList {
  total: number;
  apps: App[];
}

export interface AppTask {
  id: string;
  appId: string;
  agentId: string;
  host: string;
  ports: number[];
  state: string;
  healthy?: boolean;
  healthCheckResults: Array<{ alive?: boolean; consecutiveFailures: number; lastFailureCause?: string }>;
  version: string;
  stagedAt: string;
  startedAt?: string;
  message?: string;
  replacing?: string;
  killReason?: string;
}

export interface Deployment {
  id: string;
  appId: string;
  version: string;
  fromVersion?: string;
  kind: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  steps: Array<{ action: string; instances: number }>;
  currentStep: number;
  totalSteps: number;
  currentAction?: string;
  progress: { tasksHealthy: number; tasksWanted: number; tasksOld: number };
  createdAt: string;
  updatedAt: string;
  deadlineAt?: string;
  finishedAt?: string;
  reason?: string;
}

export interface AppPending {
  appId: string;
  waiting: number;
  missing: number;
  summary?: string;
  agents: Array<{ agentId: string; hostname: string; reason: string; at: string }>;
}

export interface Change {
  deploymentId: string;
  version: string;
  created: boolean;
  app?: App;
  deployment: Deployment;
}

export const appPath = (id: string, rest = ''): string => `/v1/apps/${encodeURIComponent(id)}${rest}`;

export const appActions = {
  /** Forced: a newer scale target replaces a scale deployment still running (clicking + twice means 3). */
  scale: (id: string, instances: number) => request<Change>('POST', `${appPath(id, '/scale')}?force=true`, { instances }),
  suspend: (id: string) => request<Change>('POST', `${appPath(id, '/suspend')}?force=true`),
  restart: (id: string) => request<Change>('POST', appPath(id, '/restart')),
  destroy: (id: string) => request<Change>('DELETE', appPath(id)),
  rollback: (id: string, version: string) => request<Change>('POST', appPath(id, '/rollback'), { version }),
  killTask: (id: string, taskId: string) => request<unknown>('DELETE', appPath(id, `/tasks/${encodeURIComponent(taskId)}`)),
  cancelDeployment: (deploymentId: string) => request<unknown>('DELETE', `/v1/deployments/${encodeURIComponent(deploymentId)}`),
  create: (body: Record<string, unknown>) => request<Change>('POST', '/v1/apps', body),
};

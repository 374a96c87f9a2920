/**
 * What route modules need at request time. Route modules are factories `(deps: ServerDeps) => RouteModule`
 * and must not read deps while registering routes: the spec is generated (npm run spec, test/contract)
 * with deps that throw on any use.
 */
import type { ClusterDeps } from './routes/cluster-routes.ts';
import type { TaskDeps } from './routes/task-routes.ts';
import type { EventDeps } from './routes/event-routes.ts';
import type { SchedulerDeps } from './routes/scheduler-routes.ts';
import type { AppsRouteDeps } from '../apps/routes.ts';
import type { JobsRouteDeps } from '../jobs/routes.ts';
import type { AgentRouteDeps } from './routes/agent-routes.ts';

export interface ServerDeps extends ClusterDeps, TaskDeps, EventDeps, SchedulerDeps, AppsRouteDeps, JobsRouteDeps, AgentRouteDeps {}

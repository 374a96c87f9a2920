/**
 * The list of every area's route modules, in mount order: the one list both production and the
 * spec generator (write-spec.ts) mount, so the committed spec is the served one.
 * `/ping`, `/metrics`, `/openapi.json` and `/docs` are built into buildHttpServer.
 */
import { readFileSync } from 'node:fs';
import type { ServerDeps } from './deps.ts';
import type { RouteModule } from './http-server.ts';
import { clusterRoutes } from './routes/cluster-routes.ts';
import { taskRoutes } from './routes/task-routes.ts';
import { agentRoutes } from './routes/agent-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { uiRoutes } from './routes/ui-routes.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { schedulerRoutes } from './routes/scheduler-routes.ts';
import { appsRoutes } from '../apps/routes.ts';
import { marathonRoutes } from '../apps/marathon-routes.ts';
import { marathonEventRoutes } from '../apps/marathon-events.ts';
import { jobsRoutes } from '../jobs/routes.ts';
import { chronosRoutes } from '../jobs/chronos-routes.ts';

/** The package version: what `/v2/info` reports unless told otherwise. */
const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export function allRouteModules(deps: ServerDeps, opts: { version?: string } = {}): RouteModule[] {
  const marathon = marathonRoutes(deps, { version: opts.version ?? PACKAGE_VERSION });
  return [clusterRoutes(deps), agentRoutes(deps), taskRoutes(deps), eventRoutes(deps), schedulerRoutes(deps), jobsRoutes(deps), chronosRoutes(deps), appsRoutes(deps), marathon, marathonEventRoutes(deps), authRoutes(), uiRoutes()];
}

/**
 * The route modules' dependencies over the leadership lifecycle: what only the leader runs (master, execute
 * framework, jobs, apps) is read from the current term at request time. Between terms (a request that raced a
 * step-down) they answer 503 `ORR_ERR_NOT_LEADER`, which clients retry.
 */
import type { ServerDeps } from './deps.ts';
import type { Leadership } from './leadership.ts';
import type { LeaderServices } from './leader-services.ts';
import type { EventBus } from './event-bus.ts';
import type { AgentProtocol } from './routes/agent-routes.ts';
import type { FrameworkAuthenticator } from './routes/scheduler-credentials.ts';
import { ApiError, ERRORS } from './errors.ts';

export interface SharedDeps {
  events: EventBus;
  frameworkAuth: FrameworkAuthenticator | undefined;
  schedulerHeartbeatMs: number;
  agentProtocol: AgentProtocol | undefined;
}

export function serverDeps(leadership: Leadership<LeaderServices>, shared: SharedDeps): ServerDeps {
  const term = (): LeaderServices => {
    const t = leadership.term;
    if (!t) throw new ApiError(ERRORS.NOT_LEADER, 'this replica does not lead at the moment; retry (any replica forwards to the leader)');
    return t;
  };
  return {
    master: () => term().master,
    leader: () => leadership.leader,
    execute: () => {
      const t = term();
      return { framework: t.execute, frameworkId: t.executeFrameworkId() };
    },
    events: () => shared.events,
    apps: () => term().apps,
    jobs: () => term().jobs,
    builtinFrameworkIds: () => {
      const t = leadership.term;
      return t ? [t.executeFrameworkId(), t.jobs.frameworkId, t.apps.frameworkId] : [];
    },
    frameworkAuth: () => shared.frameworkAuth,
    schedulerHeartbeatMs: () => shared.schedulerHeartbeatMs,
    agentProtocol: () => shared.agentProtocol,
  };
}

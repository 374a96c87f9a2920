/**
 * An app's status as the UI shows it, and why its instances wait. The API's status, except:
 *  - UNPLACEABLE (red, ⚠): instances wait for an offer and the last offer of each agent that made one could not
 *    take an instance (`GET /v1/apps/{id}/pending` says why, per agent: "cpus 500 > 1.4 offered", an unmet
 *    constraint). The API calls that DEPLOYING (or WAITING), which looked like progress for an app that will not
 *    start until the cluster or the app changes.
 *  - UNHEALTHY (red, ✗): running or deploying while instances fail their health checks.
 * DELAYED (a crash loop's launch backoff, amber), SUSPENDED and DELETING are the API's own.
 * The pending info is fetched only for apps with waiting instances, and polled (declined offers have no events).
 */
import { APP_TOPICS, appPath, type App, type AppPending, type AppStatus } from '../api/apps.ts';
import type { LiveEvent } from '../live/event-stream.ts';
import { useResource } from '../live/use-resource.ts';
import { href } from '../router.ts';
import { Badge, type Tone } from './badge.tsx';

const STATUS_TONE: Record<AppStatus, Tone> = { RUNNING: 'ok', DEPLOYING: 'run', SUSPENDED: 'off', WAITING: 'warn', DELAYED: 'warn', DELETING: 'warn' };

/** Per-agent reasons listed in a row of the apps table before "and N more". */
const ROW_REASONS = 2;

export interface ShownStatus {
  label: string;
  tone: Tone;
  icon?: string;
  title?: string;
}

/** The app's pending info while some of its instances wait for an offer (undefined otherwise). */
export function useAppPending(app: App, wanted = app.counts.waiting > 0): AppPending | undefined {
  const match = (e: LiveEvent): boolean => (e.data as { appId?: string } | null)?.appId === app.id;
  return useResource<AppPending>(wanted ? appPath(app.id, '/pending') : null, { topics: APP_TOPICS, match, debounceMs: 500, pollMs: 5000 }).data;
}

/** The pending info when instances wait and no agent's last offer fits one; otherwise undefined. */
export function unplaceable(app: App, pending: AppPending | undefined): AppPending | undefined {
  return app.counts.waiting > 0 && pending !== undefined && pending.waiting > 0 && pending.agents.length > 0 ? pending : undefined;
}

export const isUnplaceable = (app: App, pending: AppPending | undefined): boolean => unplaceable(app, pending) !== undefined;

export function shownAppStatus(app: App, pending: AppPending | undefined): ShownStatus {
  const api: ShownStatus = { label: app.status, tone: STATUS_TONE[app.status] ?? 'warn' };
  if (app.status === 'DELETING' || app.status === 'SUSPENDED' || app.status === 'DELAYED') return api;
  const stuck = unplaceable(app, pending);
  if (stuck) {
    return { label: 'UNPLACEABLE', tone: 'bad', icon: '⚠\uFE0E', title: `No agent's offer fits ${stuck.waiting} waiting instance(s); the API says ${app.status}` };
  }
  if (app.counts.unhealthy > 0) {
    return { label: 'UNHEALTHY', tone: 'bad', title: `${app.counts.unhealthy} of ${app.counts.running} running instance(s) fail their health checks; the API says ${app.status}` };
  }
  return api;
}

export function AppStatusBadge({ app, pending }: { app: App; pending: AppPending | undefined }) {
  const s = shownAppStatus(app, pending);
  return (
    <span class="app-status" data-shown-status={s.label}>
      <Badge tone={s.tone} label={s.label} icon={s.icon} title={s.title} />
    </span>
  );
}

/** Under the app's id in the apps table: why instances wait, in full (wrapped), per agent when no offer fits. */
export function WaitReason({ app, pending }: { app: App; pending: AppPending | undefined }) {
  const stuck = unplaceable(app, pending);
  if (stuck) {
    const more = stuck.agents.length - ROW_REASONS;
    return (
      <div class="reason reason-bad small" data-reason="unplaceable">
        No agent's offer fits {stuck.waiting} instance{stuck.waiting === 1 ? '' : 's'}:
        <ul class="plain">
          {stuck.agents.slice(0, ROW_REASONS).map((a) => (
            <li key={a.agentId}>
              <span class="reason-host">{a.hostname}:</span> {a.reason}
            </li>
          ))}
        </ul>
        {more > 0 && <a href={href(['apps', app.id])}>and {more} more agent{more === 1 ? '' : 's'}</a>}
      </div>
    );
  }
  if (!app.waitingBecause) return null;
  return (
    <div class="reason muted small" data-reason="waiting">
      {app.waitingBecause}
    </div>
  );
}

/**
 * Apps: each app with its status (UNPLACEABLE and UNHEALTHY shown over the API's status: components/app-status.tsx)
 * and why its instances wait, its instances (wanted / running / healthy / unhealthy) as a bar, its deployment's
 * progress, and scale (− / number / +), suspend, restart and destroy. Paged by the API; refreshed on app,
 * deployment and instance events. Below 1000 px the table tightens (bars over their text, smaller buttons)
 * and scrolls sideways only when even that does not fit.
 */
import { withQuery } from '../api/http.ts';
import { APP_TOPICS, appActions, type App, type AppList } from '../api/apps.ts';
import { AppStatusBadge, isUnplaceable, useAppPending, WaitReason } from '../components/app-status.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { InstancesBar } from '../components/instances-bar.tsx';
import { Loaded } from '../components/page-state.tsx';
import { Pager } from '../components/pager.tsx';
import { ScaleControl } from '../components/scale-control.tsx';
import { Permitted, useCan } from '../components/permitted.tsx';
import { useResource } from '../live/use-resource.ts';
import { href, navigate, type Route } from '../router.ts';

const PAGE = 50;
export { APP_TOPICS };

/** `stalled`: the deployment cannot move on (its instances cannot be placed): amber, and said in words. */
export function DeploymentProgress({ d, stalled }: { d: App['deployment']; stalled?: boolean }) {
  if (!d) return <span class="muted">—</span>;
  const pct = d.totalSteps > 0 ? Math.round((Math.max(0, d.step - 1) / d.totalSteps) * 100) : 0;
  return (
    <div class={`progress${stalled ? ' progress-stalled' : ''}`} data-deployment={d.id}>
      <div class="bar" role="progressbar" aria-label={`Deployment ${d.kind}`} aria-valuemin={0} aria-valuemax={d.totalSteps} aria-valuenow={Math.max(0, d.step - 1)} aria-valuetext={`step ${d.step} of ${d.totalSteps}${stalled ? ', stalled' : ''}`}>
        <div class="bar-used" style={{ width: `${pct}%` }} />
      </div>
      <span>
        {d.kind}: step {d.step} of {d.totalSteps}
        {d.action && <span class="muted"> ({d.action.toLowerCase()})</span>}
        {stalled && <strong class="warn-text"> · stalled</strong>}
      </span>
    </div>
  );
}

export function AppActions({ app, afterDestroy }: { app: App; afterDestroy?: () => void }) {
  if (!useCan('operator')) return null;
  return (
    <div class="job-actions app-actions" role="group" aria-label={`Actions for ${app.id}`}>
      <ScaleControl id={app.id} instances={app.instances} running={app.counts.running} scale={(n) => appActions.scale(app.id, n)} />
      <span class="app-buttons">
        <ConfirmAction label="Suspend" question={`Suspend ${app.id}? Its ${app.counts.running} instance(s) are stopped; the definition stays.`} disabled={app.instances === 0} action={() => appActions.suspend(app.id)} />
        <ConfirmAction label="Restart" question={`Restart every instance of ${app.id} (rolling)?`} disabled={app.instances === 0} action={() => appActions.restart(app.id)} />
        <ConfirmAction
          label="Destroy"
          question={`Destroy ${app.id}? Its instances are stopped and the app is deleted.`}
          danger
          action={async () => {
            await appActions.destroy(app.id);
            afterDestroy?.();
          }}
        />
      </span>
    </div>
  );
}

function AppRow({ app }: { app: App }) {
  const pending = useAppPending(app);
  return (
    <tr data-app={app.id} data-status={app.status}>
      <th scope="row">
        <a href={href(['apps', app.id])}>{app.id}</a>
        <WaitReason app={app} pending={pending} />
      </th>
      <td>
        <AppStatusBadge app={app} pending={pending} />
      </td>
      <td>
        <InstancesBar counts={app.counts} label={app.id} checked={(app.healthChecks ?? []).length > 0} />
      </td>
      <td>
        <DeploymentProgress d={app.deployment} stalled={isUnplaceable(app, pending)} />
      </td>
      <td>
        <AppActions app={app} />
      </td>
    </tr>
  );
}

export function AppsPage({ route }: { route: Route }) {
  const filter = route.query.get('id') ?? '';
  const offset = Math.max(0, Number(route.query.get('offset') ?? 0) || 0);
  const list = useResource<AppList>(withQuery('/v1/apps', { id: filter, limit: PAGE, offset }), { topics: APP_TOPICS, debounceMs: 250, keepWhileLoading: true });
  return (
    <>
      <div class="title-row">
        <h1>Apps</h1>
        <Permitted role="operator">
          <a class="btn btn-primary" href={href(['new-app'])}>
            New app
          </a>
        </Permitted>
      </div>
      <div class="filters">
        <label class="inline-field">
          Id contains <input type="search" value={filter} onChange={(e) => navigate(href(['apps'], { id: e.currentTarget.value.trim() }))} />
        </label>
      </div>
      <Loaded data={list.data} error={list.error} what="apps">
        {(d) =>
          d.apps.length === 0 ? (
            <p class="muted">{filter ? 'No apps match.' : 'No apps yet.'}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table class="apps">
                  <thead>
                    <tr>
                      <th scope="col">App</th>
                      <th scope="col">Status</th>
                      <th scope="col">Instances</th>
                      <th scope="col">Deployment</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.apps.map((a) => (
                      <AppRow key={a.id} app={a} />
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager offset={offset} limit={PAGE} total={d.total} hrefFor={(o) => href(['apps'], { id: filter, offset: o || undefined })} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

/**
 * One app: status, instances, deployment progress (cancel), why instances wait (per agent), the last failure,
 * its tasks (host:port links, health, age, version, logs), its definition, and its versions with rollback.
 */
import { get } from '../api/http.ts';
import { appActions, appPath, type App, type AppPending, type AppTask, type AppTaskList, type AppVersionList } from '../api/apps.ts';
import { AppStatusBadge, isUnplaceable, unplaceable, useAppPending } from '../components/app-status.tsx';
import { Badge, TaskStateBadge } from '../components/badge.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { InstancesBar } from '../components/instances-bar.tsx';
import { Loaded } from '../components/page-state.tsx';
import { fmtAgo, fmtTime } from '../format.ts';
import type { LiveEvent } from '../live/event-stream.ts';
import { useResource } from '../live/use-resource.ts';
import { href, navigate } from '../router.ts';
import { APP_TOPICS, AppActions, DeploymentProgress } from './apps-page.tsx';

function Health({ t }: { t: AppTask }) {
  if (t.replacing) return <Badge tone="bad" label="replacing" title={t.replacing} />;
  if (t.healthy === true) return <Badge tone="ok" label="healthy" />;
  if (t.healthy === false) return <Badge tone="bad" label="unhealthy" title={t.healthCheckResults.map((h) => h.lastFailureCause).filter(Boolean).join('; ')} />;
  return <span class="muted">{t.healthCheckResults.length > 0 ? 'not checked yet' : 'no checks'}</span>;
}

function Tasks({ app, match }: { app: App; match: (e: LiveEvent) => boolean }) {
  const tasks = useResource<AppTaskList>(appPath(app.id, '/tasks'), { topics: APP_TOPICS, match, debounceMs: 250, keepWhileLoading: true });
  const now = Date.now();
  return (
    <section aria-labelledby="app-tasks-h">
      <h2 id="app-tasks-h">
        Tasks {tasks.data && <span class="count">{tasks.data.tasks.length}</span>}
      </h2>
      <Loaded data={tasks.data} error={tasks.error} what="tasks">
        {(d) =>
          d.tasks.length === 0 ? (
            <p class="muted">No tasks.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Task</th>
                    <th scope="col">State</th>
                    <th scope="col">Endpoints</th>
                    <th scope="col">Health</th>
                    <th scope="col">Age</th>
                    <th scope="col">Version</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.tasks.map((t) => (
                    <tr key={t.id} data-task-id={t.id}>
                      <th scope="row">
                        <a href={href(['tasks', t.id])}>{t.id}</a>
                        <div class="muted small">logs and details</div>
                      </th>
                      <td>
                        <TaskStateBadge state={t.state} title={t.message} />
                      </td>
                      <td>
                        {t.ports.length === 0 ? (
                          t.host
                        ) : (
                          <ul class="plain">
                            {t.ports.map((p) => (
                              <li key={p}>
                                <a href={`http://${t.host}:${p}/`} target="_blank" rel="noreferrer">
                                  {t.host}:{p}
                                </a>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td>
                        <Health t={t} />
                      </td>
                      <td title={fmtTime(t.startedAt ?? t.stagedAt)}>{fmtAgo(t.startedAt ?? t.stagedAt, now).replace(/ ago$/, '')}</td>
                      <td>
                        <span class="mono small">{t.version}</span>
                        {t.version < app.versionInfo.lastConfigChangeAt && <Badge tone="warn" label="old" title="Runs an earlier configuration" />}
                      </td>
                      <td>
                        <ConfirmAction label="Kill" question={`Kill ${t.id}? A replacement starts.`} danger action={() => appActions.killTask(app.id, t.id)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

function Versions({ app }: { app: App }) {
  const versions = useResource<AppVersionList>(appPath(app.id, '/versions'), { topics: ['app.'], match: (e) => (e.data as { appId?: string } | null)?.appId === app.id });
  return (
    <section aria-labelledby="versions-h">
      <h2 id="versions-h">Versions</h2>
      <Loaded data={versions.data} error={versions.error} what="versions">
        {(d) => (
          <ol class="versions">
            {d.versions.map((v) => (
              <li key={v}>
                <details
                  onToggle={(e) => {
                    const el = e.currentTarget as HTMLDetailsElement;
                    const pre = el.querySelector('pre');
                    if (el.open && pre && !pre.dataset.loaded) {
                      pre.dataset.loaded = '1';
                      get<unknown>(appPath(app.id, `/versions/${encodeURIComponent(v)}`)).then(
                        (def) => (pre.textContent = JSON.stringify(def, null, 2)),
                        (err: unknown) => (pre.textContent = `could not load: ${err instanceof Error ? err.message : String(err)}`),
                      );
                    }
                  }}
                >
                  <summary>
                    <span class="mono">{v}</span> {v === app.version && <Badge tone="ok" label="current" />}
                  </summary>
                  <pre class="log">Loading…</pre>
                </details>
                {v !== app.version && <ConfirmAction label="Roll back" question={`Deploy version ${v} again?`} action={() => appActions.rollback(app.id, v)} />}
              </li>
            ))}
          </ol>
        )}
      </Loaded>
    </section>
  );
}

/** Why instances wait, with each agent's reason; a red note when no agent's offer fits. */
function Waiting({ app, pending }: { app: App; pending: AppPending | undefined }) {
  if (!(app.counts.waiting > 0 || app.waitingBecause)) return null;
  const stuck = unplaceable(app, pending);
  return (
    <div class={`note${stuck ? ' note-error' : ''}`} role="status" data-waiting={stuck ? 'unplaceable' : 'waiting'}>
      <strong>{stuck ? `No agent's offer fits ${stuck.waiting} instance${stuck.waiting === 1 ? '' : 's'}:` : 'Waiting:'}</strong> {!stuck && (app.waitingBecause ?? pending?.summary)}
      {pending && pending.agents.length > 0 && (
        <ul>
          {pending.agents.map((a) => (
            <li key={a.agentId}>
              {a.hostname}: {a.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Definition({ app }: { app: App }) {
  return (
    <dl class="facts facts-wide">
      <dt>Command</dt>
      <dd>
        <code class="cmd">{app.cmd ?? (app.args ?? []).join(' ')}</code>
      </dd>
      <dt>Per instance</dt>
      <dd class="mono small">
        cpus:{app.cpus};mem:{app.mem}
        {app.disk ? `;disk:${app.disk}` : ''}
        {Object.entries(app.resources ?? {}).map(([k, v]) => `;${k}:${v}`)}
      </dd>
      <dt>Ports</dt>
      <dd>{(app.ports ?? []).map((p, i) => `PORT${i}${p.name ? ` (${p.name})` : ''}${p.port ? ` = ${p.port}` : ''}`).join(', ') || 'none'}</dd>
      <dt>Constraints</dt>
      <dd class="mono small">{(app.constraints ?? []).map((c) => c.join(':')).join(', ') || 'none'}</dd>
      <dt>Health checks</dt>
      <dd>{(app.healthChecks ?? []).map((h) => `${h.protocol ?? 'HTTP'} ${h.path ?? h.command ?? ''} every ${h.intervalSeconds ?? 60} s`).join('; ') || 'none'}</dd>
      <dt>Upgrades</dt>
      <dd>
        keep ≥ {(app.upgradeStrategy?.minimumHealthCapacity ?? 1) * 100}% healthy, ≤ {(app.upgradeStrategy?.maximumOverCapacity ?? 1) * 100}% extra
      </dd>
      {app.labels && Object.keys(app.labels).length > 0 && (
        <>
          <dt>Labels</dt>
          <dd class="mono small">{Object.entries(app.labels).map(([k, v]) => `${k}=${v}`).join(', ')}</dd>
        </>
      )}
      <dt>Version</dt>
      <dd>
        {fmtTime(app.version)} <span class="muted">· config changed {fmtTime(app.versionInfo.lastConfigChangeAt)}</span>
      </dd>
    </dl>
  );
}

function AppDetail({ a, match }: { a: App; match: (e: LiveEvent) => boolean }) {
  const pending = useAppPending(a, a.counts.waiting > 0 || Boolean(a.waitingBecause));
  return (
    <>
      <div class="title-row">
        <h1>
          {a.id} <AppStatusBadge app={a} pending={pending} />
        </h1>
        <AppActions app={a} afterDestroy={() => navigate(href(['apps']))} />
      </div>
      <div class="summary">
        <div class="card">
          <h2 class="card-title">Instances</h2>
          <InstancesBar counts={a.counts} label={a.id} checked={(a.healthChecks ?? []).length > 0} />
          {a.backoff.failures > 0 && (
            <p class="muted small">
              {a.backoff.failures} failure(s) · launch delay {a.backoff.delaySeconds} s{a.backoff.remainingSeconds > 0 && ` (${Math.ceil(a.backoff.remainingSeconds)} s left)`}
            </p>
          )}
        </div>
        <div class="card">
          <h2 class="card-title">Deployment</h2>
          <DeploymentProgress d={a.deployment} stalled={isUnplaceable(a, pending)} />
          {a.deployment && (
            <p>
              <ConfirmAction label="Cancel deployment" question="Cancel it? A new deployment reverts to the previous definition." action={() => appActions.cancelDeployment(a.deployment!.id)} />
            </p>
          )}
        </div>
      </div>
      <Waiting app={a} pending={pending} />
      {a.lastTaskFailure?.message && (
        <p class="note note-error">
          <strong>Last failure</strong> {fmtTime(a.lastTaskFailure.at)} on {a.lastTaskFailure.hostname}: {a.lastTaskFailure.message}
        </p>
      )}
      <Tasks app={a} match={match} />
      <h2>Definition</h2>
      <Definition app={a} />
      <Versions app={a} />
    </>
  );
}

export function AppPage({ id }: { id: string }) {
  const match = (e: LiveEvent): boolean => (e.data as { appId?: string } | null)?.appId === id;
  const app = useResource<App>(appPath(id), { topics: APP_TOPICS, match, debounceMs: 200 });
  return (
    <>
      <p class="crumbs">
        <a href={href(['apps'])}>← Apps</a>
      </p>
      <Loaded data={app.data} error={app.error} what={`app ${id}`}>
        {(a) => <AppDetail a={a} match={match} />}
      </Loaded>
    </>
  );
}

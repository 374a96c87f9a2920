/**
 * Tasks: the run form, then every task the master holds, newest first, filtered by state, framework and agent
 * (all in the URL), 50 per page, refreshed on `task.*` events.
 */
import { request, withQuery } from '../api/http.ts';
import { isTerminal, TASK_STATES, type FrameworkList, type Task, type TaskList } from '../api/types.ts';
import { TaskStateBadge } from '../components/badge.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { Loaded } from '../components/page-state.tsx';
import { Pager } from '../components/pager.tsx';
import { fmtDuration, fmtTime } from '../format.ts';
import { useResource } from '../live/use-resource.ts';
import { href, navigate, type Route } from '../router.ts';
import { RunForm } from './run-form.tsx';

const PAGE = 50;

export function killTask(id: string): Promise<unknown> {
  return request('DELETE', `/v1/tasks/${encodeURIComponent(id)}`);
}

function TaskRow({ t, frameworkName }: { t: Task; frameworkName: string }) {
  return (
    <tr data-task-id={t.id}>
      <th scope="row">
        <a href={href(['tasks', t.id])}>{t.name}</a>
        <div class="muted mono small">{t.id}</div>
      </th>
      <td>
        <TaskStateBadge state={t.state} title={[t.reason, t.message ?? t.pendingReason].filter(Boolean).join(': ')} />
      </td>
      <td>{frameworkName}</td>
      <td>{t.hostname ?? <span class="muted">—</span>}</td>
      <td class="num">{t.exitCode ?? (t.signal ? t.signal : <span class="muted">—</span>)}</td>
      <td>{fmtTime(t.startedAt ?? t.createdAt)}</td>
      <td class="num">{fmtDuration(t.durationMs)}</td>
      <td>{!isTerminal(t.state) && <ConfirmAction label="Kill" question={`Kill ${t.name}?`} danger action={() => killTask(t.id)} />}</td>
    </tr>
  );
}

export function TasksPage({ route }: { route: Route }) {
  const q = route.query;
  const state = q.get('state') ?? '';
  const framework = q.get('framework') ?? '';
  const agent = q.get('agent') ?? '';
  const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
  const filters = { state, framework, agent };
  const list = useResource<TaskList>(withQuery('/v1/tasks', { ...filters, limit: PAGE, offset }), { topics: ['task.'], debounceMs: 300, keepWhileLoading: true });
  const fws = useResource<FrameworkList>('/v1/frameworks', { topics: ['framework.'], pollMs: 30_000 });
  const names = new Map((fws.data?.frameworks ?? []).map((f) => [f.id, f.name]));
  const go = (patch: Record<string, string>): void => navigate(href(['tasks'], { ...filters, ...patch }));

  return (
    <>
      <h1>Tasks</h1>
      <RunForm />
      <section aria-labelledby="tasks-h">
        <div class="section-head">
          <h2 id="tasks-h">
            All tasks {list.data && <span class="count">{list.data.total.toLocaleString()}</span>}
          </h2>
          <div class="filters" role="group" aria-label="Filters">
            <label class="inline-field">
              State{' '}
              <select value={state} onChange={(e) => go({ state: e.currentTarget.value })}>
                <option value="">any</option>
                {TASK_STATES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
            <label class="inline-field">
              Framework{' '}
              <select value={framework} onChange={(e) => go({ framework: e.currentTarget.value })}>
                <option value="">any</option>
                {(fws.data?.frameworks ?? []).map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
                {framework && !names.has(framework) && <option value={framework}>{framework}</option>}
              </select>
            </label>
            {agent && (
              <span class="chip">
                agent {agent}{' '}
                <a href={href(['tasks'], { state, framework })} aria-label="Show tasks of every agent">
                  ✕
                </a>
              </span>
            )}
          </div>
        </div>
        <Loaded data={list.data} error={list.error} what="tasks">
          {(d) =>
            d.tasks.length === 0 ? (
              <p class="muted">No tasks{state || framework || agent ? ' match these filters' : ' yet: run one with the form above'}.</p>
            ) : (
              <>
                <div class="table-wrap">
                  <table class="tasks">
                    <thead>
                      <tr>
                        <th scope="col">Task</th>
                        <th scope="col">State</th>
                        <th scope="col">Framework</th>
                        <th scope="col">Agent</th>
                        <th scope="col">Exit</th>
                        <th scope="col">Started</th>
                        <th scope="col">Duration</th>
                        <th scope="col">
                          <span class="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.tasks.map((t) => (
                        <TaskRow key={t.id} t={t} frameworkName={names.get(t.frameworkId) ?? t.frameworkId} />
                      ))}
                    </tbody>
                  </table>
                </div>
                <Pager offset={offset} limit={PAGE} total={d.total} hrefFor={(o) => href(['tasks'], { ...filters, offset: o || undefined })} />
              </>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

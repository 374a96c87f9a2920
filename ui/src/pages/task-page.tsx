/**
 * One task: state with its history, what it runs and where, kill, and its stdout/stderr (followed while it runs).
 * The heading links to what launched the task (an app, a job's run); the back link returns to the page the user
 * came from (an app, a job, the tasks list with its filters, the cluster), else to that owner, else to the tasks.
 */
import { useState } from 'preact/hooks';
import type { LiveEvent } from '../live/event-stream.ts';
import { isTerminal, type Task } from '../api/types.ts';
import { Badge, TaskStateBadge } from '../components/badge.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { LogViewer } from '../components/log-viewer.tsx';
import { Loaded } from '../components/page-state.tsx';
import { fmtDuration, fmtResources, fmtTaskReason, fmtTime } from '../format.ts';
import { useResource } from '../live/use-resource.ts';
import { href, parseHash, previousHash } from '../router.ts';
import { killTask } from './tasks-page.tsx';

function commandText(t: Task): string {
  return t.command.shell ? (t.command.value ?? '') : (t.command.arguments ?? []).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** A status reason as a phrase, its code kept in the tooltip. */
function Reason({ code }: { code: string }) {
  return (
    <span class="task-reason" title={code} data-reason-code={code}>
      {fmtTaskReason(code)}
    </span>
  );
}

/** What launched the task: an app (its instances carry ORRERY_APP_ID, their name is the app id) or a job's run. */
export function taskOwner(t: Task): { href: string; label: string } | undefined {
  const job = t.labels?.['orrery.job'];
  if (job) return { href: href(['jobs', job], { run: t.labels?.['orrery.run'] }), label: job };
  if (t.name.startsWith('/') && t.command.env?.includes('ORRERY_APP_ID')) return { href: href(['apps', t.name]), label: t.name };
  return undefined;
}

/** Back to the page the user came from when it is one that lists or owns tasks; else to the task's owner. */
function backLink(previous: string | undefined, t: Task | undefined): { href: string; label: string } {
  if (previous) {
    const [section, id] = parseHash(previous).path;
    if ((section === 'apps' || section === 'jobs') && id) return { href: previous, label: id };
    if (section === 'tasks' && !id) return { href: previous, label: 'Tasks' };
    if (section === 'cluster') return { href: previous, label: 'Cluster' };
  }
  return (t && taskOwner(t)) ?? { href: href(['tasks']), label: 'Tasks' };
}

export function TaskDetail({ t }: { t: Task }) {
  const active = !isTerminal(t.state);
  const owner = taskOwner(t);
  return (
    <>
      <div class="title-row">
        <h1>
          {owner ? <a href={owner.href}>{t.name}</a> : t.name} <TaskStateBadge state={t.state} />
        </h1>
        {active && <ConfirmAction label="Kill" question={`Kill ${t.name}? SIGTERM, then SIGKILL after the grace period.`} danger action={() => killTask(t.id)} />}
      </div>
      <dl class="facts facts-wide">
        <dt>Id</dt>
        <dd class="mono">{t.id}</dd>
        <dt>Command</dt>
        <dd>
          <code class="cmd">{commandText(t)}</code>
          {!t.command.shell && <span class="muted"> (argv)</span>}
        </dd>
        {(t.reason || t.message || t.pendingReason) && (
          <>
            <dt>Why</dt>
            <dd>
              {t.reason && <Reason code={t.reason} />}
              {t.reason && (t.message ?? t.pendingReason) && ': '}
              {t.message ?? t.pendingReason}
            </dd>
          </>
        )}
        {(t.exitCode !== undefined || t.signal) && (
          <>
            <dt>Exit</dt>
            <dd>
              {t.exitCode !== undefined && `code ${t.exitCode}`} {t.signal && `signal ${t.signal}`}
            </dd>
          </>
        )}
        {t.healthy !== undefined && (
          <>
            <dt>Health</dt>
            <dd>{t.healthy ? <Badge tone="ok" label="healthy" /> : <Badge tone="bad" label="unhealthy" />}</dd>
          </>
        )}
        <dt>Agent</dt>
        <dd>{t.agentId ? <a href={href(['cluster'])}>{t.hostname ?? t.agentId}</a> : <span class="muted">not placed yet</span>}</dd>
        <dt>Framework</dt>
        <dd class="mono small">
          <a href={href(['tasks'], { framework: t.frameworkId })}>{t.frameworkId}</a>
        </dd>
        <dt>Resources</dt>
        <dd class="mono small">{fmtResources(t.resources)}</dd>
        {t.command.env && t.command.env.length > 0 && (
          <>
            <dt>Environment</dt>
            <dd class="mono small">{t.command.env.join(', ')}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{fmtTime(t.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{fmtTime(t.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{fmtTime(t.finishedAt)}</dd>
        <dt>Duration</dt>
        <dd>{fmtDuration(t.durationMs)}</dd>
        {t.executorPid !== undefined && (
          <>
            <dt>Executor pid</dt>
            <dd>{t.executorPid}</dd>
          </>
        )}
      </dl>
      <h2>Output</h2>
      {t.agentId ? <LogViewer base={`/v1/tasks/${encodeURIComponent(t.id)}/files`} active={active} label={`Output of ${t.name}`} /> : <p class="muted">No output: the task has not been launched yet.</p>}
      {t.history.length > 0 && (
        <>
          <h2>History</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">At</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {t.history.map((h, i) => (
                  <tr key={i}>
                    <td>
                      <TaskStateBadge state={h.state} />
                    </td>
                    <td>{fmtTime(h.timestamp)}</td>
                    <td>{h.reason ? <Reason code={h.reason} /> : <span class="muted">—</span>}</td>
                    <td>{h.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function TaskPage({ id }: { id: string }) {
  const match = (e: LiveEvent): boolean => (e.data as { taskId?: string } | null)?.taskId === id;
  const task = useResource<Task>(`/v1/tasks/${encodeURIComponent(id)}`, { topics: ['task.'], match, debounceMs: 150 });
  const [previous] = useState(previousHash);
  const back = backLink(previous, task.data);
  return (
    <>
      <p class="crumbs">
        <a href={back.href} data-back>
          ← {back.label}
        </a>
      </p>
      <Loaded data={task.data} error={task.error} what={`task ${id}`}>
        {(t) => <TaskDetail t={t} />}
      </Loaded>
    </>
  );
}

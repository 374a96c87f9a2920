/**
 * One job: status and actions, its definition, the next fire times, counters and duration percentiles, a
 * chart of the last runs' durations, and the run history (paged) with each run's stdout/stderr.
 */
import { withQuery } from '../api/http.ts';
import { jobPath, type Job, type JobSchedule, type Run, type RunList } from '../api/jobs.ts';
import { DurationChart } from '../components/duration-chart.tsx';
import { JobStatusBadge, RunStateBadge } from '../components/job-badges.tsx';
import { LogViewer } from '../components/log-viewer.tsx';
import { Loaded } from '../components/page-state.tsx';
import { Pager } from '../components/pager.tsx';
import { useEffect, useRef } from 'preact/hooks';
import { fmtAgo, fmtDuration, fmtTime } from '../format.ts';
import type { LiveEvent } from '../live/event-stream.ts';
import { useResource } from '../live/use-resource.ts';
import { href, type Route } from '../router.ts';
import { JobActions, NextRun, scheduleText } from './jobs-page.tsx';

const RUNS_PAGE = 25;
const ACTIVE_RUN = new Set(['QUEUED', 'STARTING', 'RUNNING']);

function JobLinks({ names }: { names: readonly string[] }) {
  if (names.length === 0) return <span class="muted">none</span>;
  return (
    <>
      {names.map((n, i) => (
        <span key={n}>
          {i > 0 && ', '}
          <a href={href(['jobs', n])}>{n}</a>
        </span>
      ))}
    </>
  );
}

function Definition({ job }: { job: Job }) {
  const command = typeof job.command === 'string' ? job.command : job.command.join(' ');
  return (
    <dl class="facts facts-wide">
      {job.description && (
        <>
          <dt>Description</dt>
          <dd>{job.description}</dd>
        </>
      )}
      <dt>Command</dt>
      <dd>
        <code class="cmd">{command}</code>
      </dd>
      <dt>Schedule</dt>
      <dd>{scheduleText(job)}</dd>
      <dt>Next run</dt>
      <dd>
        <NextRun job={job} />
      </dd>
      <dt>Parents</dt>
      <dd>
        <JobLinks names={job.parents ?? []} />
      </dd>
      <dt>Children</dt>
      <dd>
        <JobLinks names={job.children} />
      </dd>
      {job.owner && (
        <>
          <dt>Owner</dt>
          <dd>{job.owner}</dd>
        </>
      )}
      <dt>Resources</dt>
      <dd class="mono small">
        cpus:{job.cpus};mem:{job.mem}
        {job.disk ? `;disk:${job.disk}` : ''}
        {job.resources ? `;${job.resources}` : ''}
      </dd>
      <dt>Retries</dt>
      <dd>
        {job.retries}
        {job.retries > 0 && job.backoff.initialMs !== undefined && (
          <span class="muted">
            {' '}
            (backoff {fmtDuration(job.backoff.initialMs)} × {job.backoff.factor}, at most {fmtDuration(job.backoff.maxMs)})
          </span>
        )}
      </dd>
      <dt>Timeout</dt>
      <dd>{job.timeoutMs ? fmtDuration(job.timeoutMs) : 'none'}</dd>
      <dt>Concurrency</dt>
      <dd>{job.concurrencyPolicy}</dd>
      <dt>Version</dt>
      <dd>
        {job.version} <span class="muted">· updated {fmtTime(job.updatedAt)}</span>
      </dd>
    </dl>
  );
}

function Stats({ job, now }: { job: Job; now: number }) {
  const s = job.stats;
  return (
    <dl class="facts facts-wide stats" aria-label="Statistics">
      <dt>Succeeded</dt>
      <dd>
        {s.successCount} <span class="muted">· last {fmtAgo(s.lastSuccess, now)}</span>
      </dd>
      <dt>Failed</dt>
      <dd>
        {s.errorCount} <span class="muted">· last {fmtAgo(s.lastError, now)}</span>
        {s.errorsSinceLastSuccess > 0 && <strong class="bad-text"> · {s.errorsSinceLastSuccess} since the last success</strong>}
      </dd>
      <dt>Active</dt>
      <dd>
        {s.running} running, {s.queued} queued
      </dd>
      {(s.missedCount ?? 0) + (s.skippedCount ?? 0) > 0 && (
        <>
          <dt>Not run</dt>
          <dd>
            {s.missedCount ?? 0} missed, {s.skippedCount ?? 0} skipped
          </dd>
        </>
      )}
      <dt>Duration</dt>
      <dd>{s.duration ? `p50 ${fmtDuration(s.duration.p50)} · p90 ${fmtDuration(s.duration.p90)} · p99 ${fmtDuration(s.duration.p99)} · max ${fmtDuration(s.duration.max)}` : '—'}</dd>
      {s.startDelay && (
        <>
          <dt>Start delay</dt>
          <dd>
            p50 {fmtDuration(s.startDelay.p50)} · p99 {fmtDuration(s.startDelay.p99)}
          </dd>
        </>
      )}
    </dl>
  );
}

/** Formatted as the job list does: on the job's wall clock, and on the viewer's when that zone differs. */
function Upcoming({ name, timeZone }: { name: string; timeZone?: string }) {
  const preview = useResource<JobSchedule>(withQuery(jobPath(name, '/schedule'), { count: 5 }), { topics: ['job.'], debounceMs: 500 });
  const times = preview.data?.times ?? [];
  if (times.length === 0) return null;
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <section aria-labelledby="upcoming-h">
      <h2 id="upcoming-h">Next fire times</h2>
      <ol class="upcoming">
        {times.map((t) => (
          <li key={t.at} title={t.local} data-at={t.at}>
            {fmtTime(t.at, timeZone)} {timeZone && <span class="muted small">{timeZone}</span>}
            {timeZone && local !== timeZone && <span class="muted small"> · {fmtTime(t.at)} your time</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function RunRow({ run, name, selected, filters }: { run: Run; name: string; selected: boolean; filters: Record<string, string | undefined> }) {
  return (
    <tr data-run={run.id} data-state={run.state} aria-selected={selected}>
      <th scope="row">{run.id}</th>
      <td>
        <RunStateBadge state={run.state} title={run.reason ?? run.pendingReason} />
        {run.reason && <div class="muted small clip">{run.reason}</div>}
      </td>
      <td>
        {run.cause}
        {run.attempt > 1 && <span class="muted"> #{run.attempt}</span>}
        {run.triggeredBy && <div class="muted small">by {run.triggeredBy.job}</div>}
      </td>
      <td>{fmtTime(run.scheduledAt)}</td>
      <td>{fmtTime(run.startedAt)}</td>
      <td class="num">{fmtDuration(run.durationMs)}</td>
      <td class="num">{run.exitCode ?? <span class="muted">—</span>}</td>
      <td>{run.hostname ?? <span class="muted">—</span>}</td>
      <td>
        {run.taskId ? (
          <a href={href(['jobs', name], { ...filters, run: run.id })} aria-current={selected ? 'true' : undefined}>
            Output<span class="visually-hidden"> of run {run.id}</span>
          </a>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
    </tr>
  );
}

function Runs({ name, route }: { name: string; route: Route }) {
  const offset = Math.max(0, Number(route.query.get('runs') ?? 0) || 0);
  const selected = route.query.get('run') ?? '';
  const match = (e: LiveEvent): boolean => (e.data as { job?: string } | null)?.job === name;
  const runs = useResource<RunList>(withQuery(jobPath(name, '/runs'), { limit: RUNS_PAGE, offset }), { topics: ['run.'], match, debounceMs: 250, keepWhileLoading: true });
  const filters = { runs: offset ? String(offset) : undefined };
  const shownTask = runs.data?.runs.find((r) => r.id === selected)?.taskId;
  // The output opens below the whole runs table: bring it into view (and focus its heading, for keyboard and
  // screen-reader users) once per chosen run, not again on every live refresh.
  const outputRef = useRef<HTMLHeadingElement>(null);
  const scrolledTo = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!selected || !shownTask || scrolledTo.current === selected || !outputRef.current) return;
    scrolledTo.current = selected;
    outputRef.current.scrollIntoView({ block: 'start' });
    outputRef.current.focus({ preventScroll: true });
  }, [selected, shownTask]);
  return (
    <Loaded data={runs.data} error={runs.error} what="runs">
      {(d) => {
        const shown = d.runs.find((r) => r.id === selected);
        return (
          <>
            <h2>Duration of the last runs</h2>
            <DurationChart runs={[...d.runs].reverse().filter((r) => !ACTIVE_RUN.has(r.state))} />
            <h2 id="runs-h">
              Runs <span class="count">{d.total}</span>
            </h2>
            {d.runs.length === 0 ? (
              <p class="muted">No runs yet.</p>
            ) : (
              <div class="table-wrap">
                <table aria-labelledby="runs-h">
                  <thead>
                    <tr>
                      <th scope="col">Run</th>
                      <th scope="col">State</th>
                      <th scope="col">Cause</th>
                      <th scope="col">Scheduled</th>
                      <th scope="col">Started</th>
                      <th scope="col" class="num">
                        Duration
                      </th>
                      <th scope="col" class="num">
                        Exit
                      </th>
                      <th scope="col">Agent</th>
                      <th scope="col">Logs</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.runs.map((r) => (
                      <RunRow key={r.id} run={r} name={name} selected={r.id === selected} filters={filters} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager offset={offset} limit={RUNS_PAGE} total={d.total} hrefFor={(o) => href(['jobs', name], { runs: o || undefined, run: selected || undefined })} />
            {shown?.taskId && (
              <section aria-labelledby="run-output-h">
                <h2 id="run-output-h" ref={outputRef} tabIndex={-1}>
                  Output of run {shown.id} <RunStateBadge state={shown.state} />
                </h2>
                <LogViewer base={`/v1/tasks/${encodeURIComponent(shown.taskId)}/files`} active={ACTIVE_RUN.has(shown.state)} label={`Output of run ${shown.id}`} />
              </section>
            )}
          </>
        );
      }}
    </Loaded>
  );
}

export function JobPage({ name, route }: { name: string; route: Route }) {
  const match = (e: LiveEvent): boolean => {
    const d = e.data as { job?: string } | null;
    return d?.job === name;
  };
  const job = useResource<Job>(jobPath(name), { topics: ['job.', 'run.'], match, debounceMs: 250 });
  const now = Date.now();
  return (
    <>
      <p class="crumbs">
        <a href={href(['jobs'])}>← Jobs</a>
      </p>
      <Loaded data={job.data} error={job.error} what={`job ${name}`}>
        {(j) => (
          <>
            <div class="title-row">
              <h1>
                {j.name} <JobStatusBadge status={j.status} />
              </h1>
              <JobActions job={j} />
            </div>
            <div class="two-col">
              <Definition job={j} />
              <div>
                <Stats job={j} now={now} />
                <Upcoming name={name} timeZone={j.timeZone} />
              </div>
            </div>
            <Runs name={name} route={route} />
          </>
        )}
      </Loaded>
    </>
  );
}

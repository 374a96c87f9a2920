/**
 * Jobs: counts by status at the top (each a filter), the table of jobs with status badges, last and next run
 * (in the job's zone and the viewer's), outcome counts and p50 duration, and the actions. Paged by the API
 * (50 a page), filtered by name, owner and status (all in the URL), refreshed on `job.*` and `run.*` events.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, withQuery } from '../api/http.ts';
import { jobActions, lastRunAt, type Job, type JobList } from '../api/jobs.ts';
import { ActionButton } from '../components/action-button.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { JOB_STATUSES, JOB_STATUS_LOOK, JobStatusBadge } from '../components/job-badges.tsx';
import { Loaded } from '../components/page-state.tsx';
import { Pager } from '../components/pager.tsx';
import { Permitted, useCan } from '../components/permitted.tsx';
import { fmtAgo, fmtDuration, fmtTime, fmtTimeShort } from '../format.ts';
import { useLive, useResource } from '../live/use-resource.ts';
import { href, navigate, type Route } from '../router.ts';

const PAGE = 50;
const TOPICS = ['job.', 'run.'];

export function scheduleText(j: Pick<Job, 'schedule' | 'timeZone' | 'parents'>): string {
  if (j.schedule) return j.timeZone && j.timeZone !== 'UTC' ? `${j.schedule} (${j.timeZone})` : j.schedule;
  if (j.parents && j.parents.length > 0) return `after ${j.parents.join(', ')}`;
  return 'manual only';
}

/** The next fire time on the job's wall clock and, when the viewer's zone differs, on the viewer's. */
export function NextRun({ job, now }: { job: Pick<Job, 'nextRunAt' | 'timeZone'>; now?: number }) {
  if (!job.nextRunAt) return <span class="muted">—</span>;
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const show = (tz?: string): string => (now === undefined ? fmtTime(job.nextRunAt, tz) : fmtTimeShort(job.nextRunAt, now, tz));
  return (
    <span title={job.nextRunAt}>
      {show(job.timeZone)} <span class="muted small">{job.timeZone}</span>
      {local !== job.timeZone && (
        <>
          <br />
          <span class="muted small">{show()} your time</span>
        </>
      )}
    </span>
  );
}

export function JobActions({ job, compact }: { job: Job; compact?: boolean }) {
  const active = job.stats.running + job.stats.queued > 0;
  if (!useCan('operator')) return null;
  return (
    <div class={`job-actions${compact ? ' compact' : ''}`} role="group" aria-label={`Actions for ${job.name}`}>
      <ActionButton label="Run now" name={compact ? `Run ${job.name} now` : undefined} primary action={() => jobActions.runNow(job.name)} />
      {active && <ConfirmAction label="Kill" question={`Kill the active runs of ${job.name}?`} danger action={() => jobActions.kill(job.name)} />}
      {job.disabled ? (
        <ActionButton label="Enable" name={compact ? `Enable ${job.name}` : undefined} action={() => jobActions.enable(job.name)} />
      ) : (
        <ActionButton label="Disable" name={compact ? `Disable ${job.name}` : undefined} action={() => jobActions.disable(job.name)} />
      )}
      {!compact && <a class="btn" href={href(['edit-job', job.name])}>Edit</a>}
      <ConfirmAction
        label="Delete"
        question={job.children.length > 0 ? `Delete ${job.name}? ${job.children.join(', ')} will no longer depend on it.` : `Delete ${job.name} and its history?`}
        danger
        action={async () => {
          await jobActions.remove(job.name, job.children.length > 0);
          if (!compact) navigate(href(['jobs']));
        }}
      />
    </div>
  );
}

function JobRow({ job, now }: { job: Job; now: number }) {
  const duration = job.stats.duration;
  const last = lastRunAt(job.stats);
  return (
    <tr data-job={job.name} data-status={job.status}>
      <td>
        <JobStatusBadge status={job.status} />
      </td>
      <th scope="row">
        <a href={href(['jobs', job.name])}>{job.name}</a>
        {job.description && <div class="muted small clip">{job.description}</div>}
      </th>
      <td class="sched">{scheduleText(job)}</td>
      <td title={last ? fmtTime(last) : undefined}>{fmtAgo(last, now)}</td>
      <td>
        <NextRun job={job} now={now} />
      </td>
      <td class="num">
        <span class="ok-text" title="succeeded">
          <span aria-hidden="true">✓</span> {job.stats.successCount}
        </span>{' '}
        <span class="bad-text" title="failed">
          <span aria-hidden="true">✗</span> {job.stats.errorCount}
        </span>
        <span class="visually-hidden">
          {job.stats.successCount} succeeded, {job.stats.errorCount} failed
        </span>
      </td>
      <td class="num" data-col="p50" title={duration ? `p50 of the last ${duration.count} succeeded runs; p90 ${fmtDuration(duration.p90)}, max ${fmtDuration(duration.max)}` : 'no succeeded run yet'}>
        {fmtDuration(duration?.p50)}
      </td>
      <td>
        <JobActions job={job} compact />
      </td>
    </tr>
  );
}

type Counts = Record<(typeof JOB_STATUSES)[number] | 'all', number>;

async function loadCounts(): Promise<Counts> {
  const totals = await Promise.all(['', ...JOB_STATUSES].map((s) => get<JobList>(withQuery('/v1/jobs', { status: s, limit: 1 })).then((r) => r.total)));
  const [all, ...by] = totals;
  return { all, ...Object.fromEntries(JOB_STATUSES.map((s, i) => [s, by[i]])) } as Counts;
}

function StatusCounts({ current, filters }: { current: string; filters: Record<string, string> }) {
  const counts = useLive<Counts>('job-counts', loadCounts, { topics: TOPICS, debounceMs: 300 });
  if (!counts.data) return null;
  const c = counts.data;
  return (
    <ul class="status-counts" aria-label="Jobs by status">
      <li>
        <a href={href(['jobs'], { ...filters, status: undefined })} aria-current={current === '' ? 'true' : undefined} data-count-status="all">
          <span class="count-n">{c.all.toLocaleString()}</span> all
        </a>
      </li>
      {JOB_STATUSES.map((s) => (
        <li key={s}>
          <a href={href(['jobs'], { ...filters, status: s })} aria-current={current === s ? 'true' : undefined} class={`count-${JOB_STATUS_LOOK[s].tone}`} data-count-status={s}>
            <span aria-hidden="true">{JOB_STATUS_LOOK[s].icon}</span> <span class="count-n">{c[s].toLocaleString()}</span> {JOB_STATUS_LOOK[s].label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A text filter that writes to the URL after typing pauses. */
function TextFilter({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return undefined;
    const t = setTimeout(() => onChange(text), 300);
    return () => clearTimeout(t);
  }, [text]);
  return (
    <label class="inline-field">
      {label} <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
    </label>
  );
}

export function JobsPage({ route }: { route: Route }) {
  const q = route.query;
  const filters = { name: q.get('name') ?? '', owner: q.get('owner') ?? '', status: q.get('status') ?? '' };
  const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
  const list = useResource<JobList>(withQuery('/v1/jobs', { ...filters, limit: PAGE, offset }), { topics: TOPICS, debounceMs: 300, keepWhileLoading: true });
  const go = (patch: Record<string, string>): void => navigate(href(['jobs'], { ...filters, ...patch }));
  const now = Date.now();

  return (
    <>
      <div class="title-row">
        <h1>Jobs</h1>
        <Permitted role="operator">
          <a class="btn btn-primary" href={href(['edit-job'])}>
            New job
          </a>
        </Permitted>
      </div>
      {!list.error?.routeMissing && <StatusCounts current={filters.status} filters={{ name: filters.name, owner: filters.owner }} />}
      <div class="filters" role="group" aria-label="Filters">
        <TextFilter label="Name" value={filters.name} onChange={(v) => go({ name: v })} />
        <TextFilter label="Owner" value={filters.owner} onChange={(v) => go({ owner: v })} />
        <label class="inline-field">
          Status{' '}
          <select value={filters.status} onChange={(e) => go({ status: e.currentTarget.value })}>
            <option value="">any</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <a href={href(['dag'])}>Dependency graph →</a>
      </div>
      <Loaded data={list.data} error={list.error} what="jobs">
        {(d) =>
          d.jobs.length === 0 ? (
            <p class="muted">{filters.name || filters.owner || filters.status ? 'No jobs match these filters.' : 'No jobs yet.'}</p>
          ) : (
            <>
              <div class="table-wrap">
                <table class="jobs">
                  <thead>
                    <tr>
                      <th scope="col">Status</th>
                      <th scope="col">Job</th>
                      <th scope="col">Schedule</th>
                      <th scope="col">Last run</th>
                      <th scope="col">Next run</th>
                      <th scope="col" class="num">
                        Runs
                      </th>
                      <th scope="col" class="num">
                        p50 duration
                      </th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.jobs.map((j) => (
                      <JobRow key={j.name} job={j} now={now} />
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager offset={offset} limit={PAGE} total={d.total} hrefFor={(o) => href(['jobs'], { ...filters, offset: o || undefined })} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

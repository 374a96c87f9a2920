/** Job status and run state badges (the palette: green, red, blue running, grey fresh, striped disabled). */
import type { JobStatus } from '../api/jobs.ts';
import type { Assert, ListsEvery } from '../api/types.ts';
import { Badge, type Tone } from './badge.tsx';

/** Every job status (api-spec Job.status), in the order of the jobs page's filter. */
export const JOB_STATUSES = ['success', 'failure', 'running', 'fresh', 'disabled'] as const satisfies readonly JobStatus[];
type _EveryJobStatusListed = Assert<ListsEvery<JobStatus, (typeof JOB_STATUSES)[number]>>;

export const JOB_STATUS_LOOK: Record<JobStatus, { tone: Tone; label: string; icon: string }> = {
  success: { tone: 'ok', label: 'success', icon: '✓' },
  failure: { tone: 'bad', label: 'failure', icon: '✗' },
  running: { tone: 'run', label: 'running', icon: '▶' },
  fresh: { tone: 'idle', label: 'fresh', icon: '○' },
  disabled: { tone: 'off', label: 'disabled', icon: '⊘' },
};

export function JobStatusBadge({ status }: { status: string }) {
  const look = JOB_STATUS_LOOK[status as JobStatus] ?? { tone: 'warn' as Tone, label: status };
  return <Badge tone={look.tone} label={look.label} />;
}

const RUN_TONE: Record<string, Tone> = { SUCCEEDED: 'ok', FAILED: 'bad', KILLED: 'warn', RUNNING: 'run', STARTING: 'run', QUEUED: 'idle', MISSED: 'warn', SKIPPED: 'idle' };

export function RunStateBadge({ state, title }: { state: string; title?: string }) {
  return <Badge tone={RUN_TONE[state] ?? 'warn'} label={state} title={title} />;
}

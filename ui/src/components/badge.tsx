/**
 * Status badges: colour AND an icon AND a text label, never colour alone. Tones are the palette of the
 * stylesheet (`.badge-ok` green, `-bad` red, `-run` blue animated, `-idle` grey, `-off` striped, `-warn` amber).
 */
import type { TaskState } from '../api/types.ts';

export type Tone = 'ok' | 'bad' | 'run' | 'idle' | 'off' | 'warn';

const ICON: Record<Tone, string> = { ok: '✓', bad: '✗', run: '▶', idle: '○', off: '⊘', warn: '!' };

/** `icon` replaces the tone's icon where two statuses share a tone (UNPLACEABLE ⚠ and UNHEALTHY ✗ are both red). */
export function Badge({ tone, label, title, icon }: { tone: Tone; label: string; title?: string; icon?: string }) {
  return (
    <span class={`badge badge-${tone}`} title={title}>
      <span class="badge-icon" aria-hidden="true">
        {icon ?? ICON[tone]}
      </span>
      {label}
    </span>
  );
}

const TASK_TONE: Record<TaskState, Tone> = {
  PENDING: 'idle',
  STAGING: 'idle',
  STARTING: 'run',
  RUNNING: 'run',
  KILLING: 'warn',
  FINISHED: 'ok',
  FAILED: 'bad',
  ERROR: 'bad',
  KILLED: 'warn',
  LOST: 'bad',
  DROPPED: 'bad',
  UNREACHABLE: 'warn',
  GONE: 'bad',
  UNKNOWN: 'warn',
};

export function taskTone(state: string): Tone {
  return TASK_TONE[state as TaskState] ?? 'warn';
}

export function TaskStateBadge({ state, title }: { state: string; title?: string }) {
  return <Badge tone={taskTone(state)} label={state} title={title} />;
}

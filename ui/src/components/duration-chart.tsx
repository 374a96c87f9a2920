/**
 * Durations of a job's last runs as small bars, oldest left; each bar's colour is its state and its pattern
 * (solid = succeeded, hatched = failed/killed) so the state does not rest on colour alone; a caption gives
 * the figures, and each bar has a title for pointer users.
 */
import { fmtDuration } from '../format.ts';

export interface ChartRun {
  id: string;
  state: string;
  durationMs?: number;
}

const W = 560;
const H = 110;
const PAD = 52;

export function DurationChart({ runs }: { runs: readonly ChartRun[] }) {
  const measured = runs.filter((r) => r.durationMs !== undefined);
  if (measured.length === 0) return <p class="muted">No finished runs to chart yet.</p>;
  const max = Math.max(...measured.map((r) => r.durationMs!), 1);
  const slot = (W - PAD) / measured.length;
  const barW = Math.max(2, Math.min(24, slot - 2));
  const sorted = [...measured.map((r) => r.durationMs!)].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: `${W}px` }} role="img" aria-label={`Durations of the last ${measured.length} runs, longest ${fmtDuration(max)}, median ${fmtDuration(median)}`}>
        <defs>
          <pattern id="hatch-bad" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" class="fill-bad-bg" />
            <line x1="0" y1="0" x2="0" y2="4" class="stroke-bad" stroke-width="2.5" />
          </pattern>
        </defs>
        <line x1={PAD} y1={H - 14} x2={W} y2={H - 14} class="axis" />
        <text x={PAD - 4} y={12} class="chart-label" text-anchor="end">
          {fmtDuration(max)}
        </text>
        <text x={PAD - 4} y={H - 14} class="chart-label" text-anchor="end">
          0
        </text>
        {measured.map((r, i) => {
          const h = Math.max(1.5, ((H - 28) * r.durationMs!) / max);
          const ok = r.state === 'SUCCEEDED';
          return (
            <rect key={r.id} x={PAD + i * slot + (slot - barW) / 2} y={H - 14 - h} width={barW} height={h} class={ok ? 'bar-ok' : 'bar-bad'} fill={ok ? undefined : 'url(#hatch-bad)'}>
              <title>{`run ${r.id}: ${r.state.toLowerCase()}, ${fmtDuration(r.durationMs)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="muted small">
        Last {measured.length} runs, oldest left · median {fmtDuration(median)} · longest {fmtDuration(max)} · solid = succeeded, hatched = failed or killed
      </figcaption>
    </figure>
  );
}

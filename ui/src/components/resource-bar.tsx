/** One resource of an agent as a bar: used (solid), offered to a framework (hatched), free; with the numbers as text. */
import { fmtPercent } from '../format.ts';

export interface ResourceBarProps {
  name: string;
  used: number;
  offered?: number;
  total: number;
  format: (v: number) => string;
  unit?: string;
}

export function ResourceBar({ name, used, offered = 0, total, format, unit }: ResourceBarProps) {
  const pct = (v: number): number => (total > 0 ? Math.min(100, (v / total) * 100) : 0);
  const usedPct = pct(used);
  const offeredPct = Math.min(100 - usedPct, pct(offered));
  const text = `${format(used)} of ${format(total)}${unit ? ` ${unit}` : ''} used`;
  const high = total > 0 && used / total >= 0.9;
  return (
    <div class="res">
      <span class="res-name">{name}</span>
      <div
        class={`bar${high ? ' bar-high' : ''}`}
        role="meter"
        aria-label={`${name} used`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={used}
        aria-valuetext={`${text}${offered > 0 ? `, ${format(offered)} offered` : ''}`}
      >
        <div class="bar-used" style={{ width: `${usedPct}%` }} />
        {offered > 0 && <div class="bar-offered" style={{ left: `${usedPct}%`, width: `${offeredPct}%` }} />}
      </div>
      <span class="res-text">
        {format(used)} / {format(total)}
        {unit ? ` ${unit}` : ''} <span class="muted">({total > 0 ? fmtPercent(used / total) : '—'})</span>
      </span>
    </div>
  );
}

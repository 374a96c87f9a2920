/**
 * An app's instances as one bar: healthy (solid green; every running one when there are no health checks),
 * running but not (yet) healthy (solid blue), staged
 * (hatched), missing up to the wanted count (empty); with "3 / 3 running · 2 healthy" as text beside it.
 */
export interface InstanceCounts {
  wanted: number;
  staged: number;
  running: number;
  healthy: number;
  unhealthy?: number;
}

/** `checked`: the app has health checks; without them "healthy" means nothing and is not shown. */
export function InstancesBar({ counts, label, checked = true }: { counts: InstanceCounts; label: string; checked?: boolean }) {
  const { wanted, staged, running } = counts;
  const healthy = checked ? counts.healthy : running;
  const scale = Math.max(wanted, running + staged, 1);
  const pct = (n: number): string => `${(n / scale) * 100}%`;
  const health = checked ? ` · ${counts.healthy} healthy${counts.unhealthy ? ` · ${counts.unhealthy} unhealthy` : ''}` : '';
  const text = `${running} / ${wanted} running${health}${staged ? ` · ${staged} starting` : ''}`;
  return (
    <div class="instances">
      <div class="bar bar-instances" role="meter" aria-label={`${label} instances running`} aria-valuemin={0} aria-valuemax={wanted} aria-valuenow={running} aria-valuetext={text}>
        <div class="seg-healthy" style={{ width: pct(Math.min(healthy, running)) }} />
        <div class="seg-running" style={{ width: pct(Math.max(0, running - healthy)) }} />
        <div class="seg-staged" style={{ width: pct(staged) }} />
      </div>
      <span class="instances-text" data-running={running} data-wanted={wanted} data-healthy={counts.healthy}>
        {text}
      </span>
    </div>
  );
}

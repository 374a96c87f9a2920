/**
 * An app's instances as one bar: healthy (solid green; every running one when there are no health checks),
 * unhealthy (red, hatched), running but not checked yet (solid blue), staged (blue hatched), missing up to the
 * wanted count (empty); with "3 / 3 running · 2 healthy · 1 unhealthy" as text beside it.
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
  const healthy = Math.min(checked ? counts.healthy : running, running);
  const unhealthy = checked ? Math.min(counts.unhealthy ?? 0, running - healthy) : 0;
  const scale = Math.max(wanted, running + staged, 1);
  const pct = (n: number): string => `${(n / scale) * 100}%`;
  const health = checked ? ` · ${counts.healthy} healthy${counts.unhealthy ? ` · ${counts.unhealthy} unhealthy` : ''}` : '';
  const text = `${running} / ${wanted} running${health}${staged ? ` · ${staged} starting` : ''}`;
  return (
    <div class="instances">
      <div class="bar bar-instances" role="meter" aria-label={`${label} instances running`} aria-valuemin={0} aria-valuemax={wanted} aria-valuenow={running} aria-valuetext={text}>
        <div class="seg-healthy" style={{ width: pct(healthy) }} />
        <div class="seg-unhealthy" style={{ width: pct(unhealthy) }} />
        <div class="seg-running" style={{ width: pct(Math.max(0, running - healthy - unhealthy)) }} />
        <div class="seg-staged" style={{ width: pct(staged) }} />
      </div>
      <span class="instances-text" data-running={running} data-wanted={wanted} data-healthy={counts.healthy} data-unhealthy={counts.unhealthy ?? 0}>
        {text}
      </span>
    </div>
  );
}

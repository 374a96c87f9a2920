/**
 * A laid-out job graph as SVG: each node a link to its job (focusable, Enter opens it), filled by status with
 * the status icon and word in its label text for assistive tech; edges are parent → child arrows.
 */
import type { DagLayout } from '../graph/dag-layout.ts';
import { href } from '../router.ts';
import { JOB_STATUS_LOOK } from './job-badges.tsx';

export function DagView({ layout, status, satisfied }: { layout: DagLayout; status: (id: string) => string; satisfied: (from: string, to: string) => boolean }) {
  const path = (pts: Array<{ x: number; y: number }>): string => pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return (
    <div class="dag-wrap">
      <svg class="dag" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="group" aria-label={`Job dependency graph: ${layout.nodes.length} jobs, ${layout.edges.length} dependencies`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="dag-arrow" />
          </marker>
          <pattern id="dag-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="8" height="8" class="dag-stripe-bg" />
            <line x1="0" y1="0" x2="0" y2="8" class="dag-stripe" stroke-width="4" />
          </pattern>
        </defs>
        {layout.edges.map((e) => (
          <path key={`${e.from}->${e.to}`} class={`dag-edge${satisfied(e.from, e.to) ? ' dag-edge-ok' : ''}`} d={path(e.points)} marker-end="url(#arrow)" data-edge={`${e.from}->${e.to}`}>
            <title>{`${e.from} → ${e.to}${satisfied(e.from, e.to) ? ' (succeeded since the child last started)' : ''}`}</title>
          </path>
        ))}
        {layout.nodes.map((n) => {
          const s = status(n.id);
          const look = JOB_STATUS_LOOK[s as keyof typeof JOB_STATUS_LOOK] ?? JOB_STATUS_LOOK.fresh;
          return (
            <a key={n.id} href={href(['jobs', n.id])} class={`dag-node dag-${look.tone}`} data-node={n.id} data-status={s} aria-label={`${n.label}: ${look.label}`}>
              <rect x={n.x - n.width / 2} y={n.y - n.height / 2} width={n.width} height={n.height} rx={8} fill={look.tone === 'off' ? 'url(#dag-stripes)' : undefined} />
              <text x={n.x - n.width / 2 + 12} y={n.y + 4.5} class="dag-icon" aria-hidden="true">
                {look.icon}
              </text>
              <text x={n.x - n.width / 2 + 30} y={n.y + 4.5} class="dag-label">
                {n.label}
              </text>
            </a>
          );
        })}
      </svg>
    </div>
  );
}

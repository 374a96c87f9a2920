/**
 * The job dependency graph drawn left to right (dagre, loaded on first visit), nodes coloured by status and
 * live: a status change recolours, a structural change lays out again. Jobs without dependencies are left out
 * (counted below); a big graph is drawn around one chosen job (its ancestors and descendants).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { JobGraph } from '../api/jobs.ts';
import { DagView } from '../components/dag-view.tsx';
import { JOB_STATUSES, JOB_STATUS_LOOK } from '../components/job-badges.tsx';
import { Loaded } from '../components/page-state.tsx';
import type { DagLayout } from '../graph/dag-layout.ts';
import { useResource } from '../live/use-resource.ts';
import { href, navigate, type Route } from '../router.ts';

/** Above this many jobs in the drawing, ask for a job to centre on (layout time grows fast). */
const MAX_DRAWN = 800;

type Edge = JobGraph['edges'][number];

/** The jobs connected to `focus` through parents (upwards) and children (downwards). */
function neighbourhood(edges: readonly Edge[], focus: string): Set<string> {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const e of edges) {
    (down.get(e.from) ?? down.set(e.from, []).get(e.from)!).push(e.to);
    (up.get(e.to) ?? up.set(e.to, []).get(e.to)!).push(e.from);
  }
  const seen = new Set([focus]);
  for (const next of [up, down]) {
    const stack = [focus];
    while (stack.length > 0) {
      for (const n of next.get(stack.pop()!) ?? []) {
        if (!seen.has(n)) {
          seen.add(n);
          stack.push(n);
        }
      }
    }
  }
  return seen;
}

function Graph({ graph, focus }: { graph: JobGraph; focus: string }) {
  const linked = useMemo(() => new Set(graph.edges.flatMap((e) => [e.from, e.to])), [graph]);
  const keep = useMemo(() => (focus ? neighbourhood(graph.edges, focus) : linked), [graph, focus, linked]);
  const nodes = graph.nodes.filter((n) => keep.has(n.name));
  const edges = graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to));
  const shape = JSON.stringify([nodes.map((n) => n.name), edges.map((e) => [e.from, e.to])]);
  const [layout, setLayout] = useState<{ shape: string; layout: DagLayout }>();
  const [error, setError] = useState<string>();
  const tooBig = nodes.length > MAX_DRAWN;

  useEffect(() => {
    if (tooBig || nodes.length === 0 || layout?.shape === shape) return undefined;
    let cancelled = false;
    import('../graph/dag-layout.ts').then(
      ({ layoutDag }) => {
        if (!cancelled) setLayout({ shape, layout: layoutDag(nodes.map((n) => ({ id: n.name, label: n.name })), edges) });
      },
      (e: unknown) => setError(`could not load the graph layout: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      cancelled = true;
    };
  }, [shape, tooBig]);

  const status = new Map(graph.nodes.map((n) => [n.name, n.status]));
  const satisfied = new Map(graph.edges.map((e) => [`${e.from}->${e.to}`, e.satisfied]));
  const alone = graph.nodes.length - linked.size;
  if (error) return <p class="field-error">{error}</p>;
  if (tooBig) return <p class="note">The graph has {nodes.length.toLocaleString()} connected jobs: choose a job above to draw its ancestors and descendants.</p>;
  if (nodes.length === 0) return <p class="muted">{focus ? `${focus} has no dependencies.` : 'No job depends on another yet.'}{alone > 0 && ` ${alone} job${alone === 1 ? '' : 's'} without dependencies.`}</p>;
  return (
    <>
      {layout ? <DagView layout={layout.layout} status={(id) => status.get(id) ?? 'fresh'} satisfied={(from, to) => satisfied.get(`${from}->${to}`) ?? false} /> : <p class="muted">Laying out…</p>}
      <p class="muted small">
        {nodes.length} job{nodes.length === 1 ? '' : 's'}, {edges.length} dependenc{edges.length === 1 ? 'y' : 'ies'}
        {!focus && alone > 0 && ` · ${alone} job${alone === 1 ? '' : 's'} without dependencies not shown`}
      </p>
    </>
  );
}

export function DagPage({ route }: { route: Route }) {
  const focus = route.query.get('job') ?? '';
  const graph = useResource<JobGraph>('/v1/jobs/graph', { topics: ['job.', 'run.'], debounceMs: 300, keepWhileLoading: true });
  return (
    <>
      <div class="title-row">
        <h1>Dependency graph</h1>
        <a href={href(['jobs'])}>Jobs table →</a>
      </div>
      <div class="filters">
        <label class="inline-field">
          Around job{' '}
          <input list="dag-jobs" value={focus} onChange={(e) => navigate(href(['dag'], { job: e.currentTarget.value.trim() }))} placeholder="all" />
        </label>
        <datalist id="dag-jobs">
          {(graph.data?.nodes ?? []).slice(0, 2000).map((n) => (
            <option key={n.name} value={n.name} />
          ))}
        </datalist>
        {focus && <a href={href(['dag'])}>Show all</a>}
        <ul class="legend" aria-label="Legend">
          {JOB_STATUSES.map((s) => (
            <li key={s} class={`legend-${JOB_STATUS_LOOK[s].tone}`}>
              <span aria-hidden="true">{JOB_STATUS_LOOK[s].icon}</span> {JOB_STATUS_LOOK[s].label}
            </li>
          ))}
          <li>
            <span class="legend-edge legend-edge-ok" aria-hidden="true" /> parent succeeded since the child last started
          </li>
          <li>
            <span class="legend-edge" aria-hidden="true" /> not yet
          </li>
        </ul>
      </div>
      <Loaded data={graph.data} error={graph.error} what="the job graph">
        {(g) => <Graph graph={g} focus={focus} />}
      </Loaded>
    </>
  );
}

/**
 * Cluster: the leader, task counts, every agent (resource bars, attributes, isolators, its tasks) and every
 * framework with its DRF dominant share. One `GET /v1/state`, refreshed on task events and every 10 s (agent
 * heartbeats and registrations have no events yet).
 */
import { useState } from 'preact/hooks';
import type { Agent, AgentState, ClusterState, Framework, Resources } from '../api/types.ts';
import { Badge, TaskStateBadge, type Tone } from '../components/badge.tsx';
import { Loaded } from '../components/page-state.tsx';
import { Pager } from '../components/pager.tsx';
import { ResourceBar } from '../components/resource-bar.tsx';
import { fmtAgo, fmtNumber, fmtPercent, fmtRanges, fmtScalar, fmtTime, rangeSize } from '../format.ts';
import { useResource } from '../live/use-resource.ts';
import { href, type Route } from '../router.ts';

const AGENTS_PER_PAGE = 24;
const SCALAR_ORDER = ['cpus', 'mem', 'disk', 'gpus'];

const AGENT_TONE: Record<AgentState, Tone> = { ACTIVE: 'ok', DRAINING: 'warn', RECOVERING: 'run', DISCONNECTED: 'bad', GONE: 'off' };

function scalarNames(r: Resources): string[] {
  const names = Object.keys(r.scalars);
  return [...SCALAR_ORDER.filter((n) => names.includes(n)), ...names.filter((n) => !SCALAR_ORDER.includes(n)).sort()];
}

function AgentResources({ agent }: { agent: Agent }) {
  const { total, used, offered } = agent.resources;
  return (
    <div class="res-list">
      {scalarNames(total).map((n) => (
        <ResourceBar key={n} name={n} used={used.scalars[n] ?? 0} offered={offered.scalars[n] ?? 0} total={total.scalars[n]} format={(v) => fmtScalar(n, v)} />
      ))}
      {Object.keys(total.ranges).map((n) => (
        <div key={n} class="res-group">
          <ResourceBar name={n} used={rangeSize(used.ranges[n])} offered={rangeSize(offered.ranges[n])} total={rangeSize(total.ranges[n])} format={(v) => fmtNumber(v)} />
          <p class="muted res-detail">
            {fmtRanges(total.ranges[n])}
            {rangeSize(used.ranges[n]) > 0 && ` · in use: ${fmtRanges(used.ranges[n])}`}
          </p>
        </div>
      ))}
      {Object.keys(total.sets).map((n) => (
        <ResourceBar key={n} name={n} used={used.sets[n]?.length ?? 0} offered={offered.sets[n]?.length ?? 0} total={total.sets[n].length} format={(v) => fmtNumber(v)} />
      ))}
    </div>
  );
}

function Chips({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <span class="muted">{empty}</span>;
  return (
    <ul class="chips">
      {items.map((i) => (
        <li key={i} class="chip">
          {i}
        </li>
      ))}
    </ul>
  );
}

function AgentCard({ agent, now }: { agent: Agent; now: number }) {
  return (
    <article class="card agent" aria-labelledby={`agent-${agent.id}`} data-agent-id={agent.id}>
      <header class="card-head">
        <h3 id={`agent-${agent.id}`}>{agent.hostname}</h3>
        <Badge tone={AGENT_TONE[agent.state] ?? 'warn'} label={agent.state} />
      </header>
      <p class="muted mono small">{agent.id}</p>
      <AgentResources agent={agent} />
      <dl class="facts">
        <dt>Tasks</dt>
        <dd>
          <a href={href(['tasks'], { agent: agent.id })}>
            {agent.tasks} active task{agent.tasks === 1 ? '' : 's'}
          </a>
        </dd>
        <dt>Attributes</dt>
        <dd>
          <Chips items={Object.entries(agent.attributes).map(([k, v]) => `${k}:${v}`)} empty="none" />
        </dd>
        <dt>Isolators</dt>
        <dd>
          <Chips items={agent.isolators} empty="none" />
        </dd>
        <dt>Version</dt>
        <dd>{agent.version}</dd>
        <dt>Last seen</dt>
        {agent.inProcess ? (
          <dd data-last-seen="in-process" title={`Runs inside the server process: it sends no heartbeats and cannot lose its connection. Last status update: ${fmtTime(agent.lastSeenAt)}`}>
            in-process <span class="muted small">(inside the server)</span>
          </dd>
        ) : (
          <dd title={fmtTime(agent.lastSeenAt)}>{fmtAgo(agent.lastSeenAt, now)}</dd>
        )}
      </dl>
    </article>
  );
}

function FrameworksTable({ frameworks }: { frameworks: Framework[] }) {
  if (frameworks.length === 0) return <p class="muted">No frameworks are registered.</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Weight</th>
            <th scope="col">Status</th>
            <th scope="col">Dominant share</th>
            <th scope="col">Tasks</th>
            <th scope="col">Offers</th>
            <th scope="col">Registered</th>
          </tr>
        </thead>
        <tbody>
          {[...frameworks]
            .sort((a, b) => b.dominantShare - a.dominantShare || a.name.localeCompare(b.name))
            .map((f) => (
              <tr key={f.id}>
                <th scope="row">
                  {f.name}
                  <div class="muted mono small">{f.id}</div>
                </th>
                <td>{f.role}</td>
                <td>{fmtNumber(f.weight)}</td>
                <td>
                  {f.active ? <Badge tone="ok" label="active" /> : <Badge tone="bad" label="disconnected" />}{' '}
                  {f.suppressed && <Badge tone="idle" label="suppressed" title="Has nothing to launch; receives no offers" />}
                </td>
                <td>
                  <div class="share">
                    <div class="bar bar-small" role="meter" aria-label={`${f.name} dominant share`} aria-valuemin={0} aria-valuemax={1} aria-valuenow={f.dominantShare}>
                      <div class="bar-used" style={{ width: `${Math.min(100, f.dominantShare * 100)}%` }} />
                    </div>
                    <span>{fmtPercent(f.dominantShare)}</span>
                  </div>
                </td>
                <td>
                  <a href={href(['tasks'], { framework: f.id })}>{f.tasks}</a>
                </td>
                <td>{f.offers}</td>
                <td>{fmtTime(f.registeredAt)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

function Agents({ agents, route, now }: { agents: Agent[]; route: Route; now: number }) {
  const [filter, setFilter] = useState('');
  const offset = Math.max(0, Number(route.query.get('agents') ?? 0) || 0);
  const f = filter.trim().toLowerCase();
  const shown = f ? agents.filter((a) => a.hostname.toLowerCase().includes(f) || a.id.toLowerCase().includes(f) || Object.entries(a.attributes).some(([k, v]) => `${k}:${v}`.includes(f))) : agents;
  const sorted = [...shown].sort((a, b) => a.hostname.localeCompare(b.hostname));
  const page = sorted.slice(offset, offset + AGENTS_PER_PAGE);
  return (
    <section aria-labelledby="agents-h">
      <div class="section-head">
        <h2 id="agents-h">
          Agents <span class="count">{agents.length}</span>
        </h2>
        {agents.length > 3 && (
          <label class="inline-field">
            Filter <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="host, id or attribute" />
          </label>
        )}
      </div>
      {agents.length === 0 && <p class="muted">No agents have registered.</p>}
      <div class="cards">
        {page.map((a) => (
          <AgentCard key={a.id} agent={a} now={now} />
        ))}
      </div>
      <Pager offset={offset} limit={AGENTS_PER_PAGE} total={sorted.length} hrefFor={(o) => href(['cluster'], { agents: o || undefined })} />
    </section>
  );
}

export function ClusterPage({ route }: { route: Route }) {
  const state = useResource<ClusterState>('/v1/state', { topics: ['task.', 'agent.', 'framework.', 'leader.'], debounceMs: 400, pollMs: 10_000, keepWhileLoading: true });
  return (
    <>
      <h1>Cluster</h1>
      <Loaded data={state.data} error={state.error} what="the cluster state">
        {(s) => {
          const now = Date.now();
          const counts = Object.entries(s.taskCounts).filter(([, n]) => n > 0);
          return (
            <>
              <section class="summary" aria-label="Leader and tasks">
                <div class="card">
                  <h2 class="card-title">Leader</h2>
                  {s.leader ? (
                    <dl class="facts" data-leader={s.leader.id}>
                      <dt>Master</dt>
                      <dd class="mono small">{s.leader.id}</dd>
                      <dt>Address</dt>
                      <dd>{s.leader.address}</dd>
                      <dt>Epoch</dt>
                      <dd>{s.leader.epoch}</dd>
                      <dt>Elected</dt>
                      <dd title={fmtTime(s.leader.electedAt)}>{fmtAgo(s.leader.electedAt, now)}</dd>
                    </dl>
                  ) : (
                    <Badge tone="bad" label="no leader" />
                  )}
                </div>
                <div class="card">
                  <h2 class="card-title">Tasks</h2>
                  {counts.length === 0 ? (
                    <p class="muted">No tasks yet.</p>
                  ) : (
                    <ul class="counts">
                      {counts.map(([state, n]) => (
                        <li key={state}>
                          <a href={href(['tasks'], { state })}>
                            <TaskStateBadge state={state} /> <span class="count-n">{n.toLocaleString()}</span>
                          </a>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </section>
              <Agents agents={s.agents} route={route} now={now} />
              <section aria-labelledby="fw-h">
                <h2 id="fw-h">
                  Frameworks <span class="count">{s.frameworks.length}</span>
                </h2>
                <FrameworksTable frameworks={s.frameworks} />
              </section>
            </>
          );
        }}
      </Loaded>
    </>
  );
}

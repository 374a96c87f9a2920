/**
 * The shell: skip link, navigation, the connection banner, and the page the hash names.
 *
 *   #/jobs[?name&owner&status&offset]  #/jobs/<name>[?runs&run]  #/edit-job[/<name>]  #/dag[?job]
 *   #/apps[?id&offset]  #/apps/<id>  #/new-app
 *   #/tasks[?state&framework&agent&offset]  #/tasks/<id>  #/cluster[?agents]
 */
import { useEffect, useRef } from 'preact/hooks';
import { session } from './api/session.ts';
import { ConnectionBanner } from './components/connection-banner.tsx';
import { Permitted, RoleNote, useSession } from './components/permitted.tsx';
import { TokenPrompt } from './components/token-prompt.tsx';
import { AppFormPage } from './pages/app-form.tsx';
import { AppPage } from './pages/app-page.tsx';
import { AppsPage } from './pages/apps-page.tsx';
import { ClusterPage } from './pages/cluster-page.tsx';
import { DagPage } from './pages/dag-page.tsx';
import { JobFormPage } from './pages/job-form.tsx';
import { JobPage } from './pages/job-page.tsx';
import { JobsPage } from './pages/jobs-page.tsx';
import { TaskPage } from './pages/task-page.tsx';
import { TasksPage } from './pages/tasks-page.tsx';
import { href, useRoute, type Route } from './router.ts';

const SECTIONS = [
  { key: 'jobs', label: 'Jobs', also: ['edit-job'] },
  { key: 'dag', label: 'Graph', also: [] },
  { key: 'apps', label: 'Apps', also: ['new-app'] },
  { key: 'tasks', label: 'Tasks', also: [] },
  { key: 'cluster', label: 'Cluster', also: [] },
] as const;

const DEFAULT_SECTION = 'jobs';

function Page({ route }: { route: Route }) {
  const [section = DEFAULT_SECTION, id] = route.path;
  switch (section) {
    case 'jobs':
      return id ? <JobPage key={id} name={id} route={route} /> : <JobsPage route={route} />;
    case 'edit-job':
      return (
        <Permitted role="operator" otherwise={<RoleNote role="operator" what="create or change jobs" />}>
          <JobFormPage key={id ?? ''} name={id} />
        </Permitted>
      );
    case 'dag':
      return <DagPage route={route} />;
    case 'apps':
      return id ? <AppPage key={id} id={id} /> : <AppsPage route={route} />;
    case 'new-app':
      return (
        <Permitted role="operator" otherwise={<RoleNote role="operator" what="create apps" />}>
          <AppFormPage />
        </Permitted>
      );
    case 'cluster':
      return <ClusterPage route={route} />;
    case 'tasks':
      return id ? <TaskPage key={id} id={id} /> : <TasksPage route={route} />;
    default:
      return (
        <div class="note note-error" role="alert">
          <h1>Not found</h1>
          <p>
            There is no page <code>#/{route.path.join('/')}</code>. Go to the <a href={href([DEFAULT_SECTION])}>jobs</a>.
          </p>
        </div>
      );
  }
}

export function App() {
  const route = useRoute();
  const section = route.path[0] ?? DEFAULT_SECTION;
  const mainRef = useRef<HTMLElement>(null);
  const pageKey = route.path.join('/');
  const first = useRef(true);
  const { identity, needsToken } = useSession();

  // A new page moves focus to its heading, as a page load would, so keyboard and screen-reader users start at
  // the top of what changed; query changes (filters, paging) keep focus where it is.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h1 = mainRef.current?.querySelector<HTMLElement>('h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus();
    } else mainRef.current?.focus();
  }, [pageKey]);

  useEffect(() => {
    const label = SECTIONS.find((s) => s.key === section || (s.also as readonly string[]).includes(section))?.label ?? 'Orrery';
    document.title = route.path[1] ? `${route.path[1]} · ${label} · Orrery` : `${label} · Orrery`;
  }, [pageKey]);

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href([DEFAULT_SECTION])}>
          <span aria-hidden="true">◎</span> Orrery
        </a>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.key}>
                <a href={href([s.key])} aria-current={section === s.key || (s.also as readonly string[]).includes(section) ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {identity?.authentication && (
          <div class="who" data-identity={identity.role}>
            <span>
              {identity.name} <span class="who-role">{identity.role}</span>
            </span>
            <button type="button" class="btn btn-small" onClick={() => session.signOut()}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <ConnectionBanner />
      <main id="main" ref={mainRef} tabIndex={-1}>
        {needsToken ? <TokenPrompt /> : <Page route={route} />}
      </main>
    </>
  );
}

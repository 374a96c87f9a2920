/** `orrery apps …` and `orrery deployments …`: long-running apps, their instances, versions and deployments. */
import { UsageError } from '../cli-errors.ts';
import { ApiProblem } from './api-client.ts';
import { int, str, type Command, type Ctx, type Group, type Values } from './command.ts';
import { progressCounts, waitForDeployment, type DeploymentView } from './deployment-progress.ts';
import { age, details, json, table } from './format.ts';
import { readDefinitions } from './spec-files.ts';

interface App {
  id: string;
  cmd?: string;
  args?: string[];
  instances: number;
  cpus?: number;
  mem?: number;
  version: string;
  status: string;
  /** healthChecks: the app's number of checks (absent from servers before it). */
  counts: { wanted: number; staged: number; running: number; healthy: number; unhealthy: number; waiting: number; healthChecks?: number };
  healthChecks?: unknown[];
  deployment: { id: string; kind: string; step: number; totalSteps: number; action: string } | null;
  waitingBecause?: string;
  lastTaskFailure?: { taskId: string; state: string; message?: string; at: string };
}

interface AppTask {
  id: string;
  host: string;
  ports: number[];
  state: string;
  healthy?: boolean;
  version: string;
  startedAt?: string;
  stagedAt: string;
}

interface Change {
  deploymentId: string;
  version: string;
  created: boolean;
  deployment: DeploymentView;
}

/** Healthy / unhealthy counts, or undefined (shown as `-`) when the app has no health checks: they do not apply. */
export function healthCount(a: Pick<App, 'counts' | 'healthChecks'>, n: number): number | undefined {
  const checks = a.counts.healthChecks ?? a.healthChecks?.length;
  return checks === 0 ? undefined : n;
}

/** App ids are paths sent URL-encoded in one segment; a missing leading slash is added (`web` = `/web`). */
export function appPath(id: string): string {
  return `/v1/apps/${encodeURIComponent(id.startsWith('/') ? id : `/${id}`)}`;
}

const waitOption = { name: 'wait', short: 'w', type: 'boolean', help: 'wait for the deployment to finish, with a progress bar' } as const;
const forceOption = { name: 'force', type: 'boolean', help: 'override the deployment running on the app' } as const;

/** Prints a change's result and, with --wait, follows its deployment. */
async function changed(ctx: Ctx, values: Values, what: string, c: Change): Promise<number> {
  if (ctx.json && !values.wait) {
    ctx.out(json(c));
    return 0;
  }
  if (!ctx.json) ctx.out(`${what}: deployment ${c.deploymentId} (${c.deployment.kind}, version ${c.version})\n`);
  if (!values.wait) return 0;
  const code = await waitForDeployment(ctx, c.deploymentId);
  if (ctx.json) ctx.out(json(await ctx.api.get(`/v1/deployments/${encodeURIComponent(c.deploymentId)}`)));
  return code;
}

const ls: Command = {
  name: 'ls',
  aliases: ['list'],
  summary: 'List apps with instances (healthy/running/wanted), status and deployment',
  options: [
    { name: 'id', type: 'string', arg: 'TEXT', help: 'only ids containing TEXT' },
    { name: 'label', type: 'string', arg: 'SELECTOR', help: 'label selector: k, k==v, k!=v (comma = and)' },
  ],
  examples: ['orrery apps ls', 'orrery apps ls --label team==search', 'orrery apps ls -o json'],
  async run(ctx, values) {
    const r = await ctx.api.get<{ total: number; apps: App[] }>('/v1/apps', { query: { id: str(values, 'id'), label: str(values, 'label') } });
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.apps,
        [
          { header: 'id', value: (a) => a.id },
          { header: 'status', value: (a) => a.status },
          { header: 'instances', value: (a) => `${a.counts.running}/${a.instances}` },
          { header: 'healthy', value: (a) => healthCount(a, a.counts.healthy), right: true },
          { header: 'cpus', value: (a) => a.cpus, right: true },
          { header: 'mem', value: (a) => a.mem, right: true },
          { header: 'deployment', value: (a) => (a.deployment ? `${a.deployment.kind} ${a.deployment.step}/${a.deployment.totalSteps}` : undefined) },
          { header: 'version', value: (a) => a.version },
        ],
        'No apps. Add one with: orrery apps add -f app.yaml --wait',
      ),
    );
    return 0;
  },
};

const get: Command = {
  name: 'get',
  args: 'ID',
  positionals: [1, 1],
  summary: 'Show one app: definition, counts, deployment, last failure',
  examples: ['orrery apps get /demo/web', 'orrery apps get /demo/web -o json'],
  async run(ctx, _values, [id]) {
    const a = await ctx.api.get<App>(appPath(id));
    if (ctx.json) {
      ctx.out(json(a));
      return 0;
    }
    ctx.out(
      details([
        ['id', a.id],
        ['status', a.status],
        ['command', a.cmd ?? a.args?.join(' ')],
        ['instances', a.instances],
        ['running', a.counts.running],
        ['healthy', healthCount(a, a.counts.healthy) ?? '- (no health checks)'],
        ['unhealthy', healthCount(a, a.counts.unhealthy)],
        ['waiting', a.counts.waiting],
        ['resources', `cpus:${a.cpus ?? '-'} mem:${a.mem ?? '-'}`],
        ['deployment', a.deployment ? `${a.deployment.id} ${a.deployment.kind} step ${a.deployment.step}/${a.deployment.totalSteps} ${a.deployment.action}` : undefined],
        ['waiting because', a.waitingBecause],
        ['last failure', a.lastTaskFailure ? `${a.lastTaskFailure.state} ${a.lastTaskFailure.taskId} ${age(a.lastTaskFailure.at)} ago: ${a.lastTaskFailure.message ?? ''}` : undefined],
        ['version', a.version],
      ]),
    );
    return 0;
  },
};

const add: Command = {
  name: 'add',
  aliases: ['apply'],
  summary: 'Create or update apps from JSON or YAML files (each change starts a deployment)',
  description: 'Create or update apps from JSON or YAML files (one app, a list, YAML documents or {apps: [...]}).\nEach app is PUT by its id: a new app is created, an existing one is updated by a rolling deployment.',
  options: [{ name: 'file', short: 'f', type: 'string', multiple: true, arg: 'FILE', help: 'app definitions (repeatable; - = stdin)' }, waitOption, forceOption],
  examples: ['orrery apps add -f web.json', 'orrery apps add -f web.yaml --wait', 'orrery apps add -f web.yaml --force   # replace a running deployment'],
  async run(ctx, values) {
    const defs = readDefinitions((values.file as string[] | undefined) ?? [], 'apps');
    for (const d of defs) if (typeof d.body.id !== 'string' || !d.body.id) throw new UsageError(`${d.source}: an app needs an "id", e.g. "/demo/web"`);
    let code = 0;
    for (const d of defs) {
      const id = String(d.body.id);
      const c = await ctx.api.put<Change>(appPath(id), d.body, { query: { force: values.force ? true : undefined } }).catch((e: unknown) => {
        if (e instanceof ApiProblem) e.message = `${d.source} (app ${id}): ${e.message}`;
        throw e;
      });
      code = Math.max(code, await changed(ctx, values, `app ${id} ${c.created ? 'created' : 'updated'}`, c));
    }
    return code;
  },
};

const scale: Command = {
  name: 'scale',
  args: 'ID N',
  positionals: [2, 2],
  summary: 'Set the number of instances',
  options: [waitOption, forceOption],
  examples: ['orrery apps scale /demo/web 4', 'orrery apps scale /demo/web 10 --wait'],
  async run(ctx, values, [id, n]) {
    const instances = int(n, 'N (instances)');
    const c = await ctx.api.post<Change>(`${appPath(id)}/scale`, { instances }, { query: { force: values.force ? true : undefined } });
    return changed(ctx, values, `app ${id} scaling to ${instances}`, c);
  },
};

function simpleChange(name: string, path: string, summary: string, what: string, examples: string[], body?: (values: Values) => unknown, extra: Command['options'] = []): Command {
  return {
    name,
    args: 'ID',
    positionals: [1, 1],
    summary,
    options: [waitOption, forceOption, ...extra],
    examples,
    async run(ctx, values, [id]) {
      const c = await ctx.api.post<Change>(`${appPath(id)}${path}`, body?.(values), { query: { force: values.force ? true : undefined } });
      return changed(ctx, values, `app ${id} ${what}`, c);
    },
  };
}

const restart = simpleChange('restart', '/restart', 'Replace every instance by a rolling restart', 'restarting', ['orrery apps restart /demo/web --wait']);
const suspend = simpleChange('suspend', '/suspend', 'Scale to 0 instances, keeping the definition', 'suspending', ['orrery apps suspend /demo/web']);
const rollback = simpleChange(
  'rollback',
  '/rollback',
  'Deploy a stored version again (default: the one before the current)',
  'rolling back',
  ['orrery apps rollback /demo/web', 'orrery apps rollback /demo/web --to 2026-11-26T00:10:00.000Z --wait'],
  (values) => (str(values, 'to') ? { version: str(values, 'to') } : {}),
  [{ name: 'to', type: 'string', arg: 'VERSION', help: "a version from 'orrery apps versions ID'" }],
);

const rm: Command = {
  name: 'rm',
  aliases: ['delete'],
  args: 'ID',
  positionals: [1, 1],
  summary: 'Delete an app: its instances are stopped, then it is gone',
  options: [waitOption, forceOption],
  examples: ['orrery apps rm /demo/web', 'orrery apps rm /demo/web --wait'],
  async run(ctx, values, [id]) {
    const c = await ctx.api.delete<Change>(appPath(id), { query: { force: values.force ? true : undefined } });
    return changed(ctx, values, `app ${id} deleting`, c);
  },
};

const tasks: Command = {
  name: 'tasks',
  args: 'ID',
  positionals: [1, 1],
  summary: "The app's instances: host, ports, state, health, version",
  examples: ['orrery apps tasks /demo/web', 'orrery tasks logs <TASK> -f   # then read one'],
  async run(ctx, _values, [id]) {
    const r = await ctx.api.get<{ tasks: AppTask[] }>(`${appPath(id)}/tasks`);
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.tasks,
        [
          { header: 'task', value: (t) => t.id },
          { header: 'state', value: (t) => t.state },
          { header: 'healthy', value: (t) => t.healthy },
          { header: 'host', value: (t) => t.host },
          { header: 'ports', value: (t) => t.ports.join(',') },
          { header: 'started', value: (t) => (t.startedAt ? `${age(t.startedAt)} ago` : undefined) },
          { header: 'version', value: (t) => t.version },
        ],
        'No instances.',
      ),
    );
    return 0;
  },
};

const versions: Command = {
  name: 'versions',
  args: 'ID',
  positionals: [1, 1],
  summary: 'Stored versions of the app, newest first',
  examples: ['orrery apps versions /demo/web'],
  async run(ctx, _values, [id]) {
    const r = await ctx.api.get<{ versions: string[] }>(`${appPath(id)}/versions`);
    ctx.out(ctx.json ? json(r) : r.versions.length ? `${r.versions.join('\n')}\n` : 'No versions.\n');
    return 0;
  },
};

export const appsGroup: Group = {
  name: 'apps',
  summary: 'Apps: long-running services kept at their number of instances, changed by rolling deployments.',
  commands: [ls, get, add, scale, restart, suspend, rollback, rm, tasks, versions],
};

const deploymentsLs: Command = {
  name: 'ls',
  aliases: ['list'],
  summary: 'Running deployments with their progress (--all adds recently finished ones)',
  options: [{ name: 'all', short: 'a', type: 'boolean', help: 'also recently finished deployments' }],
  examples: ['orrery deployments ls', 'orrery deployments ls --all -o json'],
  async run(ctx, values) {
    const r = await ctx.api.get<{ deployments: DeploymentView[] }>('/v1/deployments', { query: { all: values.all ? true : undefined } });
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.deployments,
        [
          { header: 'id', value: (d) => d.id },
          { header: 'app', value: (d) => d.appId },
          { header: 'kind', value: (d) => d.kind },
          { header: 'status', value: (d) => d.status },
          { header: 'step', value: (d) => `${d.currentStep}/${d.totalSteps}${d.currentAction ? ` ${d.currentAction}` : ''}` },
          { header: 'progress', value: (d) => progressCounts(d) },
          { header: 'age', value: (d) => age(d.createdAt) },
          { header: 'reason', value: (d) => d.reason },
        ],
        'No deployments running.',
      ),
    );
    return 0;
  },
};

const deploymentsCancel: Command = {
  name: 'cancel',
  args: 'ID',
  positionals: [1, 1],
  summary: 'Cancel a running deployment: a new one reverts the app (--force: just stop)',
  options: [{ name: 'force', type: 'boolean', help: 'stop without reverting; the app keeps its new definition' }],
  examples: ['orrery deployments cancel 7f9c…', 'orrery deployments cancel 7f9c… --force'],
  async run(ctx, values, [id]) {
    const r = await ctx.api.delete<{ cancelled: DeploymentView; revert?: DeploymentView }>(`/v1/deployments/${encodeURIComponent(id)}`, { query: { force: values.force ? true : undefined } });
    ctx.out(ctx.json ? json(r) : `deployment ${r.cancelled.id} cancelled${r.revert ? `; reverting by deployment ${r.revert.id}` : ''}\n`);
    return 0;
  },
};

export const deploymentsGroup: Group = {
  name: 'deployments',
  summary: 'Deployments: the rolling changes of apps.',
  commands: [deploymentsLs, deploymentsCancel],
};

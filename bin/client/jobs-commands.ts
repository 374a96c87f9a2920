/** `orrery jobs …`: define, list, run, kill and delete jobs; run history, logs and the dependency graph. */
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../cli-errors.ts';
import { ApiProblem } from './api-client.ts';
import { int, str, type Command, type Ctx, type Group } from './command.ts';
import { age, details, duration, json, table } from './format.ts';
import { POLL_MS, taskLogs } from './follow-logs.ts';
import { parentsFirst, readDefinitions } from './spec-files.ts';

interface Job {
  name: string;
  command: string | string[];
  schedule?: string;
  timeZone: string;
  parents?: string[];
  children: string[];
  cpus: number;
  mem: number;
  disabled: boolean;
  status: string;
  nextRunAt?: string;
  owner?: string;
  description?: string;
  retries: number;
  concurrencyPolicy: string;
  version: number;
  stats: { successCount: number; errorCount: number; lastSuccess?: string; lastError?: string; running: number; queued: number };
}

interface Run {
  id: string;
  job: string;
  cause: string;
  attempt: number;
  state: string;
  reason?: string;
  scheduledAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  exitCode?: number;
  hostname?: string;
  taskId?: string;
}

const RUN_ENDED = new Set(['SUCCEEDED', 'FAILED', 'KILLED', 'MISSED', 'SKIPPED']);
const jobPath = (name: string): string => `/v1/jobs/${encodeURIComponent(name)}`;
const commandText = (c: string | string[]): string => (Array.isArray(c) ? c.join(' ') : c);

function runsTable(runs: Run[]): string {
  return table(
    runs,
    [
      { header: 'run', value: (r) => r.id },
      { header: 'job', value: (r) => r.job },
      { header: 'state', value: (r) => r.state },
      { header: 'cause', value: (r) => r.cause },
      { header: 'attempt', value: (r) => r.attempt, right: true },
      { header: 'exit', value: (r) => r.exitCode, right: true },
      { header: 'duration', value: (r) => duration(r.durationMs) },
      { header: 'started', value: (r) => (r.startedAt ? `${age(r.startedAt)} ago` : '-') },
      { header: 'host', value: (r) => r.hostname },
      { header: 'reason', value: (r) => r.reason },
    ],
    'No runs.',
  );
}

const ls: Command = {
  name: 'ls',
  aliases: ['list'],
  summary: 'List jobs with their status, schedule and last results',
  options: [
    { name: 'status', type: 'string', arg: 'STATUS', help: 'only fresh|running|success|failure|disabled' },
    { name: 'name', type: 'string', arg: 'TEXT', help: 'only names containing TEXT' },
  ],
  examples: ['orrery jobs ls', 'orrery jobs ls --status failure', 'orrery jobs ls -o json | jq ".jobs[].name"'],
  async run(ctx, values) {
    const r: { total: number; jobs: Job[] } = { total: 0, jobs: [] };
    do {
      const page = await ctx.api.get<{ total: number; jobs: Job[] }>('/v1/jobs', { query: { status: str(values, 'status'), name: str(values, 'name'), limit: 1000, offset: r.jobs.length } });
      r.total = page.total;
      r.jobs.push(...page.jobs);
      if (page.jobs.length === 0) break;
    } while (r.jobs.length < r.total);
    if (ctx.json) {
      ctx.out(json(r));
      return 0;
    }
    ctx.out(
      table(
        r.jobs,
        [
          { header: 'name', value: (j) => j.name },
          { header: 'status', value: (j) => j.status },
          { header: 'schedule', value: (j) => j.schedule ?? (j.parents?.length ? `after ${j.parents.join(',')}` : 'manual') },
          { header: 'next run', value: (j) => (j.nextRunAt && !j.disabled ? `in ${duration(Date.parse(j.nextRunAt) - Date.now())}` : '-') },
          { header: 'ok', value: (j) => j.stats.successCount, right: true },
          { header: 'failed', value: (j) => j.stats.errorCount, right: true },
          { header: 'running', value: (j) => j.stats.running, right: true },
          { header: 'command', value: (j) => commandText(j.command).slice(0, 60) },
        ],
        'No jobs. Add one with: orrery jobs add -f job.yaml',
      ),
    );
    return 0;
  },
};

const get: Command = {
  name: 'get',
  args: 'NAME',
  positionals: [1, 1],
  summary: 'Show one job: definition, status and counters',
  examples: ['orrery jobs get nightly-report', 'orrery jobs get nightly-report -o json > job.json   # edit, then jobs add -f job.json'],
  async run(ctx, _values, [name]) {
    const j = await ctx.api.get<Job>(jobPath(name));
    if (ctx.json) {
      ctx.out(json(j));
      return 0;
    }
    ctx.out(
      details([
        ['name', j.name],
        ['status', j.status],
        ['command', commandText(j.command)],
        ['schedule', j.schedule ? `${j.schedule} (${j.timeZone})` : undefined],
        ['parents', j.parents?.join(', ')],
        ['children', j.children.join(', ')],
        ['next run', j.nextRunAt],
        ['resources', `cpus:${j.cpus} mem:${j.mem}`],
        ['retries', j.retries],
        ['concurrency', j.concurrencyPolicy],
        ['disabled', j.disabled],
        ['owner', j.owner],
        ['description', j.description],
        ['successes', j.stats.successCount],
        ['failures', j.stats.errorCount],
        ['last success', j.stats.lastSuccess],
        ['last failure', j.stats.lastError],
        ['version', j.version],
      ]),
    );
    return 0;
  },
};

const add: Command = {
  name: 'add',
  aliases: ['apply'],
  summary: 'Create or replace jobs from JSON or YAML files (several jobs, a DAG, in one go)',
  description:
    'Create or replace jobs from JSON or YAML files. A file may hold one job, a list of jobs, YAML documents\n' +
    'separated by ---, or {jobs: [...]}; jobs are sent parents first, so a whole DAG can be added at once.',
  options: [{ name: 'file', short: 'f', type: 'string', multiple: true, arg: 'FILE', help: 'job definitions (repeatable; - = stdin)' }],
  examples: ['orrery jobs add -f job.json', 'orrery jobs add -f etl-dag.yaml', 'orrery jobs add -f extract.json -f load.json'],
  async run(ctx, values) {
    const defs = parentsFirst(readDefinitions((values.file as string[] | undefined) ?? [], 'jobs'));
    for (const d of defs) if (typeof d.body.name !== 'string') throw new UsageError(`${d.source}: a job needs a "name"`);
    const results: Job[] = [];
    for (const d of defs) {
      const res = await ctx.api.request('POST', '/v1/jobs', { body: d.body }).catch((e: unknown) => {
        if (e instanceof ApiProblem) e.message = `${d.source} (job ${String(d.body.name)}): ${e.message}`;
        throw e;
      });
      const job = res.json as Job;
      results.push(job);
      if (!ctx.json) ctx.out(`job ${job.name} ${res.status === 201 ? 'created' : 'updated'}\n`);
    }
    if (ctx.json) ctx.out(json({ jobs: results }));
    return 0;
  },
};

const run: Command = {
  name: 'run',
  aliases: ['start'],
  args: 'NAME [ARG…]',
  positionals: [1, 1000],
  summary: 'Start a run now (children run after it succeeds)',
  options: [
    { name: 'wait', short: 'w', type: 'boolean', help: 'wait for the run to end; exit 1 unless it succeeded' },
    { name: 'follow', short: 'f', type: 'boolean', help: "print the run's stdout as it runs (implies --wait)" },
  ],
  examples: ['orrery jobs run extract', 'orrery jobs run extract --follow', 'orrery jobs run backup -- --full   # arguments appended to the command'],
  async run(ctx, values, [name, ...args]) {
    const started = await ctx.api.post<Run>(`${jobPath(name)}/runs`, args.length ? { arguments: args } : undefined);
    if (!values.wait && !values.follow) {
      ctx.out(ctx.json ? json(started) : `run ${started.id} of ${name}: ${started.state}\n`);
      return 0;
    }
    if (!ctx.json) ctx.err(`run ${started.id} of ${name} started\n`);
    const final = await followRun(ctx, name, started, Boolean(values.follow));
    ctx.out(ctx.json ? json(final) : `run ${final.id} of ${name}: ${final.state}${final.exitCode !== undefined ? ` (exit ${final.exitCode})` : ''}${final.reason && final.state !== 'SUCCEEDED' ? ` — ${final.reason}` : ''}\n`);
    return final.state === 'SUCCEEDED' ? 0 : 1;
  },
};

/** Waits for a run to end, printing its stdout meanwhile when `logs`. */
async function followRun(ctx: Ctx, name: string, run: Run, logs: boolean): Promise<Run> {
  const path = `${jobPath(name)}/runs/${encodeURIComponent(run.id)}`;
  let current = run;
  let printed = false;
  for (;;) {
    if (logs && !printed && current.taskId) {
      await taskLogs(ctx, current.taskId, 'stdout', true);
      printed = true;
    }
    if (RUN_ENDED.has(current.state)) return current;
    await sleep(POLL_MS, undefined, { signal: ctx.signal });
    current = await ctx.api.get<Run>(path, { signal: ctx.signal });
  }
}

const kill: Command = {
  name: 'kill',
  args: 'NAME',
  positionals: [1, 1],
  summary: 'Kill every active run of a job (and cancel its pending retry)',
  examples: ['orrery jobs kill extract'],
  async run(ctx, _values, [name]) {
    const r = await ctx.api.post<{ killed: string[] }>(`${jobPath(name)}/kill`);
    ctx.out(ctx.json ? json(r) : r.killed.length ? `killed ${r.killed.join(', ')}\n` : `no active run of ${name}\n`);
    return 0;
  },
};

const HAS_CHILDREN = 'ORR_ERR_JOB_HAS_CHILDREN';

/**
 * The API's refusal to delete a job with children, told in the CLI's terms: its way out is the `--force` flag,
 * not the API's `force=true`. The children come from the problem's `params.name` field (`children: b, c`).
 */
export function withForceFlag(p: ApiProblem, name: string): string {
  const listed = p.fields.find((f) => f.field === 'params.name' && f.message.startsWith('children: '));
  const children = listed ? listed.message.slice('children: '.length).split(', ').filter((c) => c !== '') : [];
  if (children.length === 0) return p.message.replaceAll('force=true', '--force');
  const one = children.length === 1;
  const them = one ? 'it' : 'them';
  const detail = `${one ? 'job' : 'jobs'} ${children.join(', ')} ${one ? 'depends' : 'depend'} on ${name}; delete ${them} first, or detach ${them} with: orrery jobs rm ${name} --force`;
  return `${p.title} (HTTP ${p.status}, ${p.code}): ${detail}`;
}

const rm: Command = {
  name: 'rm',
  aliases: ['delete'],
  args: 'NAME',
  positionals: [1, 1],
  summary: 'Delete a job with its history (refused while others depend on it, unless --force)',
  options: [{ name: 'force', type: 'boolean', help: 'also when other jobs depend on it (they are detached)' }],
  examples: ['orrery jobs rm extract', 'orrery jobs rm extract --force'],
  async run(ctx, values, [name]) {
    const r = await ctx.api.delete<{ deleted: string; detached: string[]; killed: string[] }>(jobPath(name), { query: { force: values.force ? true : undefined } }).catch((e: unknown) => {
      if (e instanceof ApiProblem && e.code === HAS_CHILDREN) e.message = withForceFlag(e, name);
      throw e;
    });
    ctx.out(ctx.json ? json(r) : `job ${r.deleted} deleted${r.detached.length ? `; detached ${r.detached.join(', ')}` : ''}${r.killed.length ? `; killed ${r.killed.join(', ')}` : ''}\n`);
    return 0;
  },
};

const runs: Command = {
  name: 'runs',
  args: 'NAME',
  positionals: [1, 1],
  summary: 'Run history of a job, newest first',
  options: [
    { name: 'limit', type: 'string', arg: 'N', help: 'at most N runs (default 20)' },
    { name: 'state', type: 'string', arg: 'STATE', help: 'only runs in this state (e.g. FAILED)' },
  ],
  examples: ['orrery jobs runs extract', 'orrery jobs runs extract --state FAILED --limit 5'],
  async run(ctx, values, [name]) {
    const r = await ctx.api.get<{ total: number; runs: Run[] }>(`${jobPath(name)}/runs`, { query: { limit: int(str(values, 'limit'), '--limit', 20), state: str(values, 'state') } });
    ctx.out(ctx.json ? json(r) : runsTable(r.runs));
    return 0;
  },
};

const logs: Command = {
  name: 'logs',
  args: 'NAME [RUN]',
  positionals: [1, 2],
  summary: "Print a run's stdout (default: the latest run); -f follows it",
  options: [
    { name: 'follow', short: 'f', type: 'boolean', help: 'keep printing new output until the run ends' },
    { name: 'stderr', type: 'boolean', help: 'stderr instead of stdout' },
  ],
  examples: ['orrery jobs logs extract', 'orrery jobs logs extract -f', 'orrery jobs logs extract extract.1732590000000.ab12 --stderr'],
  async run(ctx, values, [name, runId]) {
    const follow = Boolean(values.follow);
    let r: Run | undefined;
    if (runId) r = await ctx.api.get<Run>(`${jobPath(name)}/runs/${encodeURIComponent(runId)}`);
    else r = (await ctx.api.get<{ runs: Run[] }>(`${jobPath(name)}/runs`, { query: { limit: 1 } })).runs[0];
    if (!r) {
      ctx.err(`job ${name} has no runs yet; start one with: orrery jobs run ${name}\n`);
      return 1;
    }
    // A queued run has no task yet: when following, wait for one.
    while (!r.taskId && follow && !RUN_ENDED.has(r.state)) {
      await sleep(POLL_MS, undefined, { signal: ctx.signal });
      r = await ctx.api.get<Run>(`${jobPath(name)}/runs/${encodeURIComponent(r.id)}`, { signal: ctx.signal });
    }
    if (!r.taskId) {
      ctx.err(`run ${r.id} of ${name} has no task (${r.state}${r.reason ? `: ${r.reason}` : ''})\n`);
      return 1;
    }
    return taskLogs(ctx, r.taskId, values.stderr ? 'stderr' : 'stdout', follow);
  },
};

interface Graph {
  nodes: Array<{ name: string; status: string; schedule?: string; parents: string[]; disabled: boolean }>;
  edges: Array<{ from: string; to: string; satisfied: boolean }>;
}

const graph: Command = {
  name: 'graph',
  summary: 'The dependency graph: jobs with their parents and status (--dot for Graphviz)',
  options: [{ name: 'dot', type: 'boolean', help: 'print Graphviz dot' }],
  examples: ['orrery jobs graph', 'orrery jobs graph --dot | dot -Tsvg > dag.svg'],
  async run(ctx, values) {
    if (values.dot) {
      ctx.out(await ctx.api.text('/v1/jobs/graph', { format: 'dot' }));
      return 0;
    }
    const g = await ctx.api.get<Graph>('/v1/jobs/graph');
    if (ctx.json) {
      ctx.out(json(g));
      return 0;
    }
    const satisfied = new Map(g.edges.map((e) => [`${e.from}→${e.to}`, e.satisfied]));
    ctx.out(
      table(
        g.nodes,
        [
          { header: 'job', value: (n) => n.name },
          { header: 'status', value: (n) => n.status },
          { header: 'schedule', value: (n) => n.schedule },
          { header: 'parents', value: (n) => n.parents.map((p) => `${p}${satisfied.get(`${p}→${n.name}`) ? ' ✓' : ''}`).join(', ') },
        ],
        'No jobs.',
      ),
    );
    return 0;
  },
};

export const jobsGroup: Group = {
  name: 'jobs',
  summary: 'Jobs: commands on a schedule (cron or ISO 8601) or after their parents (a DAG), and their runs.',
  commands: [ls, get, add, run, kill, rm, runs, logs, graph],
};

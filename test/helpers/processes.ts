/**
 * Real `orrery master` and `orrery agent` processes for multi-process tests: spawned from bin/orrery.js with their
 * output captured, started on free ports (port 0, the URL read from the banner), stopped with SIGTERM or SIGKILL.
 * The cluster secret goes through the environment, as a user would pass it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface OrreryProcess {
  child: ChildProcess;
  /** stdout + stderr so far. */
  output(): string;
  /** Parsed JSON log lines of stdout (pino) so far. */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill9(): Promise<void>;
}

export function spawnOrrery(args: string[], env: Record<string, string | undefined> = {}): OrreryProcess {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, LOG_LEVEL: 'info', ...env })) if (v !== undefined) merged[k] = v;
  if (env.ORRERY_CLUSTER_SECRET === undefined) delete merged.ORRERY_CLUSTER_SECRET;
  const child = spawn(process.execPath, ['bin/orrery.js', ...args], {
    cwd: ROOT,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => out,
    logs: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
    async stop() {
      if (!done) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (!done) child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface MasterProcess extends OrreryProcess {
  url: string;
}

export interface AgentProcess extends OrreryProcess {
  agentId: string;
  url: string;
}

/** Starts `orrery master` and waits for its banner. */
export async function startMasterProcess(opts: { redisUrl: string; workDir: string; prefix: string; secret?: string; port?: number; args?: string[]; env?: Record<string, string> }): Promise<MasterProcess> {
  const p = spawnOrrery(
    ['master', '--port', String(opts.port ?? 0), '--work-dir', opts.workDir, '--redis-url', opts.redisUrl, '--prefix', opts.prefix, ...(opts.args ?? [])],
    { ...opts.env, ORRERY_CLUSTER_SECRET: opts.secret },
  );
  const url = await waitFor(() => /Orrery master is up: (https?:\/\/127\.0\.0\.1:\d+)/.exec(p.output())?.[1], { timeoutMs: 30_000, message: 'master banner' }).catch(async (e: unknown) => {
    await p.kill9();
    throw new Error(`${(e as Error).message}; output: ${p.output().slice(-3000)}`);
  });
  return { ...p, url };
}

/** Starts `orrery agent` and waits until it registered (its banner). */
export async function startAgentProcess(opts: { masterUrl: string; workDir: string; secret?: string; resources: string; attributes?: string; hostname?: string; port?: number; args?: string[]; env?: Record<string, string> }): Promise<AgentProcess> {
  const p = spawnAgent(opts);
  const banner = await waitFor(() => /Orrery agent is up: (\S+) at (https?:\/\/\S+),/.exec(p.output()), { timeoutMs: 30_000, message: 'agent banner' }).catch(async (e: unknown) => {
    await p.kill9();
    throw new Error(`${(e as Error).message}; output: ${p.output().slice(-3000)}`);
  });
  return { ...p, agentId: banner[1], url: banner[2] };
}

/** Spawns `orrery agent` without waiting for anything (for agents expected to be refused). */
export function spawnAgent(opts: { masterUrl: string; workDir: string; secret?: string; resources: string; attributes?: string; hostname?: string; port?: number; args?: string[]; env?: Record<string, string> }): OrreryProcess {
  return spawnOrrery(
    [
      'agent',
      '--master', opts.masterUrl,
      '--work-dir', opts.workDir,
      '--port', String(opts.port ?? 0),
      '--resources', opts.resources,
      ...(opts.attributes ? ['--attributes', opts.attributes] : []),
      ...(opts.hostname ? ['--hostname', opts.hostname] : []),
      ...(opts.args ?? []),
    ],
    { ...opts.env, ORRERY_CLUSTER_SECRET: opts.secret },
  );
}

/** SIGKILLs whole process groups (tasks' executors a test left running), ignoring the ones already gone. */
export function killProcessGroups(pgids: Iterable<number>): void {
  for (const g of pgids) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

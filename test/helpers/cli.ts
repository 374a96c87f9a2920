/** Runs the real `orrery` binary (`node bin/orrery.js …`) as a user would, capturing its output and exit code. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Added to a clean environment (no ORRERY_* / REDIS_URL of the machine running the tests). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Run this program with the arguments instead of `node bin/orrery.js` (e.g. `script` for a terminal). */
  command?: string;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ORRERY_') && k !== 'REDIS_URL' && k !== 'LOG_LEVEL') env[k] = v;
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

/** Starts `orrery …` and leaves it running (for `up`, `events`, `logs -f`). */
export function spawnCli(args: string[], opts: CliOptions = {}): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = opts.command ? spawn(opts.command, args, { cwd: ROOT, env: cleanEnv(opts.env) }) : spawn(process.execPath, ['bin/orrery.js', ...args], { cwd: ROOT, env: cleanEnv(opts.env) });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs `orrery …` to its end. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const p = spawnCli(args, opts);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

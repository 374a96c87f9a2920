/**
 * A framework in its own process: `examples/framework/echo-framework.ts` against a master's HTTP API, with its
 * stdout lines collected for the test to wait on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface FrameworkProcess {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startFrameworkProcess(masterUrl: string, args: string[], env: Record<string, string> = {}): FrameworkProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-ts.js'), path.join(ROOT, 'examples/framework/echo-framework.ts'), '--master', masterUrl, ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    lines,
    exited,
    waitForLine: (match, what, timeoutMs = 20_000) =>
      waitFor(() => lines.find(match), { timeoutMs, message: `${what} (framework said: ${lines.slice(-10).join(' | ')}; stderr: ${stderr.slice(-800)})` }),
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

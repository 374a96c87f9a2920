/**
 * The probes behind agent health checks: HTTP GET to 127.0.0.1 (2xx and 3xx pass), TCP connect, and a shell
 * command run in the task's sandbox with the task's environment (exit 0 passes), its whole process group killed
 * at the timeout.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProbeOutcome, ResolvedHealthCheck } from './health-state.ts';

export interface ProbeTarget {
  sandbox: string;
  env: Record<string, string>;
}

export type HealthProbe = (check: ResolvedHealthCheck, target: ProbeTarget) => Promise<ProbeOutcome>;

function httpProbe(port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, headers: { 'user-agent': 'orrery-health-check' } }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 400 ? { ok: true } : { ok: false, cause: `HTTP ${status} from ${path}` });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (e) => resolve({ ok: false, cause: e.message }));
    req.end();
  });
}

function tcpProbe(port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (outcome: ProbeOutcome): void => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, cause: `timed out after ${timeoutMs} ms` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (e) => done({ ok: false, cause: e.message }));
  });
}

function commandProbe(command: string, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: target.sandbox, env: target.env, stdio: 'ignore', detached: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch (e) {
        // ESRCH: it ended meanwhile; 'exit' reports it.
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') resolve({ ok: false, cause: `timed out after ${timeoutMs} ms; kill failed: ${(e as Error).message}` });
      }
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, cause: e.message });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, cause: timedOut ? `timed out after ${timeoutMs} ms` : signal ? `command killed by ${signal}` : `command exited with ${code}` });
    });
  });
}

export const defaultHealthProbe: HealthProbe = (check, target) => {
  if (check.type === 'COMMAND') return commandProbe(check.command as string, target, check.timeoutMs);
  const port = check.port as number;
  return check.type === 'HTTP' ? httpProbe(port, check.path, check.timeoutMs) : tcpProbe(port, check.timeoutMs);
};

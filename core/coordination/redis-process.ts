import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * Spawning a private `redis-server` (used by `orrery up` when no Redis answers, and by the tests).
 * The binary is looked up on PATH. The server binds to one address only and keeps its files in `dir`.
 */
export interface RedisServerProcess {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly url: string;
  /** The last few KB of the server's stdout/stderr (empty when it logs to a file). */
  output(): string;
  /** SIGTERM (Redis fsyncs its AOF and exits), SIGKILL after `graceMs`. Resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (a crash: nothing is flushed). Resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface SpawnRedisOptions {
  dir: string;
  appendonly: boolean;
  host?: string;
  /** A fixed port (no retry); when absent a free one is asked from the OS, retried on collision. */
  port?: number;
  /** Log to this file instead of piping output to us. */
  logfile?: string;
  startTimeoutMs?: number;
  /**
   * `sentinel`: `redis-server <configFile> --sentinel` (Sentinel rewrites its config file, so it needs one;
   * `appendonly` is ignored). Default `server`.
   */
  mode?: 'server' | 'sentinel';
  /** The config file given as the first argument (required for a sentinel). */
  configFile?: string;
  /** More `--name value` arguments, e.g. `['--replicaof', '127.0.0.1', '6390']`. */
  extraArgs?: string[];
}

const OUTPUT_CAP = 8192;
const PORT_ATTEMPTS = 5;

/** A port the OS just handed out on `host` (listen on 0, read, close). Another process may take it before us. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** True when a Redis without auth answers `PING` with `+PONG` at host:port within `timeoutMs`. */
export function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let buf = '';
    const socket = net.connect({ host, port });
    const done = (result: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.includes('\r\n')) done(buf.startsWith('+PONG'));
    });
    // A refused or reset connection simply means "no Redis here".
    socket.on('error', () => done(false));
  });
}

export async function spawnRedisServer(opts: SpawnRedisOptions): Promise<RedisServerProcess> {
  const host = opts.host ?? '127.0.0.1';
  if (opts.port !== undefined) return spawnOn(opts, host, opts.port);
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    const port = await findFreePort(host);
    try {
      return await spawnOn(opts, host, port);
    } catch (error) {
      // Most likely someone took the port between our probe and redis' bind: try another one.
      lastError = error;
    }
  }
  throw new Error(`could not start redis-server after ${PORT_ATTEMPTS} attempts`, { cause: lastError });
}

function spawnOn(opts: SpawnRedisOptions, host: string, port: number): Promise<RedisServerProcess> {
  const sentinel = opts.mode === 'sentinel';
  if (sentinel && !opts.configFile) throw new Error('a sentinel needs a config file');
  const args = [
    ...(opts.configFile ? [opts.configFile] : []),
    ...(sentinel ? ['--sentinel'] : []),
    '--port', String(port),
    '--bind', host,
    '--dir', opts.dir,
    ...(sentinel ? [] : ['--save', '', '--appendonly', opts.appendonly ? 'yes' : 'no']),
    '--daemonize', 'no',
    '--logfile', opts.logfile ?? '',
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-OUTPUT_CAP);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // A binary that could not be spawned has no pid and never emits 'exit'.
    child.once('error', () => child.pid === undefined && resolve());
  });
  let spawnFailure: Error | undefined;
  // 'error' means the binary could not be run (ENOENT) or a signal could not be sent; without a
  // listener it would crash the process.
  child.on('error', (error) => {
    spawnFailure = error;
    collect(Buffer.from(`\n[spawn error] ${error.message}\n`));
  });

  const server: RedisServerProcess = {
    host,
    port,
    pid: child.pid ?? -1,
    dir: opts.dir,
    url: `redis://${host}:${port}`,
    output: () => out,
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
    kill: async () => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return waitUntilUp(server, exited, () => spawnFailure, opts.startTimeoutMs ?? 10_000);
}

async function waitUntilUp(
  server: RedisServerProcess,
  exited: Promise<void>,
  spawnFailure: () => Error | undefined,
  timeoutMs: number,
): Promise<RedisServerProcess> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = spawnFailure();
    if (failure) throw new Error(`cannot run redis-server: ${failure.message}`, { cause: failure });
    if (gone) throw new Error(`redis-server exited during start on port ${server.port}: ${server.output().trim()}`);
    // Only trust a PONG while our child is alive: otherwise another server may own the port.
    if ((await pingRedis(server.host, server.port, 500)) && !gone) return server;
    await new Promise((r) => setTimeout(r, 25));
  }
  await server.stop(1000);
  throw new Error(`redis-server did not answer PING on port ${server.port} within ${timeoutMs} ms: ${server.output().trim()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([exited, killed]);
  clearTimeout(timer);
  await exited;
}

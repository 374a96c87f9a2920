/**
 * The `orrery` command line. `orrery up` runs everything in one process; more commands (master, agent,
 * client commands) come with their issues. Exit codes: 0 ok, 1 error, 2 usage.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRootLogger } from '../core/logging/logger.ts';
import { ConfigError, startOrrery, type OrreryConfig } from '../services/server/orrery.ts';
import { agentCommand, masterCommand } from './server-commands.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const UP_HELP = `Usage: orrery up [options]

Starts Orrery in one process: master, an agent for this host, the execute framework and the HTTP API + UI.
Uses the Redis at --redis-url; if none answers and redis-server is installed, starts a private one (AOF on)
with its data under the work dir.

Options (each also from the environment):
  --host HOST          address to listen on (ORRERY_HOST, default 127.0.0.1; only loopback until auth exists)
  --port PORT          port to listen on (ORRERY_PORT, default 5050; 0 = any free port)
  --work-dir DIR       agent sandboxes, checkpoints and the private Redis (ORRERY_WORK_DIR, default ./.orrery)
  --redis-url URL      Redis to use (REDIS_URL, default redis://127.0.0.1:6379)
  --prefix NAME        Redis key prefix, one per cluster (ORRERY_PREFIX, default orrery)
  --resources TEXT     agent resources in Mesos syntax, e.g. 'cpus:4;mem:8192;ports:[31000-32000]'
                       (ORRERY_RESOURCES, default: what the host has)
  --attributes TEXT    agent attributes, e.g. 'rack:a;os:linux' (ORRERY_ATTRIBUTES)
  --keep-tasks         on shutdown leave the agent's tasks running (default: kill them)
  --log-level LEVEL    trace|debug|info|warn|error (LOG_LEVEL, default info)
  -h, --help           this help

Examples:
  orrery up
  orrery up --port 5051 --resources 'cpus:2;mem:2048;cassandra-slot:1' --attributes 'rack:a'
  REDIS_URL=redis://redis.internal:6379 orrery up --prefix staging
`;

const HELP = `Usage: orrery <command> [options]

Commands:
  up         start master, agent, services and API in one process
  master     start the control plane (master, services, API) for remote agents
  agent      start an agent for this host, linked to a master
  version    print the version

Run 'orrery <command> --help' for a command's options.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'master':
      return masterCommand(rest);
    case 'agent':
      return agentCommand(rest);
    case 'version':
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`orrery: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

function intOption(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new ConfigError(name, `--${name} must be a port number from 0 to 65535, got '${value}'`);
  return Number(value);
}

async function up(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'work-dir': { type: 'string' },
        'redis-url': { type: 'string' },
        prefix: { type: 'string' },
        resources: { type: 'string' },
        attributes: { type: 'string' },
        'keep-tasks': { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`orrery up: ${(e as Error).message}\n\n${UP_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(UP_HELP);
    return 0;
  }
  const env = process.env;
  const logger = createRootLogger({ level: values['log-level'] ?? env.LOG_LEVEL ?? 'info' });
  let cfg: OrreryConfig;
  try {
    cfg = {
      host: values.host ?? env.ORRERY_HOST ?? '127.0.0.1',
      port: intOption(values.port ?? env.ORRERY_PORT ?? '5050', 'port'),
      workDir: values['work-dir'] ?? env.ORRERY_WORK_DIR ?? './.orrery',
      redisUrl: values['redis-url'] ?? env.REDIS_URL,
      keyPrefix: values.prefix ?? env.ORRERY_PREFIX ?? 'orrery',
      keepTasks: values['keep-tasks'] ?? false,
      resources: values.resources ?? env.ORRERY_RESOURCES,
      attributes: values.attributes ?? env.ORRERY_ATTRIBUTES,
      leaseTtlMs: 10_000,
      offerTimeoutMs: 30_000,
      version: VERSION,
    };
  } catch (e) {
    process.stderr.write(`orrery up: ${(e as Error).message}\n`);
    return 2;
  }
  let running;
  try {
    running = await startOrrery(cfg, logger);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`orrery up: ${e.message}\n`);
      return 2;
    }
    logger.fatal({ err: e }, 'orrery failed to start');
    process.stderr.write(`orrery up: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`\nOrrery is up: ${running.url}\n  API:     ${running.url}/v1/state\n  Docs:    ${running.url}/docs\n  Metrics: ${running.url}/metrics\nPress Ctrl+C to stop${cfg.keepTasks ? ' (tasks keep running)' : ' (running tasks are killed)'}.\n`);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await running.stop();
  logger.flush?.();
  return 0;
}

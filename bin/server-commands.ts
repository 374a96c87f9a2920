/**
 * `orrery master` and `orrery agent`: the two halves of a cluster of many machines (`orrery up` is both in one
 * process). Secrets come from the environment (`ORRERY_CLUSTER_SECRET`) or a file (`--cluster-secret-file`),
 * never from the command line, where `ps` shows them to everyone; the variable is removed from this process's
 * environment once read, so tasks never inherit it. Exit codes: 0 ok, 1 error, 2 usage or configuration.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { createRootLogger, type Logger } from '../core/logging/logger.ts';
import { ConfigError, startOrrery, type OrreryConfig } from '../services/server/orrery.ts';
import { startAgentNode, type AgentNodeConfig } from '../services/server/agent-mode.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const MASTER_HELP = `Usage: orrery master [options]

Starts the control plane: master, jobs, apps, the HTTP API + UI, and the agent protocol for remote agents
(\`orrery agent\`). No agent runs in this process unless --with-agent is given.

High availability: run several replicas against one Redis and key prefix. Each serves its API at once and
campaigns for the leader lease; the leader runs the master, a follower forwards every request to it
(GET /v1/leader on any replica names it). If the leader dies, another takes over within about a lease ttl.

Options (each also from the environment):
  --host HOST                 address to listen on (ORRERY_HOST, default 127.0.0.1; any other address needs API
                              tokens and framework credentials, see README "Security")
  --port PORT                 port to listen on (ORRERY_PORT, default 5050; 0 = any free port)
  --work-dir DIR              work dir: private Redis, the local agent's sandboxes (ORRERY_WORK_DIR, default ./.orrery)
  --redis-url URL             Redis to use (REDIS_URL, default redis://127.0.0.1:6379)
  --prefix NAME               Redis key prefix, one per cluster (ORRERY_PREFIX, default orrery)
  --cluster-secret-file FILE  file holding the secret agents must present (else ORRERY_CLUSTER_SECRET);
                              required unless --with-agent
  --tokens-file FILE          API tokens, one 'name:role:token' a line (ORRERY_TOKENS_FILE; or ORRERY_TOKENS)
  --tls-cert FILE             serve the API over HTTPS with this PEM certificate (ORRERY_TLS_CERT)
  --tls-key FILE              and this PEM private key (ORRERY_TLS_KEY)
  --framework-credentials-file FILE
                              principals and secrets of frameworks on /api/v1/scheduler
                              (ORRERY_FRAMEWORK_CREDENTIALS_FILE; or the JSON in ORRERY_FRAMEWORK_CREDENTIALS)
  --with-agent                also run an agent for this host in this process (as orrery up does)
  --isolation LIST            isolation of that local agent: auto | cgroups | posix [,pid] (ORRERY_ISOLATION)
  --resources TEXT            resources of that local agent (ORRERY_RESOURCES, default: what the host has)
  --attributes TEXT           attributes of that local agent (ORRERY_ATTRIBUTES)
  --keep-tasks                on shutdown leave the local agent's tasks running
  --agent-heartbeat-ms MS     how often agents heartbeat (default 5000)
  --agent-timeout-ms MS       an agent silent this long is disconnected: no offers on it (default 15000)
  --agent-lost-ms MS          a disconnected agent not back this long has its tasks LOST (default 60000)
  --agent-reregister-ms MS    after a master start, agents have this long to re-register (default 60000)
  --lease-ttl-ms MS           leader lease, renewed every ttl/3; a failover takes up to this long (default 10000)
  --log-level LEVEL           trace|debug|info|warn|error (LOG_LEVEL, default info)
  -h, --help                  this help

Examples:
  ORRERY_CLUSTER_SECRET=… orrery master --redis-url redis://redis.internal:6379
  orrery master --cluster-secret-file /etc/orrery/cluster-secret --with-agent
`;

export const AGENT_HELP = `Usage: orrery agent --master URL [options]

Starts an agent for this host: it registers with the master, runs the tasks the master launches, heartbeats, and
registers again by itself after a master restart or a network cut, reporting the tasks it still runs.

Options (each also from the environment):
  --master URL[,URL…]         the master, e.g. http://10.0.0.1:5050, or its replicas' URLs (ORRERY_MASTER); any
                              replica forwards to the leader, and the agent moves on to the next when one fails
  --cluster-secret-file FILE  file holding the cluster secret (else ORRERY_CLUSTER_SECRET); required
  --work-dir DIR              sandboxes and checkpoint; reuse it to recover tasks (ORRERY_WORK_DIR, default ./.orrery-agent)
  --resources TEXT            e.g. 'cpus:4;mem:8192;ports:[31000-32000]' (ORRERY_RESOURCES, default: what the host has)
  --attributes TEXT           e.g. 'rack:a;os:linux' (ORRERY_ATTRIBUTES)
  --isolation LIST            auto | cgroups | posix, optionally ',pid' (ORRERY_ISOLATION, default auto: cgroups
                              when the host allows, else posix rlimits and RSS polling)
  --host HOST                 address the agent's server binds (ORRERY_AGENT_HOST, default 127.0.0.1; 0.0.0.0 for all)
  --port PORT                 port of the agent's server (ORRERY_AGENT_PORT, default 5051; 0 = any free port)
  --tls-cert FILE             serve the agent protocol over HTTPS with this PEM certificate (ORRERY_TLS_CERT);
                              the master must trust its CA (NODE_EXTRA_CA_CERTS=ca.pem on the master)
  --tls-key FILE              and this PEM private key (ORRERY_TLS_KEY)
  --advertise-host HOST       name or address the master reaches this agent at (default: --host, or the host name)
  --hostname NAME             host name reported to the master, used by constraints (default: this host's name)
  --kill-tasks-on-stop        on shutdown kill the tasks (default: leave them running; the next agent on this
                              work dir re-attaches them)
  --log-level LEVEL           trace|debug|info|warn|error (LOG_LEVEL, default info)
  -h, --help                  this help

Example:
  ORRERY_CLUSTER_SECRET=… orrery agent --master http://10.0.0.1:5050 --host 0.0.0.0 --advertise-host 10.0.0.7 \\
    --resources 'cpus:8;mem:16384;ports:[31000-32000]' --attributes 'rack:b' --work-dir /var/lib/orrery
`;

const SECRET_ENV = 'ORRERY_CLUSTER_SECRET';

/** The cluster secret from `--cluster-secret-file` or the environment; removes the variable from this process. */
function clusterSecret(file: string | undefined): string | undefined {
  const fromEnv = process.env[SECRET_ENV];
  delete process.env[SECRET_ENV];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError('cluster-secret-file', `--cluster-secret-file: cannot read ${file}: ${(e as Error).message}`);
    }
    const secret = text.trim();
    if (secret.length === 0) throw new ConfigError('cluster-secret-file', `--cluster-secret-file: ${file} is empty`);
    return secret;
  }
  const secret = fromEnv?.trim();
  return secret ? secret : undefined;
}

/** `--tls-cert` and `--tls-key`: both or neither. */
function tlsFiles(certFile: string | undefined, keyFile: string | undefined): { certFile: string; keyFile: string } | undefined {
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const missing = certFile === undefined ? 'tls-cert' : 'tls-key';
    throw new ConfigError(missing, `--tls-cert and --tls-key go together: --${missing} is missing`);
  }
  return { certFile, keyFile };
}

function portOption(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new ConfigError(name, `--${name} must be a port number from 0 to 65535, got '${value}'`);
  return Number(value);
}

function msOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 7 * 24 * 3600 * 1000) throw new ConfigError(name, `--${name} must be a number of milliseconds from 1 to 604800000, got '${value}'`);
  return Number(value);
}

type Values = Record<string, string | boolean | undefined>;

function parse(command: string, args: string[], options: ParseArgsConfig['options'], help: string): Values | number {
  const onCommandLine = args.find((a) => a === '--cluster-secret' || a.startsWith('--cluster-secret='));
  if (onCommandLine) {
    process.stderr.write(`orrery ${command}: secrets are not taken from the command line (every user sees it in ps); set ${SECRET_ENV} or use --cluster-secret-file FILE\n`);
    return 2;
  }
  let values: Values;
  try {
    ({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true }) as { values: Values });
  } catch (e) {
    process.stderr.write(`orrery ${command}: ${(e as Error).message}\n\n${help}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(help);
    return 0;
  }
  return values;
}

async function untilSignal(logger: Logger): Promise<void> {
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
}

function failed(command: string, logger: Logger, e: unknown): number {
  if (e instanceof ConfigError) {
    process.stderr.write(`orrery ${command}: ${e.message}\n`);
    return 2;
  }
  logger.fatal({ err: e }, `orrery ${command} failed to start`);
  process.stderr.write(`orrery ${command}: ${(e as Error).message}\n`);
  return 1;
}

export async function masterCommand(args: string[]): Promise<number> {
  const s = { type: 'string' } as const;
  const b = { type: 'boolean' } as const;
  const values = parse('master', args, {
    host: s, port: s, 'work-dir': s, 'redis-url': s, prefix: s, 'cluster-secret-file': s, 'with-agent': b, resources: s, attributes: s, 'keep-tasks': b,
    'tokens-file': s, 'tls-cert': s, 'tls-key': s, 'framework-credentials-file': s, isolation: s,
    'agent-heartbeat-ms': s, 'agent-timeout-ms': s, 'agent-lost-ms': s, 'agent-reregister-ms': s, 'lease-ttl-ms': s, 'log-level': s,
  }, MASTER_HELP);
  if (typeof values === 'number') return values;
  const env = process.env;
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const logger = createRootLogger({ level: str('log-level') ?? env.LOG_LEVEL ?? 'info' });
  let cfg: OrreryConfig;
  try {
    const secret = clusterSecret(str('cluster-secret-file'));
    const withAgent = values['with-agent'] === true;
    if (!secret && !withAgent) {
      throw new ConfigError('cluster-secret-file', `no cluster secret: remote agents could not join. Set ${SECRET_ENV} or --cluster-secret-file FILE (or run an agent in this process with --with-agent)`);
    }
    cfg = {
      host: str('host') ?? env.ORRERY_HOST ?? '127.0.0.1',
      port: portOption(str('port') ?? env.ORRERY_PORT ?? '5050', 'port'),
      workDir: str('work-dir') ?? env.ORRERY_WORK_DIR ?? './.orrery',
      redisUrl: str('redis-url') ?? env.REDIS_URL,
      keyPrefix: str('prefix') ?? env.ORRERY_PREFIX ?? 'orrery',
      keepTasks: values['keep-tasks'] === true,
      resources: str('resources') ?? env.ORRERY_RESOURCES,
      attributes: str('attributes') ?? env.ORRERY_ATTRIBUTES,
      leaseTtlMs: msOption(str('lease-ttl-ms'), 'lease-ttl-ms') ?? 10_000,
      offerTimeoutMs: 30_000,
      version: VERSION,
      localAgent: withAgent,
      clusterSecret: secret,
      agentHeartbeatIntervalMs: msOption(str('agent-heartbeat-ms'), 'agent-heartbeat-ms'),
      agentTimeoutMs: msOption(str('agent-timeout-ms'), 'agent-timeout-ms'),
      agentLostTimeoutMs: msOption(str('agent-lost-ms'), 'agent-lost-ms'),
      agentReregisterTimeoutMs: msOption(str('agent-reregister-ms'), 'agent-reregister-ms'),
      isolation: str('isolation') ?? env.ORRERY_ISOLATION,
      security: { tokens: env.ORRERY_TOKENS, tokensFile: str('tokens-file') ?? env.ORRERY_TOKENS_FILE, tlsCert: str('tls-cert') ?? env.ORRERY_TLS_CERT, tlsKey: str('tls-key') ?? env.ORRERY_TLS_KEY },
      frameworkCredentials: { file: str('framework-credentials-file') ?? env.ORRERY_FRAMEWORK_CREDENTIALS_FILE, env: env.ORRERY_FRAMEWORK_CREDENTIALS },
    };
    // Read once, then gone: tasks of the local agent must not inherit them.
    delete env.ORRERY_TOKENS;
    delete env.ORRERY_FRAMEWORK_CREDENTIALS;
  } catch (e) {
    return failed('master', logger, e);
  }
  let running;
  try {
    running = await startOrrery(cfg, logger);
  } catch (e) {
    return failed('master', logger, e);
  }
  process.stdout.write(`\nOrrery master is up: ${running.url} (${running.leadership.isLeader ? 'leading' : 'following; GET /v1/leader names the leader'})\n  Agents:  orrery agent --master ${running.url} (with the cluster secret)\n  API:     ${running.url}/v1/state\n  Docs:    ${running.url}/docs\nPress Ctrl+C to stop.\n`);
  await untilSignal(logger);
  await running.stop();
  logger.flush?.();
  return 0;
}

export async function agentCommand(args: string[]): Promise<number> {
  const s = { type: 'string' } as const;
  const b = { type: 'boolean' } as const;
  const values = parse('agent', args, {
    master: s, 'cluster-secret-file': s, 'work-dir': s, resources: s, attributes: s, isolation: s, 'tls-cert': s, 'tls-key': s, host: s, port: s, 'advertise-host': s, hostname: s, 'kill-tasks-on-stop': b, 'log-level': s,
  }, AGENT_HELP);
  if (typeof values === 'number') return values;
  const env = process.env;
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const logger = createRootLogger({ level: str('log-level') ?? env.LOG_LEVEL ?? 'info' });
  let cfg: AgentNodeConfig;
  try {
    const masterUrl = str('master') ?? env.ORRERY_MASTER;
    if (!masterUrl) throw new ConfigError('master', '--master URL is required, e.g. --master http://10.0.0.1:5050');
    const secret = clusterSecret(str('cluster-secret-file'));
    if (!secret) throw new ConfigError('cluster-secret-file', `no cluster secret: set ${SECRET_ENV} or --cluster-secret-file FILE (the master's secret)`);
    cfg = {
      masterUrl,
      clusterSecret: secret,
      workDir: str('work-dir') ?? env.ORRERY_WORK_DIR ?? './.orrery-agent',
      host: str('host') ?? env.ORRERY_AGENT_HOST ?? '127.0.0.1',
      port: portOption(str('port') ?? env.ORRERY_AGENT_PORT ?? '5051', 'port'),
      advertiseHost: str('advertise-host'),
      hostname: str('hostname'),
      resources: str('resources') ?? env.ORRERY_RESOURCES,
      attributes: str('attributes') ?? env.ORRERY_ATTRIBUTES,
      isolation: str('isolation') ?? env.ORRERY_ISOLATION,
      tls: tlsFiles(str('tls-cert') ?? env.ORRERY_TLS_CERT, str('tls-key') ?? env.ORRERY_TLS_KEY),
      killTasksOnStop: values['kill-tasks-on-stop'] === true,
    };
  } catch (e) {
    return failed('agent', logger, e);
  }
  let running;
  try {
    running = await startAgentNode(cfg, logger);
  } catch (e) {
    return failed('agent', logger, e);
  }
  process.stdout.write(`\nOrrery agent is up: ${running.agentId} at ${running.url}, master ${cfg.masterUrl}\nPress Ctrl+C to stop${cfg.killTasksOnStop ? ' (running tasks are killed)' : ' (tasks keep running)'}.\n`);
  await untilSignal(logger);
  await running.stop();
  logger.flush?.();
  return 0;
}

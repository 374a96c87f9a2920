/**
 * `orrery master` and `orrery agent`: the two halves of a cluster of many machines (`orrery up` is both in one
 * process). Their options come from the config table (bin/config/): a config file (`--config FILE` or
 * ORRERY_CONFIG) < environment < flags, every value validated before anything starts. Secrets come from the
 * environment (`ORRERY_CLUSTER_SECRET`), a file (`--cluster-secret-file`) or the config file, never from the command
 * line, where `ps` shows them to everyone; the variable is removed from this process's environment once read, so
 * tasks never inherit it. Exit codes: 0 ok, 1 error, 2 usage or configuration (naming the key).
 */
import { readFileSync } from 'node:fs';
import { startOrrery, type OrreryConfig } from '../services/server/orrery.ts';
import { startAgentNode, type AgentNodeConfig } from '../services/server/agent-mode.ts';
import { runServer } from './server-run.ts';
import { UsageError } from './cli-errors.ts';
import { AGENT_KEYS, MASTER_KEYS, type CommandKeys } from './config/config-keys.ts';
import { loadCommandConfig } from './config/command-config.ts';
import { durationMs } from './config/durations.ts';
import { redisLine } from './startup-banner.ts';
import { formatIssue, whereFrom, type LoadedConfig } from './config/load-config.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const MASTER_HELP = `Usage: orrery master [options]

Starts the control plane: master, jobs, apps, the HTTP API + UI, and the agent protocol for remote agents
(\`orrery agent\`). No agent runs in this process unless --with-agent is given.

High availability: run several replicas against one Redis and key prefix. Each serves its API at once and
campaigns for the leader lease; the leader runs the master, a follower forwards every request to it
(GET /v1/leader on any replica names it). If the leader dies, another takes over within about a lease ttl.

Options (each also from the environment and a config file; flag > environment > file; the config file key is
in brackets, see 'orrery config --help'):
  --config FILE               config file, YAML or JSON (ORRERY_CONFIG); 'orrery config print --for master' shows
                              the effective configuration
  --host HOST                 address to listen on (ORRERY_HOST, default 127.0.0.1; any other address needs API
                              tokens and framework credentials, see README "Security") [host]
  --port PORT                 port to listen on (ORRERY_PORT, default 5050; 0 = any free port) [port]
  --work-dir DIR              work dir: private Redis, the local agent's sandboxes (ORRERY_WORK_DIR, default ./.orrery) [workDir]
  --redis-url URL             Redis to use (REDIS_URL, default redis://127.0.0.1:6379) [redisUrl]
  --prefix NAME               Redis key prefix, one per cluster (ORRERY_PREFIX, default orrery) [prefix]
  --cluster-secret-file FILE  file holding the secret agents must present (ORRERY_CLUSTER_SECRET_FILE) [clusterSecretFile];
                              or the secret itself in ORRERY_CLUSTER_SECRET [clusterSecret], never a flag.
                              Required unless --with-agent
  --tokens-file FILE          API tokens, one 'name:role:token' a line (ORRERY_TOKENS_FILE) [tokensFile];
                              or ORRERY_TOKENS='name:role:token,…' [tokens], never a flag
  --tls-cert FILE             serve the API over HTTPS with this PEM certificate (ORRERY_TLS_CERT) [tlsCert]
  --tls-key FILE              and this PEM private key (ORRERY_TLS_KEY) [tlsKey]
  --framework-credentials-file FILE
                              principals and secrets of frameworks on /api/v1/scheduler
                              (ORRERY_FRAMEWORK_CREDENTIALS_FILE) [frameworkCredentialsFile]; or the JSON itself
                              in ORRERY_FRAMEWORK_CREDENTIALS [frameworkCredentials], never a flag
  --with-agent                also run an agent for this host in this process, as orrery up does (ORRERY_WITH_AGENT) [withAgent]
  --isolation LIST            isolation of that local agent: auto | cgroups | posix [,pid] (ORRERY_ISOLATION, default auto) [isolation]
  --resources TEXT            resources of that local agent (ORRERY_RESOURCES, default: what the host has) [resources]
  --attributes TEXT           attributes of that local agent (ORRERY_ATTRIBUTES) [attributes]
  --sandbox-max-age D         that local agent removes finished sandboxes this old (ORRERY_SANDBOX_MAX_AGE, default 7d) [sandboxMaxAge]
  --sandbox-max-size MB       and keeps at most this many MB of them (ORRERY_SANDBOX_MAX_SIZE, default 10240) [sandboxMaxSize]
  --keep-tasks                on shutdown leave the local agent's tasks running (ORRERY_KEEP_TASKS) [keepTasks]
  --agent-heartbeat-ms MS     how often agents heartbeat (ORRERY_AGENT_HEARTBEAT_MS, default 5000) [agentHeartbeatMs]
  --agent-timeout-ms MS       an agent silent this long is disconnected: no offers on it
                              (ORRERY_AGENT_TIMEOUT_MS, default 15000) [agentTimeoutMs]
  --agent-lost-ms MS          a disconnected agent not back this long has its tasks LOST
                              (ORRERY_AGENT_LOST_MS, default 60000) [agentLostMs]
  --agent-reregister-ms MS    after a master starts leading, agents have this long to re-register
                              (ORRERY_AGENT_REREGISTER_MS, default 60000) [agentReregisterMs]
  --lease-ttl-ms MS           leader lease, renewed every ttl/3; a failover takes up to this long
                              (ORRERY_LEASE_TTL_MS, default 10000, 1000-600000) [leaseTtlMs]
  --log-level LEVEL           trace|debug|info|warn|error (LOG_LEVEL, default info) [logLevel]
  -h, --help                  this help
  Only in the environment or the file: ORRERY_OFFER_TIMEOUT_MS [offerTimeoutMs], unanswered offers are rescinded
  after this long (default 30000).

Examples:
  ORRERY_CLUSTER_SECRET=… orrery master --redis-url redis://redis.internal:6379
  orrery master --cluster-secret-file /etc/orrery/cluster-secret --with-agent
  orrery master --config /etc/orrery/master.yaml --lease-ttl-ms 3000     # flags win over the file
  orrery config print --for master --config /etc/orrery/master.yaml     # what it would run with
`;

export const AGENT_HELP = `Usage: orrery agent --master URL [options]

Starts an agent for this host: it registers with the master, runs the tasks the master launches, heartbeats, and
registers again by itself after a master restart or a network cut, reporting the tasks it still runs.

Options (each also from the environment and a config file; flag > environment > file; the config file key is
in brackets, see 'orrery config --help'):
  --config FILE               config file, YAML or JSON (ORRERY_CONFIG); 'orrery config print --for agent' shows
                              the effective configuration
  --master URL[,URL…]         the master, e.g. http://10.0.0.1:5050, or its replicas' URLs (ORRERY_MASTER) [masterUrl];
                              any replica forwards to the leader, and the agent moves on to the next when one fails
  --cluster-secret-file FILE  file holding the cluster secret (ORRERY_CLUSTER_SECRET_FILE) [clusterSecretFile];
                              or the secret itself in ORRERY_CLUSTER_SECRET [clusterSecret], never a flag. Required
  --work-dir DIR              sandboxes and checkpoint; reuse it to recover tasks
                              (ORRERY_WORK_DIR, default ./.orrery-agent) [workDir]
  --resources TEXT            e.g. 'cpus:4;mem:8192;ports:[31000-32000]' (ORRERY_RESOURCES, default: what the host has) [resources]
  --attributes TEXT           e.g. 'rack:a;os:linux' (ORRERY_ATTRIBUTES) [attributes]
  --isolation LIST            auto | cgroups | posix, optionally ',pid' (ORRERY_ISOLATION, default auto: cgroups
                              when the host allows, else posix rlimits and RSS polling) [isolation]
  --sandbox-max-age D         remove finished sandboxes this old, e.g. 90m, 12h, 7d (ORRERY_SANDBOX_MAX_AGE, default 7d) [sandboxMaxAge]
  --sandbox-max-size MB       keep at most this many MB of them (ORRERY_SANDBOX_MAX_SIZE, default 10240) [sandboxMaxSize]
  --host HOST                 address the agent's server binds (ORRERY_AGENT_HOST, default 127.0.0.1; 0.0.0.0 for all) [agentHost]
  --port PORT                 port of the agent's server (ORRERY_AGENT_PORT, default 5051; 0 = any free port) [agentPort]
  --tls-cert FILE             serve the agent protocol over HTTPS with this PEM certificate (ORRERY_TLS_CERT) [tlsCert];
                              the master must trust its CA (NODE_EXTRA_CA_CERTS=ca.pem on the master)
  --tls-key FILE              and this PEM private key (ORRERY_TLS_KEY) [tlsKey]
  --advertise-host HOST       name or address the master reaches this agent at (ORRERY_ADVERTISE_HOST, default:
                              --host, or the host name when that is 0.0.0.0) [advertiseHost]
  --hostname NAME             host name reported to the master, used by constraints (ORRERY_HOSTNAME, default:
                              this host's name) [hostname]
  --kill-tasks-on-stop        on shutdown kill the tasks (ORRERY_KILL_TASKS_ON_STOP; default: leave them running,
                              the next agent on this work dir re-attaches them) [killTasksOnStop]
  --log-level LEVEL           trace|debug|info|warn|error (LOG_LEVEL, default info) [logLevel]
  -h, --help                  this help

Examples:
  ORRERY_CLUSTER_SECRET=… orrery agent --master http://10.0.0.1:5050 --host 0.0.0.0 --advertise-host 10.0.0.7 \\
    --resources 'cpus:8;mem:16384;ports:[31000-32000]' --attributes 'rack:b' --work-dir /var/lib/orrery
  orrery agent --config /etc/orrery/agent.yaml --attributes 'rack:c'     # flags win over the file
  orrery config print --for agent --config /etc/orrery/agent.yaml       # what it would run with
`;

/** A configuration problem found after loading (a value missing, a file unreadable): a UsageError naming the key. */
function problem(cfg: LoadedConfig, keys: CommandKeys, key: string, message: string): UsageError {
  return new UsageError(`invalid configuration:\n  ${formatIssue({ key, where: whereFrom(cfg, keys, key), message })}`);
}

/** The cluster secret: the file's contents when `clusterSecretFile` is set, else `clusterSecret`. */
function clusterSecret(cfg: LoadedConfig, keys: CommandKeys): string | undefined {
  const file = cfg.values.clusterSecretFile as string | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw problem(cfg, keys, 'clusterSecretFile', `cannot read ${file}: ${(e as Error).message}`);
    }
    const secret = text.trim();
    if (secret.length === 0) throw problem(cfg, keys, 'clusterSecretFile', `${file} is empty`);
    return secret;
  }
  const secret = (cfg.values.clusterSecret as string | undefined)?.trim();
  return secret ? secret : undefined;
}

function sandboxGc(v: LoadedConfig['values']): { maxAgeMs: number; maxBytes: number } {
  return { maxAgeMs: durationMs(String(v.sandboxMaxAge)), maxBytes: Number(v.sandboxMaxSize) * 1024 * 1024 };
}

/** The OrreryConfig of `orrery master` from the command line, the environment and the config file. */
export function masterConfig(args: string[], env: NodeJS.ProcessEnv = process.env): { cfg: OrreryConfig; logLevel: string } | 'help' {
  const loaded = loadCommandConfig(MASTER_KEYS, args, MASTER_HELP, env);
  if (loaded === 'help') return 'help';
  const v = loaded.values;
  const secret = clusterSecret(loaded, MASTER_KEYS);
  const withAgent = v.withAgent === true;
  if (!secret && !withAgent) {
    throw problem(loaded, MASTER_KEYS, 'clusterSecret', 'no cluster secret: remote agents could not join. Set ORRERY_CLUSTER_SECRET or --cluster-secret-file FILE (or run an agent in this process with --with-agent)');
  }
  return {
    logLevel: String(v.logLevel),
    cfg: {
      host: String(v.host),
      port: Number(v.port),
      workDir: String(v.workDir),
      redisUrl: v.redisUrl as string | undefined,
      keyPrefix: String(v.prefix),
      keepTasks: v.keepTasks === true,
      resources: v.resources as string | undefined,
      attributes: v.attributes as string | undefined,
      isolation: String(v.isolation),
      sandboxGc: sandboxGc(v),
      leaseTtlMs: Number(v.leaseTtlMs),
      offerTimeoutMs: Number(v.offerTimeoutMs),
      version: VERSION,
      localAgent: withAgent,
      clusterSecret: secret,
      agentHeartbeatIntervalMs: Number(v.agentHeartbeatMs),
      agentTimeoutMs: Number(v.agentTimeoutMs),
      agentLostTimeoutMs: Number(v.agentLostMs),
      agentReregisterTimeoutMs: Number(v.agentReregisterMs),
      security: {
        tokens: v.tokens as string | undefined,
        tokensFile: v.tokensFile as string | undefined,
        tlsCert: v.tlsCert as string | undefined,
        tlsKey: v.tlsKey as string | undefined,
      },
      frameworkCredentials: { file: v.frameworkCredentialsFile as string | undefined, env: v.frameworkCredentials as string | undefined },
    },
  };
}

/** The AgentNodeConfig of `orrery agent` from the command line, the environment and the config file. */
export function agentConfig(args: string[], env: NodeJS.ProcessEnv = process.env): { cfg: AgentNodeConfig; logLevel: string } | 'help' {
  const loaded = loadCommandConfig(AGENT_KEYS, args, AGENT_HELP, env);
  if (loaded === 'help') return 'help';
  const v = loaded.values;
  const masterUrl = v.masterUrl as string | undefined;
  if (masterUrl === undefined) throw problem(loaded, AGENT_KEYS, 'masterUrl', '--master URL is required, e.g. --master http://10.0.0.1:5050 (or ORRERY_MASTER, or masterUrl in the config file)');
  const secret = clusterSecret(loaded, AGENT_KEYS);
  if (!secret) throw problem(loaded, AGENT_KEYS, 'clusterSecret', "no cluster secret: set ORRERY_CLUSTER_SECRET or --cluster-secret-file FILE (the master's secret)");
  const tlsCert = v.tlsCert as string | undefined;
  const tlsKey = v.tlsKey as string | undefined;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    const [missing, flag] = tlsCert === undefined ? ['tlsCert', 'tls-cert'] : ['tlsKey', 'tls-key'];
    throw problem(loaded, AGENT_KEYS, missing, `--tls-cert and --tls-key go together: --${flag} is missing`);
  }
  return {
    logLevel: String(v.logLevel),
    cfg: {
      masterUrl,
      clusterSecret: secret,
      workDir: String(v.workDir),
      host: String(v.agentHost),
      port: Number(v.agentPort),
      advertiseHost: v.advertiseHost as string | undefined,
      hostname: v.hostname as string | undefined,
      resources: v.resources as string | undefined,
      attributes: v.attributes as string | undefined,
      isolation: String(v.isolation),
      sandboxGc: sandboxGc(v),
      tls: tlsCert !== undefined && tlsKey !== undefined ? { certFile: tlsCert, keyFile: tlsKey } : undefined,
      killTasksOnStop: v.killTasksOnStop === true,
    },
  };
}

export function masterCommand(args: string[]): Promise<number> {
  return runServer({
    name: 'master',
    help: MASTER_HELP,
    configure: () => masterConfig(args),
    start: startOrrery,
    banner: (running, cfg) =>
      `\nOrrery master is up: ${running.url} (${running.leadership.isLeader ? 'leading' : 'following; GET /v1/leader names the leader'})\n  Agents:  orrery agent --master ${running.url} (with the cluster secret)\n  API:     ${running.url}/v1/state\n  Docs:    ${running.url}/docs\n  Redis:   ${redisLine(running.redis, cfg.workDir)}\nPress Ctrl+C to stop.\n`,
  });
}

export function agentCommand(args: string[]): Promise<number> {
  return runServer({
    name: 'agent',
    help: AGENT_HELP,
    configure: () => agentConfig(args),
    start: startAgentNode,
    banner: (running, cfg) => `\nOrrery agent is up: ${running.agentId} at ${running.url}, master ${cfg.masterUrl}\nPress Ctrl+C to stop${cfg.killTasksOnStop ? ' (running tasks are killed)' : ' (tasks keep running)'}.\n`,
  });
}

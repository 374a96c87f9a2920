/**
 * Every configuration key of the `orrery` command, in one table: its name in a config file, its environment
 * variable, its flag, its type and default, and whether it is a secret. `loadConfig` reads a file, the
 * environment and the flags through this table; `orrery config print` and the help texts describe it.
 *
 * A command uses the keys it needs (`UP_KEYS`, `MASTER_KEYS`, `AGENT_KEYS` for the servers, `CLIENT_KEYS` for the
 * client commands), but a config file may hold any key of the table, so one file serves every command. A command
 * may read a key under another flag or with another default (`orrery agent --host` sets `agentHost`; its `workDir`
 * defaults to `./.orrery-agent`): see `KeyUse`.
 */
import { parseAttributes, parseResources } from '../../core/resources/resources.ts';
import { parseRedisUrl } from '../../core/coordination/redis-url.ts';

export type ConfigValue = string | number | boolean;

export interface ConfigKey {
  /** The key in a config file (camelCase). */
  key: string;
  /** The environment variable, if any. */
  env?: string;
  /** The long flag without dashes, if any (a command decides which of them it accepts). */
  flag?: string;
  type: 'string' | 'integer' | 'boolean';
  default?: ConfigValue;
  /**
   * Shown as `***` (URLs: only their password) by `orrery config print`. A secret without a flag is refused on the
   * command line (`ps` shows it to every user) and removed from the process's environment once read, so tasks
   * never inherit it.
   */
  secret?: boolean;
  describe: string;
  /** Range of an integer. */
  min?: number;
  max?: number;
  /** Allowed strings. */
  oneOf?: readonly string[];
  /** Further checks of a string: an error message, or undefined when valid. */
  check?: (value: string) => string | undefined;
}

function urlCheck(protocols: readonly string[]): (v: string) => string | undefined {
  return (v) => {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return `'${v}' is not a URL`;
    }
    return protocols.includes(u.protocol) ? undefined : `'${v}' must start with ${protocols.map((p) => `${p}//`).join(' or ')}`;
  };
}

/** `URL[,URL…]`: each an http(s) URL (the master's replicas). */
function masterUrlsCheck(v: string): string | undefined {
  const parts = v.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) return 'must be a URL such as http://10.0.0.1:5050, or several separated by commas';
  for (const part of parts) {
    const problem = urlCheck(['http:', 'https:'])(part);
    if (problem) return `${problem} (one URL, or several separated by commas)`;
  }
  return undefined;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** `250ms`, `90s`, `15m`, `12h`, `7d`. */
export const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export const CONFIG_KEYS: readonly ConfigKey[] = [
  // ── client commands ──
  { key: 'url', env: 'ORRERY_URL', flag: 'url', type: 'string', default: 'http://127.0.0.1:5050', describe: 'the Orrery API the client commands talk to', check: urlCheck(['http:', 'https:']) },
  { key: 'token', env: 'ORRERY_TOKEN', flag: 'token', type: 'string', secret: true, describe: 'bearer token the client commands send (Authorization: Bearer …)' },
  { key: 'output', env: 'ORRERY_OUTPUT', flag: 'output', type: 'string', default: 'table', oneOf: ['table', 'json'], describe: 'output of the client commands: human tables or JSON' },
  // ── servers (`orrery up`, `orrery master`; the agent's own keys below) ──
  { key: 'host', env: 'ORRERY_HOST', flag: 'host', type: 'string', default: '127.0.0.1', describe: 'address the API listens on (a non-loopback address needs API tokens and framework credentials)' },
  { key: 'port', env: 'ORRERY_PORT', flag: 'port', type: 'integer', default: 5050, min: 0, max: 65535, describe: 'port to listen on (0 = any free port)' },
  { key: 'workDir', env: 'ORRERY_WORK_DIR', flag: 'work-dir', type: 'string', default: './.orrery', describe: 'agent sandboxes, checkpoints and the private Redis' },
  {
    key: 'redisUrl',
    env: 'REDIS_URL',
    flag: 'redis-url',
    type: 'string',
    secret: true,
    describe: 'Redis to use: redis://, rediss:// (TLS), redis+sentinel://h1:p1,h2:p2/<master>, redis+cluster://h1:p1,h2:p2 (unset: redis://127.0.0.1:6379, else a private redis-server; a Redis named here is waited for, never replaced)',
    check: (v) => {
      const r = parseRedisUrl(v);
      return r.ok ? undefined : r.error;
    },
  },
  { key: 'prefix', env: 'ORRERY_PREFIX', flag: 'prefix', type: 'string', default: 'orrery', describe: 'Redis key prefix, one per cluster', check: (v) => (/^[A-Za-z0-9_.-]{1,64}$/.test(v) ? undefined : `'${v}' must be 1-64 letters, digits, '_', '.' or '-'`) },
  {
    key: 'resources',
    env: 'ORRERY_RESOURCES',
    flag: 'resources',
    type: 'string',
    describe: "agent resources in Mesos syntax (default: what the host has); with agents > 1 they are split between the agents",
    check: (v) => {
      const r = parseResources(v);
      return r.ok ? undefined : r.error.message;
    },
  },
  {
    key: 'attributes',
    env: 'ORRERY_ATTRIBUTES',
    flag: 'attributes',
    type: 'string',
    describe: "agent attributes, e.g. 'rack:a;os:linux'",
    check: (v) => {
      const r = parseAttributes(v);
      return r.ok ? undefined : r.error.message;
    },
  },
  {
    key: 'isolation',
    env: 'ORRERY_ISOLATION',
    flag: 'isolation',
    type: 'string',
    default: 'auto',
    // Checked by the agent, which knows what this host allows.
    describe: "task isolation: auto | cgroups | posix, optionally with ',pid' (a PID namespace per task)",
  },
  { key: 'sandboxMaxAge', env: 'ORRERY_SANDBOX_MAX_AGE', flag: 'sandbox-max-age', type: 'string', default: '7d', describe: 'finished sandboxes older than this are removed (e.g. 3600s, 90m, 12h, 7d)', check: (v) => (DURATION.test(v) ? undefined : `'${v}' must be a duration such as 3600s, 90m, 12h or 7d`) },
  { key: 'sandboxMaxSize', env: 'ORRERY_SANDBOX_MAX_SIZE', flag: 'sandbox-max-size', type: 'integer', default: 10_240, min: 0, max: 1 << 30, describe: 'MB of finished sandboxes kept; the oldest are removed first' },
  { key: 'tokens', env: 'ORRERY_TOKENS', type: 'string', secret: true, describe: "API tokens 'name:role:token,…' (roles admin, operator, viewer); never a flag" },
  { key: 'tokensFile', env: 'ORRERY_TOKENS_FILE', flag: 'tokens-file', type: 'string', describe: "file of API tokens, one 'name:role:token' a line, or JSON/YAML by extension" },
  { key: 'tlsCert', env: 'ORRERY_TLS_CERT', flag: 'tls-cert', type: 'string', describe: 'serve the API over HTTPS with this PEM certificate (chain); needs tlsKey' },
  { key: 'tlsKey', env: 'ORRERY_TLS_KEY', flag: 'tls-key', type: 'string', describe: 'the PEM private key of tlsCert' },
  { key: 'frameworkCredentials', env: 'ORRERY_FRAMEWORK_CREDENTIALS', type: 'string', secret: true, describe: 'principals and secrets frameworks present on /api/v1/scheduler, as {"credentials":[{"principal":"…","secret":"…"}]}; never a flag' },
  { key: 'frameworkCredentialsFile', env: 'ORRERY_FRAMEWORK_CREDENTIALS_FILE', flag: 'framework-credentials-file', type: 'string', describe: 'a file holding the framework credentials JSON (default: none, frameworks subscribe open)' },
  { key: 'agents', env: 'ORRERY_AGENTS', flag: 'agents', type: 'integer', default: 1, min: 1, max: 64, describe: 'agents `orrery up` runs in its process (they share the resources)' },
  { key: 'keepTasks', env: 'ORRERY_KEEP_TASKS', flag: 'keep-tasks', type: 'boolean', default: false, describe: 'on shutdown leave the agents’ tasks running' },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: 'log-level', type: 'string', default: 'info', oneOf: LOG_LEVELS, describe: 'log level' },
  { key: 'leaseTtlMs', env: 'ORRERY_LEASE_TTL_MS', flag: 'lease-ttl-ms', type: 'integer', default: 10_000, min: 1000, max: 600_000, describe: 'leader lease time to live, ms, renewed every ttl/3; a failover takes up to this long' },
  { key: 'offerTimeoutMs', env: 'ORRERY_OFFER_TIMEOUT_MS', type: 'integer', default: 30_000, min: 1000, max: 3_600_000, describe: 'an offer not answered in this long is rescinded, ms' },
  // ── the cluster of many machines (`orrery master`, `orrery agent`) ──
  { key: 'clusterSecret', env: 'ORRERY_CLUSTER_SECRET', type: 'string', secret: true, describe: 'the secret agents present to the master and the master to agents; never a flag' },
  { key: 'clusterSecretFile', env: 'ORRERY_CLUSTER_SECRET_FILE', flag: 'cluster-secret-file', type: 'string', describe: 'a file holding the cluster secret (wins over clusterSecret)' },
  { key: 'withAgent', env: 'ORRERY_WITH_AGENT', flag: 'with-agent', type: 'boolean', default: false, describe: '`orrery master` also runs an agent for this host in its process (as `orrery up` does)' },
  { key: 'agentHeartbeatMs', env: 'ORRERY_AGENT_HEARTBEAT_MS', flag: 'agent-heartbeat-ms', type: 'integer', default: 5000, min: 1, max: WEEK_MS, describe: 'how often agents heartbeat to the master, ms' },
  { key: 'agentTimeoutMs', env: 'ORRERY_AGENT_TIMEOUT_MS', flag: 'agent-timeout-ms', type: 'integer', default: 15_000, min: 1, max: WEEK_MS, describe: 'an agent silent this long is disconnected: no offers on it, ms' },
  { key: 'agentLostMs', env: 'ORRERY_AGENT_LOST_MS', flag: 'agent-lost-ms', type: 'integer', default: 60_000, min: 1, max: WEEK_MS, describe: 'a disconnected agent not back this long has its tasks LOST, ms' },
  { key: 'agentReregisterMs', env: 'ORRERY_AGENT_REREGISTER_MS', flag: 'agent-reregister-ms', type: 'integer', default: 60_000, min: 1, max: WEEK_MS, describe: 'after a master starts leading, agents have this long to re-register, ms' },
  { key: 'masterUrl', env: 'ORRERY_MASTER', flag: 'master', type: 'string', describe: "the master `orrery agent` registers with, or its replicas' URLs separated by commas", check: masterUrlsCheck },
  // `orrery agent --host/--port`: their own keys, so one file can configure a master and an agent on one machine.
  { key: 'agentHost', env: 'ORRERY_AGENT_HOST', type: 'string', default: '127.0.0.1', describe: "address the agent's server binds (flag --host of `orrery agent`; 0.0.0.0 for all)" },
  { key: 'agentPort', env: 'ORRERY_AGENT_PORT', type: 'integer', default: 5051, min: 0, max: 65535, describe: "port of the agent's server (flag --port of `orrery agent`; 0 = any free port)" },
  { key: 'advertiseHost', env: 'ORRERY_ADVERTISE_HOST', flag: 'advertise-host', type: 'string', describe: 'name or address the master reaches the agent at (default: agentHost, or the host name when that is a wildcard)' },
  { key: 'hostname', env: 'ORRERY_HOSTNAME', flag: 'hostname', type: 'string', describe: "host name the agent reports to the master, used by constraints (default: this host's name)" },
  { key: 'killTasksOnStop', env: 'ORRERY_KILL_TASKS_ON_STOP', flag: 'kill-tasks-on-stop', type: 'boolean', default: false, describe: '`orrery agent` kills its tasks on shutdown (else they keep running; the next agent on the work dir re-attaches them)' },
];

const byKey = new Map(CONFIG_KEYS.map((k) => [k.key, k]));

export function configKey(key: string): ConfigKey {
  const k = byKey.get(key);
  if (!k) throw new Error(`no config key '${key}'`);
  return k;
}

/** A key as one command reads it, when its flag or default differs from the table's. */
export interface KeyUse {
  key: string;
  /** The flag this command reads the key from, instead of the table's. */
  flag?: string;
  /** This command's default, instead of the table's. */
  default?: ConfigValue;
}

/** The keys a command reads: names from CONFIG_KEYS, or a KeyUse where the command reads one differently. */
export type CommandKeys = readonly (string | KeyUse)[];

/** The table entry of a key as `use` reads it: its flag and default replaced where the command says so. */
export function keyAsUsed(use: string | KeyUse): ConfigKey {
  const u = typeof use === 'string' ? { key: use } : use;
  const def = configKey(u.key);
  return { ...def, ...(u.flag !== undefined && { flag: u.flag }), ...(u.default !== undefined && { default: u.default }) };
}

export const CLIENT_KEYS = ['url', 'token', 'output'] as const;
export const SERVER_KEYS = ['host', 'port', 'workDir', 'redisUrl', 'prefix', 'resources', 'attributes', 'agents', 'isolation', 'sandboxMaxAge', 'sandboxMaxSize', 'tokens', 'tokensFile', 'tlsCert', 'tlsKey', 'frameworkCredentials', 'frameworkCredentialsFile', 'keepTasks', 'logLevel', 'leaseTtlMs', 'offerTimeoutMs'] as const;
/** `orrery up`. */
export const UP_KEYS: CommandKeys = SERVER_KEYS;
/** `orrery master`: the API and control plane; `resources` … `sandboxMaxSize` are for its `withAgent` agent. */
export const MASTER_KEYS: CommandKeys = [
  'host', 'port', 'workDir', 'redisUrl', 'prefix', 'clusterSecret', 'clusterSecretFile', 'tokens', 'tokensFile', 'tlsCert', 'tlsKey', 'frameworkCredentials', 'frameworkCredentialsFile',
  'withAgent', 'resources', 'attributes', 'isolation', 'sandboxMaxAge', 'sandboxMaxSize', 'keepTasks',
  'agentHeartbeatMs', 'agentTimeoutMs', 'agentLostMs', 'agentReregisterMs', 'leaseTtlMs', 'offerTimeoutMs', 'logLevel',
];
/** `orrery agent`: its server's --host and --port are its own keys; its work dir has its own default. */
export const AGENT_KEYS: CommandKeys = [
  'masterUrl', 'clusterSecret', 'clusterSecretFile', { key: 'workDir', default: './.orrery-agent' }, 'resources', 'attributes', 'isolation', 'sandboxMaxAge', 'sandboxMaxSize',
  { key: 'agentHost', flag: 'host' }, { key: 'agentPort', flag: 'port' }, 'advertiseHost', 'hostname', 'tlsCert', 'tlsKey', 'killTasksOnStop', 'logLevel',
];

/** The server commands by name, for `orrery config print --for`. */
export const COMMAND_KEYS = { up: UP_KEYS, master: MASTER_KEYS, agent: AGENT_KEYS } as const satisfies Record<string, CommandKeys>;

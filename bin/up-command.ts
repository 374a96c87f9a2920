/**
 * `orrery up`: master, agents, services and API in one process. Its options come from the configuration
 * (config file < environment < flags, see bin/config/), validated before anything starts.
 */
import { readFileSync } from 'node:fs';
import { startOrrery, type OrreryConfig } from '../services/server/orrery.ts';
import { UP_KEYS } from './config/config-keys.ts';
import { loadCommandConfig } from './config/command-config.ts';
import { durationMs } from './config/durations.ts';
import { thisCliCommand } from './cli-hint.ts';
import { upBanner } from './startup-banner.ts';
import { runServer } from './server-run.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export const UP_HELP = `Usage: orrery up [options]

Starts Orrery in one process: master, an agent for this host (or --agents N), the execute framework and the
HTTP API + UI. Uses the Redis at --redis-url; if none answers and redis-server is installed, starts a private
one (AOF on) with its data under the work dir.

Options (each also from the environment and a config file; flag > environment > file):
  --config FILE        config file, YAML or JSON (ORRERY_CONFIG); see 'orrery config --help' for its keys
  --host HOST          address to listen on (ORRERY_HOST, default 127.0.0.1; a non-loopback address needs tokens)
  --port PORT          port to listen on (ORRERY_PORT, default 5050; 0 = any free port)
  --work-dir DIR       agent sandboxes, checkpoints and the private Redis (ORRERY_WORK_DIR, default ./.orrery)
  --redis-url URL      Redis to use (REDIS_URL, default redis://127.0.0.1:6379)
  --prefix NAME        Redis key prefix, one per cluster (ORRERY_PREFIX, default orrery)
  --resources TEXT     agent resources in Mesos syntax, e.g. 'cpus:4;mem:8192;ports:[31000-32000]'
                       (ORRERY_RESOURCES, default: what the host has)
  --agents N           run N agents in this process, splitting the resources between them; their hostnames
                       get a suffix (-1, -2, …) so hostname constraints spread (ORRERY_AGENTS, default 1)
  --attributes TEXT    agent attributes, e.g. 'rack:a;os:linux' (ORRERY_ATTRIBUTES)
  --isolation LIST     auto | cgroups | posix, optionally with pid: 'cgroups,pid' (ORRERY_ISOLATION, default
                       auto: cgroups when the host allows, else posix rlimits and RSS polling)
  --sandbox-max-age D  remove finished sandboxes this old, e.g. 3600s, 90m, 12h, 7d (ORRERY_SANDBOX_MAX_AGE, default 7d)
  --sandbox-max-size MB  keep at most this many MB of finished sandboxes, oldest removed first
                       (ORRERY_SANDBOX_MAX_SIZE, default 10240)
  --keep-tasks         on shutdown leave the agents' tasks running (ORRERY_KEEP_TASKS, default: kill them)
  --tokens-file FILE   API tokens, one 'name:role:token' a line, or JSON/YAML by extension (ORRERY_TOKENS_FILE);
                       or ORRERY_TOKENS='name:role:token,…' (roles: admin, operator, viewer). Never on the command line.
  --tls-cert FILE      serve the API over HTTPS with this PEM certificate (chain) (ORRERY_TLS_CERT)
  --tls-key FILE       and this PEM private key (ORRERY_TLS_KEY)
  --framework-credentials-file FILE
                       principals and secrets frameworks must present on /api/v1/scheduler, as
                       {"credentials":[{"principal":"…","secret":"…"}]} (ORRERY_FRAMEWORK_CREDENTIALS_FILE, or the
                       JSON itself in ORRERY_FRAMEWORK_CREDENTIALS; default: no credentials, frameworks subscribe open)
  --lease-ttl-ms MS    leader lease, renewed every ttl/3 (ORRERY_LEASE_TTL_MS, default 10000)
  --log-level LEVEL    trace|debug|info|warn|error (LOG_LEVEL, default info)
  -h, --help           this help
  Only in the environment or the file: ORRERY_OFFER_TIMEOUT_MS (offerTimeoutMs), unanswered offers are rescinded
  after this long (default 30000).

Examples:
  orrery up
  orrery up --port 5051 --resources 'cpus:2;mem:2048;cassandra-slot:1' --attributes 'rack:a'
  orrery up --agents 3 --resources 'cpus:3;mem:3072;ports:[31000-31299]'
  orrery up --config orrery.yaml
  orrery config print --for up --config orrery.yaml      # what it would run with
  REDIS_URL=redis://redis.internal:6379 orrery up --prefix staging
`;

/** The OrreryConfig of `orrery up` from the command line, the environment and the config file. */
export function upConfig(args: string[], env: NodeJS.ProcessEnv = process.env): { cfg: OrreryConfig; logLevel: string } | 'help' {
  const loaded = loadCommandConfig(UP_KEYS, args, UP_HELP, env);
  if (loaded === 'help') return 'help';
  const v = loaded.values;
  return {
    logLevel: String(v.logLevel),
    cfg: {
      host: String(v.host),
      port: Number(v.port),
      workDir: String(v.workDir),
      redisUrl: v.redisUrl as string | undefined,
      keyPrefix: String(v.prefix),
      keepTasks: Boolean(v.keepTasks),
      resources: v.resources as string | undefined,
      attributes: v.attributes as string | undefined,
      agents: Number(v.agents),
      isolation: String(v.isolation),
      sandboxGc: { maxAgeMs: durationMs(String(v.sandboxMaxAge)), maxBytes: Number(v.sandboxMaxSize) * 1024 * 1024 },
      frameworkCredentials: { file: v.frameworkCredentialsFile as string | undefined, env: v.frameworkCredentials as string | undefined },
      security: {
        tokens: v.tokens as string | undefined,
        tokensFile: v.tokensFile as string | undefined,
        tlsCert: v.tlsCert as string | undefined,
        tlsKey: v.tlsKey as string | undefined,
      },
      leaseTtlMs: Number(v.leaseTtlMs),
      offerTimeoutMs: Number(v.offerTimeoutMs),
      version: VERSION,
    },
  };
}

export function up(args: string[]): Promise<number> {
  return runServer({
    name: 'up',
    help: UP_HELP,
    configure: () => upConfig(args),
    start: startOrrery,
    banner: (running, cfg) => upBanner({ url: running.url, agents: running.agents.length, redis: running.redis, workDir: cfg.workDir, keepTasks: cfg.keepTasks, cli: thisCliCommand() }),
  });
}

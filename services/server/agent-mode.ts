/**
 * The composition root of `orrery agent`: one agent for this host, linked to a remote master over HTTP.
 *
 *   Agent ──MasterForAgents──▶ HttpMasterClient ──POST /api/v1/agent/{register,heartbeat,updates}──▶ master
 *     ▲                                                                                                │
 *     └── AgentLink ◀── agent-host routes (fastify) ◀──POST /api/v1/agent/{messages,files/read}────────┘
 *
 * The HTTP server listens before the agent registers: the master may send kills while it reconciles the
 * registration. `start` resolves once registered (it retries, with backoff, while the master does not answer)
 * and rejects when the master refuses (wrong secret, invalid registration).
 */
import { mkdir } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../core/clock/clock.ts';
import type { Logger } from '../../core/logging/logger.ts';
import { Agent } from '../../core/agent/agent.ts';
import { detectHostResources } from '../../core/agent/host-resources.ts';
import { parseAttributes, parseResources } from '../../core/resources/resources.ts';
import { HttpMasterClient } from '../../core/transport/http-master-client.ts';
import { buildHttpServer } from './http-server.ts';
import { MetricsRegistry } from './metrics.ts';
import { registerAgentMetrics } from './metrics/agent-metrics.ts';
import { agentHostRoutes } from './routes/agent-host-routes.ts';
import { ConfigError } from './orrery.ts';
import { loadTls, type TlsMaterial } from './auth/auth-config.ts';
import { ShutdownStack } from './shutdown-stack.ts';

export interface AgentNodeConfig {
  /** The master's base URL, e.g. `http://10.0.0.1:5050`, or its replicas' URLs separated by commas (any of them). */
  masterUrl: string;
  clusterSecret: string;
  workDir: string;
  /** `auto` (default) | `cgroups` | `posix`, optionally `,pid` (see core/agent/isolation). */
  isolation?: string;
  /** PEM files: the agent's server speaks HTTPS and advertises an https:// URL (the master trusts the CA via NODE_EXTRA_CA_CERTS). */
  tls?: { certFile: string; keyFile: string };
  /** Address the agent's server binds (default 127.0.0.1). */
  host: string;
  /** 0 = any free port. */
  port: number;
  /** Host name or address the master uses to reach this agent (default: `host`, or this host's name when `host` is a wildcard). */
  advertiseHost?: string;
  /** Reported to the master (constraints on `hostname` match it); default this host's name. */
  hostname?: string;
  /** Mesos resource text; default what the host has. */
  resources?: string;
  attributes?: string;
  /** On a clean stop, kill the tasks (default: leave them running for the next agent on this work dir). */
  killTasksOnStop: boolean;
  /** How long and how much the agent keeps finished sandboxes (default 1 week, 10 GiB). */
  sandboxGc?: { maxAgeMs?: number; maxBytes?: number };
  registerRetry?: { initialMs: number; maxMs: number };
  statusRetry?: { initialMs: number; maxMs: number };
}

export interface RunningAgentNode {
  agent: Agent;
  agentId: string;
  /** The URL the master reaches this agent at. */
  url: string;
  http: FastifyInstance;
  stop(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

function parsed<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }, key: string): T {
  if (!r.ok) throw new ConfigError(key, `--${key}: ${r.error.message}`);
  return r.value;
}

/** `--master URL[,URL…]`: the master, or any of its replicas (they forward to the leader). */
function parseMasterUrls(text: string): string[] {
  const urls: string[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p.length > 0)) {
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      throw new ConfigError('master', `--master must be a URL such as http://10.0.0.1:5050 (or several, comma-separated), got '${part}'`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('master', `--master must be an http:// or https:// URL, got '${part}'`);
    urls.push(url.origin);
  }
  if (urls.length === 0) throw new ConfigError('master', '--master URL is required, e.g. --master http://10.0.0.1:5050');
  return urls;
}

export async function startAgentNode(cfg: AgentNodeConfig, logger: Logger, clock: Clock = systemClock): Promise<RunningAgentNode> {
  const masterUrls = parseMasterUrls(cfg.masterUrl);
  if (cfg.clusterSecret.length === 0) throw new ConfigError('cluster-secret', 'the cluster secret is empty');
  const workDir = path.resolve(cfg.workDir);
  await mkdir(workDir, { recursive: true });
  const resources = cfg.resources === undefined ? detectHostResources(workDir) : parsed(parseResources(cfg.resources), 'resources');
  const attributes = cfg.attributes === undefined ? {} : parsed(parseAttributes(cfg.attributes), 'attributes');
  const log = logger.child({ component: 'agent-node' });

  const stack = new ShutdownStack(log);
  try {
    const agent = new Agent({ workDir, hostname: cfg.hostname ?? osHostname(), resources, attributes, clock, logger, statusRetry: cfg.statusRetry, isolation: cfg.isolation, sandboxGc: cfg.sandboxGc });
    let client: HttpMasterClient | undefined;
    let tls: TlsMaterial | undefined;
    if (cfg.tls) {
      const loaded = await loadTls(cfg.tls);
      if (!loaded.ok) throw new ConfigError(loaded.error.key, loaded.error.message);
      tls = loaded.value;
    }
    // The agent's own counters (launches, ended tasks, limitations, fetches) on its server's /metrics.
    const metrics = new MetricsRegistry();
    registerAgentMetrics(metrics, () => undefined, () => [agent]);
    const http = await buildHttpServer({
      logger,
      tls,
      metrics,
      routes: [agentHostRoutes({ agent: () => agent, clusterSecret: () => cfg.clusterSecret, sessionId: () => client?.sessionId })],
      info: { version: 'agent' },
    });
    await http.listen({ host: cfg.host, port: cfg.port });
    stack.push('http', () => http.close());
    const address = http.server.address();
    const port = typeof address === 'object' && address ? address.port : cfg.port;
    const advertised = cfg.advertiseHost ?? (WILDCARD.has(cfg.host) ? osHostname() : cfg.host);
    const url = `${tls ? 'https' : 'http'}://${advertised.includes(':') ? `[${advertised}]` : advertised}:${port}`;

    client = new HttpMasterClient({ masterUrl: masterUrls, agentUrl: url, clusterSecret: cfg.clusterSecret, clock, logger, registerRetry: cfg.registerRetry });
    const masterClient = client;
    stack.push('master client', () => masterClient.stop());
    client.setReregister(() => agent.reregister());
    log.info({ masters: masterUrls, url }, 'registering with the master');
    let agentId: string;
    try {
      ({ agentId } = await agent.start(client));
    } catch (e) {
      await agent.stop({ killTasks: false });
      throw e;
    }
    // Unwound in reverse: stop the agent (its last updates go out), give them time to reach the master, then close.
    stack.push('last status updates', () => masterClient.flush());
    stack.push('agent', () => agent.stop({ killTasks: cfg.killTasksOnStop }));
    log.info({ agentId, url, master: masterClient.masterUrl, masters: masterUrls, tasks: agent.runningTasks() }, 'agent is up');
    return { agent, agentId, url, http, stop: () => stack.unwind() };
  } catch (e) {
    await stack.unwind();
    throw e;
  }
}

/**
 * Any replica answers: on a follower, every API request is forwarded to the leader (as Marathon's followers
 * proxy), so a load balancer can point at all replicas. A streaming proxy on node:http — bodies are piped both
 * ways, so SSE (`/v1/events`) and large uploads pass through as they come.
 *
 *   follower ─ onRequest ─┬─ local: /ping /metrics /openapi.json /docs /v1/leader  → answered here
 *                         ├─ /api/v1/scheduler…  → 307 Location: <leader>… (Mesos: frameworks talk to the leader)
 *                         ├─ leader known        → proxied (x-orrery-forwarded-by: <this replica>)
 *                         └─ no leader known, or already forwarded once → 503 ORR_ERR_NOT_LEADER + Retry-After
 *
 * Agents use the proxy too: their register/heartbeat/updates reach the leader through any replica (the leader then
 * calls the agent at its own URL). The leader itself answers everything; the hook costs it one property read.
 */
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../core/logging/logger.ts';
import { ApiError, ERRORS } from './errors.ts';
import type { RouteModule } from './http-server.ts';
import { renderProblem, PROBLEM_MEDIA_TYPE } from './problem.ts';
import type { LeaderInfo } from './routes/cluster-routes.ts';

export const FORWARDED_BY_HEADER = 'x-orrery-forwarded-by';
/** Seconds a client should wait before retrying when no leader is known (a failover takes about a lease ttl). */
export const NOT_LEADER_RETRY_AFTER_S = 1;

const LOCAL = [/^\/ping(\?|$)/, /^\/metrics(\?|$)/, /^\/openapi\.json(\?|$)/, /^\/docs(\/|\?|$)/, /^\/v1\/leader(\?|$)/];
const REDIRECTED = /^\/api\/v1\/scheduler(\/|\?|$)/;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

export interface LeaderForwardingOptions {
  leadership: { readonly isLeader: boolean; readonly leader: LeaderInfo | undefined; refreshKnownLeader(): Promise<void> };
  selfId: string;
  logger: Logger;
}

export function leaderForwarding(opts: LeaderForwardingOptions): RouteModule {
  const log = opts.logger.child({ component: 'leader-forwarding' });
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return (app: FastifyInstance) => {
    // Proxied responses in flight (SSE streams never end by themselves): ended when the server closes.
    const inFlight = new Set<ServerResponse>();
    app.addHook('preClose', async () => {
      for (const res of inFlight) res.destroy();
    });
    app.addHook('onClose', async () => {
      agents.http.destroy();
      agents.https.destroy();
    });
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (opts.leadership.isLeader) return;
      const url = request.raw.url ?? '/';
      if (LOCAL.some((r) => r.test(url))) return;
      const leader = opts.leadership.leader;
      if (!leader || leader.id === opts.selfId || request.headers[FORWARDED_BY_HEADER] !== undefined) {
        reply.header('retry-after', String(NOT_LEADER_RETRY_AFTER_S));
        throw new ApiError(ERRORS.NOT_LEADER, leader ? 'this replica does not lead and the request was already forwarded once; retry' : 'no master leads at the moment (an election is under way); retry');
      }
      if (REDIRECTED.test(url)) {
        // Mesos answers scheduler calls on a non-leading master with 307 to the leader; clients follow it.
        return reply.code(307).header('location', new URL(url, leader.address).toString()).send();
      }
      proxy(request, reply, leader, opts, agents, log, inFlight);
      return reply;
    });
  };
}

function proxy(request: FastifyRequest, reply: FastifyReply, leader: LeaderInfo, opts: LeaderForwardingOptions, agents: { http: http.Agent; https: https.Agent }, log: Logger, inFlight: Set<ServerResponse>): void {
  reply.hijack();
  const target = new URL(leader.address);
  const req = request.raw;
  const res = reply.raw;
  inFlight.add(res);
  const headers: OutgoingHttpHeaders = withoutHopByHop(req.headers);
  headers.host = target.host;
  headers[FORWARDED_BY_HEADER] = opts.selfId;
  headers['x-forwarded-for'] = [req.headers['x-forwarded-for'], request.ip].filter(Boolean).join(', ');
  const secure = target.protocol === 'https:';
  const upstream = (secure ? https : http).request(
    { protocol: target.protocol, hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port, method: req.method, path: req.url, headers, agent: secure ? agents.https : agents.http },
    (upRes) => {
      // A stream ends when the leader goes away: close the client's connection with it, so that this replica's
      // own shutdown does not wait for a keep-alive connection the client may never close.
      if (String(upRes.headers['content-type'] ?? '').startsWith('text/event-stream')) res.shouldKeepAlive = false;
      res.writeHead(upRes.statusCode ?? 502, withoutHopByHop(upRes.headers));
      // SSE and other streams: send each chunk as it comes.
      res.flushHeaders();
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    },
  );
  upstream.on('error', (e) => {
    log.warn({ err: e, leader: leader.address, url: req.url }, 'forwarding to the leader failed');
    void opts.leadership.refreshKnownLeader();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const problem = renderProblem(ERRORS.NOT_LEADER, `the leader at ${leader.address} did not answer (${e.message}); retry`, req.url ?? '/');
    res.writeHead(503, { 'content-type': PROBLEM_MEDIA_TYPE, 'retry-after': String(NOT_LEADER_RETRY_AFTER_S) });
    res.end(JSON.stringify(problem));
  });
  // The client went away (a closed SSE stream): stop the upstream request as well.
  res.on('close', () => {
    inFlight.delete(res);
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function withoutHopByHop(h: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

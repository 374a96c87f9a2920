/**
 * `GET /v2/events`: the cluster event stream in Marathon's dialect (`status_update_event`, `deployment_success`,
 * `health_status_changed_event`, …) for existing Marathon tooling. Same stream, same guarantees as `/v1/events`
 * (ordered, resumable with Last-Event-ID, slow clients disconnected rather than silently skipped); Marathon's
 * `?event_type=` filter. Events that have no Marathon counterpart are not sent here.
 */
import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../server/http-server.ts';
import type { EventSource } from '../server/event-bus.ts';
import { streamEvents, trackOpenStreams } from '../server/routes/event-routes.ts';

export interface MarathonEventDeps {
  events(): EventSource;
}

type Data = Record<string, unknown>;

/** Our event → Marathon's (`eventType` + fields as in Marathon's docs/docs/event-bus.md). */
export function toMarathonEvent(type: string, raw: unknown, timestamp: string): { event: string; data: Data } | undefined {
  const d = (raw ?? {}) as Data;
  const base = (eventType: string, fields: Data) => ({ event: eventType, data: { eventType, timestamp, ...fields } });
  switch (type) {
    case 'app.task_status':
      return base('status_update_event', {
        slaveId: d.agentId,
        taskId: d.taskId,
        taskStatus: `TASK_${String(d.state)}`,
        appId: d.appId,
        host: d.hostname,
        ports: d.ports ?? [],
        version: d.version,
        message: d.message ?? '',
      });
    case 'instance.health_changed':
      return base('health_status_changed_event', { appId: d.appId, taskId: d.taskId, instanceId: d.taskId, version: d.version, alive: d.healthy === true });
    case 'instance.unhealthy_kill':
      return base('unhealthy_instance_kill_event', { appId: d.appId, taskId: d.taskId, instanceId: d.taskId, reason: d.reason, host: d.hostname });
    case 'app.created':
    case 'app.updated':
      return base('api_post_event', { uri: `/v2/apps${String(d.appId)}`, appDefinition: { id: d.appId, version: d.version } });
    case 'app.deleted':
      return base('app_terminated_event', { appId: d.appId });
    case 'deployment.started':
      return base('deployment_info', { plan: { id: d.deploymentId, version: d.version, affectedApps: [d.appId] }, currentStep: { step: d.step, totalSteps: d.totalSteps } });
    case 'deployment.step':
      return base('deployment_step_success', { plan: { id: d.deploymentId, version: d.version, affectedApps: [d.appId] }, currentStep: { step: d.step, totalSteps: d.totalSteps } });
    case 'deployment.succeeded':
      return base('deployment_success', { id: d.deploymentId, plan: { id: d.deploymentId, version: d.version, affectedApps: [d.appId] } });
    case 'deployment.failed':
    case 'deployment.cancelled':
      return base('deployment_failed', { id: d.deploymentId, reason: d.reason ?? type, plan: { id: d.deploymentId, version: d.version, affectedApps: [d.appId] } });
    default:
      return undefined;
  }
}

/** Stream ids start with the append time in ms: the event's timestamp when it carries none of its own. */
function timeOf(streamData: unknown): string {
  const ts = (streamData as Data | null)?.timestamp;
  return typeof ts === 'string' ? ts : new Date().toISOString();
}

export function marathonEventRoutes(deps: MarathonEventDeps): RouteModule {
  return (app: FastifyInstance) => {
    const open = trackOpenStreams(app);
    app.get<{ Querystring: { event_type?: string[] }; Headers: { 'last-event-id'?: string } }>('/v2/events', {
      config: { access: 'viewer' },
      schema: {
        operationId: 'marathonEvents',
        tags: ['marathon'],
        summary: "Marathon-compatible event stream (SSE) with Marathon's event types",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            event_type: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100 }, description: 'Only these Marathon event types (repeatable)' },
            'plan-format': { type: 'string', enum: ['light', 'full'], description: 'Accepted for compatibility; plans are always light' },
          },
        },
        headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: '^\\d+-\\d+$' } } },
        response: { 200: { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
      handler: async (req, reply) => {
        const wanted = new Set(req.query.event_type ?? []);
        const pick = (e: { event: string; data: Data } | undefined) => (e && (wanted.size === 0 || wanted.has(e.event)) ? e : undefined);
        const now = new Date().toISOString();
        await streamEvents(req, reply, deps.events(), open, {
          resumeFrom: req.headers['last-event-id'],
          greeting: wanted.size === 0 || wanted.has('event_stream_attached') ? { event: 'event_stream_attached', data: { eventType: 'event_stream_attached', remoteAddress: req.ip, timestamp: now } } : undefined,
          map: (type, data) => pick(toMarathonEvent(type, data, timeOf(data))),
        });
      },
    });
  };
}

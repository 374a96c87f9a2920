/**
 * `POST /api/v1/scheduler`: the framework API over HTTP, after the Mesos v1 scheduler API in JSON.
 *
 *   SUBSCRIBE ──▶ 200, chunked, header Mesos-Stream-Id ──▶ RecordIO events: SUBSCRIBED, OFFERS, RESCIND, UPDATE,
 *                                                          HEARTBEAT, FAILURE, ERROR (then the stream ends)
 *   ACCEPT | DECLINE | KILL | ACKNOWLEDGE | RECONCILE | REVIVE | SUPPRESS | TEARDOWN
 *            (another connection, header Mesos-Stream-Id) ──▶ 202, or problem+json naming the field
 *
 * The wire dialect lives in core/sdk/scheduler-json.ts; the master (MasterEndpoint) applies everything and owns
 * failover: a dropped stream starts the framework's failover timeout, a SUBSCRIBE with its id within it gets the
 * framework back with every unacknowledged update re-sent.
 *
 * Authentication is this module's own (framework credentials, HTTP Basic), separate from API tokens: with
 * credentials configured every call must carry them, and a framework is bound to the principal that registered it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Master } from '../../../core/master/master.ts';
import type { Result } from '../../../core/errors/result.ts';
import type { CallError } from '../../../core/sdk/protocol.ts';
import { callFromWire, frameworkInfoFromWire, wireFieldOf } from '../../../core/sdk/scheduler-json.ts';
import { ApiError, defineErrors, ERRORS, type ErrorSpec } from '../errors.ts';
import type { RouteModule } from '../http-server.ts';
import { problemResponse, renderProblem, type Problem } from '../problem.ts';
import type { FrameworkAuthenticator } from './scheduler-credentials.ts';
import { mesosIdSchema, mesosResourceSchema, mesosTaskInfoSchema, schedulerCallSchema, schedulerEventSchema } from './scheduler-schemas.ts';
import { SchedulerStream } from './scheduler-stream.ts';

export interface SchedulerDeps {
  master(): Master;
  /** Undefined: no framework credentials configured, frameworks subscribe without any (loopback use). */
  frameworkAuth(): FrameworkAuthenticator | undefined;
  /** How often each stream sends HEARTBEAT; default 15 s (Mesos' `DEFAULT_HEARTBEAT_INTERVAL`). */
  schedulerHeartbeatMs?(): number;
}

export const SCHEDULER_ERRORS = defineErrors('scheduler', {
  STREAM_ID_REQUIRED: { code: 'ORR_ERR_SCHEDULER_STREAM_ID_REQUIRED', status: 400, title: 'Mesos-Stream-Id header required (and forbidden on SUBSCRIBE)', retryable: false },
  NOT_SUBSCRIBED: { code: 'ORR_ERR_SCHEDULER_NOT_SUBSCRIBED', status: 403, title: 'Framework not subscribed on this stream', retryable: false },
  CREDENTIALS_REFUSED: { code: 'ORR_ERR_SCHEDULER_CREDENTIALS_REFUSED', status: 401, title: 'Framework credentials missing or refused', retryable: false },
  PRINCIPAL_MISMATCH: { code: 'ORR_ERR_SCHEDULER_PRINCIPAL_MISMATCH', status: 403, title: 'Framework belongs to another principal', retryable: false },
  UPDATE_NOT_FOUND: { code: 'ORR_ERR_SCHEDULER_UPDATE_NOT_FOUND', status: 404, title: 'No status update with this uuid awaits acknowledgement', retryable: false },
});

/** The master's refusal codes → the catalogue. Anything else the master refuses is the caller's input: 400. */
const BY_CALL_CODE: Readonly<Record<string, ErrorSpec>> = {
  FRAMEWORK_NOT_FOUND: ERRORS.FRAMEWORK_NOT_FOUND,
  FRAMEWORK_NOT_SUBSCRIBED: SCHEDULER_ERRORS.NOT_SUBSCRIBED,
  OFFER_NOT_FOUND: ERRORS.OFFER_NOT_FOUND,
  TASK_NOT_FOUND: ERRORS.TASK_NOT_FOUND,
  TASK_ID_IN_USE: ERRORS.CONFLICT,
  RESOURCES_INSUFFICIENT: ERRORS.RESOURCES_UNSATISFIABLE,
  UPDATE_NOT_FOUND: SCHEDULER_ERRORS.UPDATE_NOT_FOUND,
};

const STREAM_HEADER = 'mesos-stream-id';
type BatchResult = { status: number; problem?: Problem };
const ACCEPTED: BatchResult = Object.freeze({ status: 202 });
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

function refusal(e: CallError, callType: string, fieldPrefix = 'body'): ApiError {
  const spec = Object.hasOwn(BY_CALL_CODE, e.code) ? BY_CALL_CODE[e.code] : ERRORS.VALIDATION;
  const field = e.field === undefined ? undefined : e.field === 'streamId' ? `headers.${STREAM_HEADER}` : `${fieldPrefix}.${wireFieldOf(callType, e.field)}`;
  return new ApiError(spec, e.message, { fields: field === undefined ? undefined : [{ field, message: e.message }], cause: e });
}

interface CallBody {
  type: string;
  framework_id?: { value: string };
  subscribe?: { framework_info: unknown };
}

export function schedulerRoutes(deps: SchedulerDeps): RouteModule {
  return (app: FastifyInstance) => {
    for (const s of [mesosIdSchema, mesosResourceSchema, mesosTaskInfoSchema, schedulerCallSchema, schedulerEventSchema]) app.addSchema(s);
    const open = new Set<SchedulerStream>();
    let shuttingDown = false;
    // Streams end without an ERROR, so frameworks re-subscribe (to the next leader). The master is stopping, not
    // the frameworks leaving: their failover timeouts must not start (a timeout of 0 would kill their tasks).
    app.addHook('preClose', async () => {
      shuttingDown = true;
      for (const s of open) s.end();
    });

    /** The authenticated principal (undefined when no credentials are configured); 401 otherwise. */
    const authenticate = (req: FastifyRequest, reply: FastifyReply): string | undefined => {
      const auth = deps.frameworkAuth();
      if (!auth) return undefined;
      const outcome = auth.check(req.headers.authorization);
      if (outcome.ok) return outcome.principal;
      req.log.warn({ principal: outcome.principal, reason: outcome.reason, remote: req.ip }, 'framework authentication refused');
      reply.header('www-authenticate', 'Basic realm="orrery-scheduler"');
      throw new ApiError(SCHEDULER_ERRORS.CREDENTIALS_REFUSED, `framework authentication failed: ${outcome.reason}`, { fields: [{ field: 'headers.authorization', message: outcome.reason }] });
    };

    /**
     * With credentials, a framework stays with the principal that registered it; one registered without a principal
     * (the built-in frameworks in the master's process) is nobody's to take over.
     */
    const checkPrincipal = (principal: string | undefined, frameworkId: string): void => {
      if (principal === undefined) return;
      const fw = deps.master().frameworks.get(frameworkId);
      if (fw && fw.info.principal !== principal) {
        throw new ApiError(SCHEDULER_ERRORS.PRINCIPAL_MISMATCH, `framework ${frameworkId} is registered by another principal`, { fields: [{ field: 'headers.authorization', message: 'principal does not own this framework' }] });
      }
    };

    const subscribe = async (req: FastifyRequest<{ Body: CallBody }>, reply: FastifyReply, principal: string | undefined): Promise<void> => {
      if (req.headers[STREAM_HEADER] !== undefined) {
        throw new ApiError(SCHEDULER_ERRORS.STREAM_ID_REQUIRED, 'SUBSCRIBE must not carry Mesos-Stream-Id: it opens a new stream', { fields: [{ field: `headers.${STREAM_HEADER}`, message: 'must be absent on SUBSCRIBE' }] });
      }
      const decoded = frameworkInfoFromWire(req.body.subscribe?.framework_info);
      if (!decoded.ok) throw refusal(decoded.error, 'SUBSCRIBE');
      const info = decoded.value;
      if (principal !== undefined) {
        if (info.principal !== undefined && info.principal !== principal) {
          throw new ApiError(SCHEDULER_ERRORS.PRINCIPAL_MISMATCH, 'framework_info.principal differs from the authenticated principal', { fields: [{ field: 'body.subscribe.framework_info.principal', message: 'must be the authenticated principal' }] });
        }
        info.principal = principal;
        if (info.id !== undefined) checkPrincipal(principal, info.id);
      }
      const master = deps.master();
      const stream = new SchedulerStream({ heartbeatIntervalMs: deps.schedulerHeartbeatMs?.() ?? 15_000, maxBufferedBytes: MAX_BUFFERED_BYTES, log: req.log });
      const result = await master.subscribe(info, stream);
      if (!result.ok) throw refusal(result.error, 'SUBSCRIBE');
      const { frameworkId, streamId } = result.value;
      const log = req.log.child({ framework: frameworkId });
      reply.hijack();
      const raw = reply.raw;
      open.add(stream);
      const gone = (): void => {
        open.delete(stream);
        stream.end();
        // Only the current stream may end the subscription: the master ignores a replaced one.
        if (!shuttingDown) master.disconnect(frameworkId, streamId);
        log.info({ streamId }, 'framework event stream closed');
      };
      // Not req.raw.destroyed: a request whose body was read is destroyed by then. The socket tells whether the client left.
      if (raw.destroyed || req.raw.socket.destroyed) {
        gone();
        return;
      }
      raw.on('close', gone);
      stream.open(raw, streamId);
      log.info({ streamId, principal, name: info.name }, 'framework event stream opened');
    };

    const streamIdOf = (req: FastifyRequest, callType: string): string => {
      const streamId = req.headers[STREAM_HEADER];
      if (typeof streamId !== 'string' || streamId === '') {
        throw new ApiError(SCHEDULER_ERRORS.STREAM_ID_REQUIRED, `${callType} needs the Mesos-Stream-Id of the current subscription`, { fields: [{ field: `headers.${STREAM_HEADER}`, message: 'is required' }] });
      }
      return streamId;
    };

    /** One call other than SUBSCRIBE, applied by the master; throws the refusal. */
    const apply = async (body: CallBody, streamId: string, principal: string | undefined, fieldPrefix = 'body'): Promise<void> => {
      const decoded = callFromWire(body);
      if (!decoded.ok) throw refusal(decoded.error, body.type, fieldPrefix);
      const { frameworkId, call } = decoded.value;
      checkPrincipal(principal, frameworkId);
      const r = await deps.master().call(frameworkId, streamId, call);
      if (!r.ok) throw refusal(r.error, call.type, fieldPrefix);
    };

    app.post<{ Body: CallBody }>('/api/v1/scheduler', {
      // Frameworks authenticate with their principal and secret (scheduler-credentials.ts), not with API tokens.
      config: { access: 'public' },
      schema: {
        operationId: 'schedulerCall',
        tags: ['frameworks'],
        summary: 'Framework API (Mesos v1 scheduler API in JSON): SUBSCRIBE opens the event stream; other calls answer 202',
        description:
          'SUBSCRIBE answers 200 with a never-ending `application/json` body in RecordIO framing: each record is `<byte length>\\n<SchedulerEvent JSON>`, ' +
          'and the `Mesos-Stream-Id` response header names the stream. The first record is SUBSCRIBED; HEARTBEAT follows every ' +
          '`heartbeat_interval_seconds`; an ERROR record precedes a stream the master ends on purpose (torn down, replaced by a newer SUBSCRIBE, removed). ' +
          'Every other call goes on another connection with the `Mesos-Stream-Id` of the current stream and `framework_id`, and answers 202 once applied. ' +
          'A framework whose stream drops keeps its tasks for `failover_timeout` seconds; SUBSCRIBE with `framework_info.id` within it resumes, and every ' +
          'status update not yet acknowledged is sent again. When framework credentials are configured, every call carries ' +
          '`Authorization: Basic base64(principal:secret)`.',
        headers: {
          type: 'object',
          properties: {
            [STREAM_HEADER]: { type: 'string', maxLength: 128, description: 'The stream id from the SUBSCRIBE response; required on every call but SUBSCRIBE' },
            authorization: { type: 'string', maxLength: 4096, description: 'Basic principal:secret, when framework credentials are configured' },
          },
        },
        body: { $ref: 'SchedulerCall#' },
        response: {
          200: {
            description: 'SUBSCRIBE: the event stream, RecordIO-framed SchedulerEvent records (chunked, never ends while subscribed)',
            headers: { 'Mesos-Stream-Id': { type: 'string', description: 'Send it with every later call' } },
            content: { 'application/json': { schema: { type: 'string', description: 'RecordIO: `<length>\\n<SchedulerEvent>` repeated', contentSchema: { $ref: 'SchedulerEvent#' } } } },
          },
          202: { description: 'The call was applied (its effects arrive as events)', type: 'null' },
          401: problemResponse('Framework credentials missing or refused'),
          403: problemResponse('Not subscribed on this stream, or the framework belongs to another principal'),
          404: problemResponse('Unknown framework, offer (rescinded, already used, another framework\'s), task, or update uuid'),
          409: problemResponse('Task id already in use'),
          422: problemResponse('The launches do not fit in the offers'),
        },
      },
      handler: async (req, reply) => {
        const principal = authenticate(req, reply);
        if (req.body.type === 'SUBSCRIBE') return subscribe(req, reply, principal);
        await apply(req.body, streamIdOf(req, req.body.type), principal);
        return reply.code(202).send();
      },
    });

    app.post<{ Body: { calls: CallBody[] } }>('/api/v1/scheduler/batch', {
      // Frameworks authenticate with their principal and secret (scheduler-credentials.ts), not with API tokens.
      config: { access: 'public' },
      schema: {
        operationId: 'schedulerCallBatch',
        tags: ['frameworks'],
        summary: 'Orrery extension: several scheduler calls of one subscription in one request, applied in order',
        description:
          'The same calls as `POST /api/v1/scheduler` (not SUBSCRIBE), with the same `Mesos-Stream-Id` and credentials, in one request: the HTTP transport ' +
          'sends the calls a framework makes in one moment (typically many ACKNOWLEDGEs) together. Each call is applied as if sent alone; ' +
          '`results[i]` is `{"status": 202}` or the problem document call i would have had.',
        headers: {
          type: 'object',
          required: [STREAM_HEADER],
          properties: {
            [STREAM_HEADER]: { type: 'string', minLength: 1, maxLength: 128, description: 'The stream id from the SUBSCRIBE response' },
            authorization: { type: 'string', maxLength: 4096, description: 'Basic principal:secret, when framework credentials are configured' },
          },
        },
        body: { type: 'object', required: ['calls'], additionalProperties: false, properties: { calls: { type: 'array', minItems: 1, maxItems: 10000, items: { $ref: 'SchedulerCall#' } } } },
        response: {
          200: {
            description: 'One result per call, in order',
            type: 'object',
            required: ['results'],
            properties: { results: { type: 'array', items: { type: 'object', required: ['status'], properties: { status: { type: 'integer' }, problem: { $ref: 'Problem#' } } } } },
          },
          401: problemResponse('Framework credentials missing or refused'),
        },
      },
      handler: async (req, reply) => {
        const principal = authenticate(req, reply);
        const streamId = streamIdOf(req, 'batch');
        const calls = req.body.calls;
        const failed = (e: unknown): BatchResult => {
          if (!(e instanceof ApiError)) throw e;
          return { status: e.status, problem: renderProblem(e.spec, e.detail, req.url, e.fields) };
        };
        // All started at once, in order: the master applies each call's checks in the order it is called, and
        // launches then wait for Redis together instead of one after another. A batch is mostly ACKNOWLEDGEs,
        // hundreds of them: each is decoded and handed to the master here, with no async wrapper of its own,
        // and the field prefix of a refusal is only written for a call that is refused.
        const started = calls.map((call, i): Promise<Result<void, CallError>> | BatchResult => {
          try {
            if (call.type === 'SUBSCRIBE') throw new ApiError(ERRORS.VALIDATION, 'SUBSCRIBE cannot be batched', { fields: [{ field: `body.calls[${i}].type`, message: 'SUBSCRIBE opens a stream of its own' }] });
            const decoded = callFromWire(call);
            if (!decoded.ok) throw refusal(decoded.error, call.type, `body.calls[${i}]`);
            checkPrincipal(principal, decoded.value.frameworkId);
            return deps.master().call(decoded.value.frameworkId, streamId, decoded.value.call);
          } catch (e) {
            return failed(e);
          }
        });
        const settled = await Promise.all(started);
        const results = settled.map((r, i): BatchResult => {
          if (!('ok' in r)) return r;
          return r.ok ? ACCEPTED : failed(refusal(r.error, calls[i].type, `body.calls[${i}]`));
        });
        return reply.code(200).send({ results });
      },
    });
  };
}

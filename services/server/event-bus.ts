/**
 * The cluster's event stream as the services see it: `publish` appends to the Redis stream (fire and forget,
 * in call order, failures logged), `read` serves the SSE endpoint. Services depend only on the small `EventSink`
 * shape, never on Redis.
 */
import type { Logger } from '../../core/logging/logger.ts';
import type { RedisEventStream, StreamEvent } from '../../core/coordination/event-stream.ts';

export interface EventSink {
  publish(type: string, data: Record<string, unknown>): void;
}

export interface EventSource {
  read(afterId: string, opts: { count?: number; blockMs?: number }): Promise<StreamEvent[]>;
  latestId(): Promise<string>;
  oldestId(): Promise<string>;
}

export class EventBus implements EventSink, EventSource {
  private readonly log: Logger;
  private failures = 0;

  constructor(
    private readonly stream: RedisEventStream,
    logger: Logger,
  ) {
    this.log = logger.child({ component: 'event-bus' });
  }

  publish(type: string, data: Record<string, unknown>): void {
    this.stream.append(type, data).then(
      () => {
        if (this.failures > 0) {
          this.log.info({ lost: this.failures }, 'event stream writable again');
          this.failures = 0;
        }
      },
      (e: unknown) => {
        // Events are notifications; the state they describe is in the registry, so a lost event is logged, not fatal.
        if (this.failures++ === 0) this.log.warn({ err: e, type }, 'event not appended to the stream');
      },
    );
  }

  read(afterId: string, opts: { count?: number; blockMs?: number }): Promise<StreamEvent[]> {
    return this.stream.read(afterId, opts);
  }

  latestId(): Promise<string> {
    return this.stream.latestId();
  }

  oldestId(): Promise<string> {
    return this.stream.oldestId();
  }

  close(): Promise<void> {
    return this.stream.close();
  }
}

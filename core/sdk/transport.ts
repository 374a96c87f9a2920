import type { Result } from '../errors/result.ts';
import type { Call, CallError, Event, FrameworkInfo } from './protocol.ts';

/**
 * How a driver reaches a master: in the same process, or over HTTP. Events arrive in order through `onEvent`;
 * `onClose` says the subscription ended (the driver decides whether to re-subscribe).
 */
export interface Transport {
  subscribe(
    info: FrameworkInfo,
    onEvent: (event: Event) => void,
    onClose: (reason: string) => void,
  ): Promise<Result<{ frameworkId: string; streamId: string }, CallError>>;
  call(frameworkId: string, streamId: string, call: Call): Promise<Result<void, CallError>>;
  /** Ends the subscription without tearing the framework down (its failover timeout starts). */
  close(): void;
}

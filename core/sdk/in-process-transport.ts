import type { Result } from '../errors/result.ts';
import type { Call, CallError, Event, FrameworkInfo, MasterEndpoint } from './protocol.ts';
import type { Transport } from './transport.ts';

/**
 * A transport to a master in the same process. Events are handed over on a later microtask, never inside the
 * master's own call stack, so a framework that calls back from an event handler cannot re-enter the master.
 */
export class InProcessTransport implements Transport {
  private session?: { frameworkId: string; streamId: string };

  constructor(private readonly master: MasterEndpoint) {}

  async subscribe(info: FrameworkInfo, onEvent: (event: Event) => void, onClose: (reason: string) => void): Promise<Result<{ frameworkId: string; streamId: string }, CallError>> {
    let open = true;
    const result = await this.master.subscribe(info, {
      send: (event) => {
        if (open) queueMicrotask(() => open && onEvent(event));
      },
      close: (reason) => {
        if (!open) return;
        open = false;
        queueMicrotask(() => onClose(reason));
      },
    });
    if (result.ok) this.session = result.value;
    return result;
  }

  call(frameworkId: string, streamId: string, call: Call): Promise<Result<void, CallError>> {
    return this.master.call(frameworkId, streamId, call);
  }

  close(): void {
    if (!this.session) return;
    this.master.disconnect(this.session.frameworkId, this.session.streamId);
    this.session = undefined;
  }
}

/** The text/event-stream wire format, parsed incrementally; pure (no I/O), so it is unit-tested on its own. */

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
}

/** The text/event-stream format (WHATWG HTML §9.2.6), fed in arbitrary chunks. */
export class SseParser {
  private buffer = '';
  private frame: SseFrame = {};

  constructor(private readonly emit: (frame: SseFrame) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    // A CR at the very end may be the first half of a CRLF split across chunks: keep it for the next one.
    const cut = this.buffer.endsWith('\r') ? this.buffer.length - 1 : this.buffer.length;
    const lines = this.buffer.slice(0, cut).split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? '') + this.buffer.slice(cut);
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === '') {
      const f = this.frame;
      this.frame = {};
      if (f.data !== undefined || f.retry !== undefined || f.id !== undefined) this.emit(f);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.frame.data = this.frame.data === undefined ? value : `${this.frame.data}\n${value}`;
    else if (field === 'event') this.frame.event = value;
    else if (field === 'id') this.frame.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.frame.retry = Number(value);
  }
}

import { describe, expect, it } from 'vitest';
import { SseParser, type SseFrame } from './sse-parser.ts';

function parse(chunks: string[]): SseFrame[] {
  const frames: SseFrame[] = [];
  const p = new SseParser((f) => frames.push(f));
  for (const c of chunks) p.push(c);
  return frames;
}

const STREAM = 'retry: 2000\n\n: keepalive\n\nid: 1-0\nevent: task.status\ndata: {"a":1}\n\nid: 2-0\nevent: job.created\ndata: line1\ndata: line2\n\n';

describe('SseParser', () => {
  it('parses retry hints, skips comments, joins multi-line data and keeps ids and types', () => {
    expect(parse([STREAM])).toEqual([
      { retry: 2000 },
      { id: '1-0', event: 'task.status', data: '{"a":1}' },
      { id: '2-0', event: 'job.created', data: 'line1\nline2' },
    ]);
  });

  it('gives the same frames whatever the chunking, CRLF split across chunks included', () => {
    const whole = parse([STREAM]);
    for (let i = 1; i < STREAM.length; i++) expect(parse([STREAM.slice(0, i), STREAM.slice(i)])).toEqual(whole);
    const crlf = STREAM.replace(/\n/g, '\r\n');
    for (let i = 1; i < crlf.length; i++) expect(parse([crlf.slice(0, i), crlf.slice(i)])).toEqual(whole);
  });

  it('holds back an unfinished frame until its blank line arrives', () => {
    const frames: SseFrame[] = [];
    const p = new SseParser((f) => frames.push(f));
    p.push('id: 3-0\nevent: x\ndata: {}\n');
    expect(frames).toEqual([]);
    p.push('\n');
    expect(frames).toEqual([{ id: '3-0', event: 'x', data: '{}' }]);
  });
});

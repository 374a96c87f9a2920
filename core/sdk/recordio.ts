/**
 * RecordIO, the framing of Mesos' event streams (`mesos:docs/recordio.md`): each record is its byte length in
 * decimal, a line feed, then that many bytes. Proxies may re-chunk the stream, so the reader parses by length,
 * never by chunk.
 */

/** One record: `<byte length>\n<data>`. */
export function recordioFrame(data: string): string {
  return `${Buffer.byteLength(data, 'utf8')}\n${data}`;
}

/** Incremental reader: feed it chunks as they come; it hands out each complete record once. */
export class RecordIoReader {
  private buffered: Buffer[] = [];
  private size = 0;

  /** @param maxRecordBytes a length header above this is a broken stream (the caller drops the connection). */
  constructor(private readonly maxRecordBytes = 64 * 1024 * 1024) {}

  /** Returns the records completed by this chunk; throws on a malformed length header. */
  push(chunk: Buffer): string[] {
    this.buffered.push(chunk);
    this.size += chunk.length;
    let buf = this.buffered.length === 1 ? this.buffered[0] : Buffer.concat(this.buffered, this.size);
    const out: string[] = [];
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (buf.length > 20) throw new Error('recordio: length header too long');
        break;
      }
      const header = buf.toString('latin1', 0, nl);
      if (!/^\d{1,20}$/.test(header)) throw new Error(`recordio: bad length header '${header.slice(0, 20)}'`);
      const len = Number(header);
      if (len > this.maxRecordBytes) throw new Error(`recordio: record of ${len} bytes exceeds ${this.maxRecordBytes}`);
      if (buf.length < nl + 1 + len) break;
      out.push(buf.toString('utf8', nl + 1, nl + 1 + len));
      buf = buf.subarray(nl + 1 + len);
    }
    this.buffered = buf.length ? [buf] : [];
    this.size = buf.length;
    return out;
  }
}

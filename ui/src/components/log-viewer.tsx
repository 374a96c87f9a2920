/**
 * A task's stdout/stderr from its sandbox (`GET <base>/stdout?offset&length`). Opens at the last 64 KiB;
 * "follow" polls from the last offset every second while the task is active, and reads to the end once
 * more when it ends. Keeps at most MAX_CHARS on screen (older text is dropped and counted).
 *
 *   size probe (length 0) ─► offset = max(0, size − TAIL) ─► read CHUNK … until caught up ─► (follow & active) wait 1 s ─┐
 *                                                               ▲─────────────────────────────────────────────────────────┘
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem, get, withQuery } from '../api/http.ts';
import type { FileChunk } from '../api/types.ts';
import { fmtBytes } from '../format.ts';

const TAIL = 64 * 1024;
const CHUNK = 256 * 1024;
const MAX_CHARS = 1024 * 1024;
const POLL_MS = 1000;

type FileName = 'stdout' | 'stderr';

interface LogState {
  key: string;
  offset: number;
  text: string;
  /** Bytes before the shown text that are not shown (not read, or dropped). */
  hidden: number;
  size: number;
}

export function LogViewer({ base, active, label }: { base: string; active: boolean; label?: string }) {
  const [file, setFile] = useState<FileName>('stdout');
  const [follow, setFollow] = useState(true);
  const [view, setView] = useState<LogState>({ key: '', offset: 0, text: '', hidden: 0, size: 0 });
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState(false);
  const [restart, setRestart] = useState(0);
  const stateRef = useRef<LogState>(view);
  const preRef = useRef<HTMLPreElement>(null);
  const key = `${base}/${file}`;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (stateRef.current.key !== key) {
      stateRef.current = { key, offset: -1, text: '', hidden: 0, size: 0 };
      setView(stateRef.current);
    }
    const url = `${base}/${file}`;

    const pull = async (): Promise<void> => {
      setReading(true);
      try {
        let s = stateRef.current;
        if (s.offset < 0) {
          const probe = await get<FileChunk>(withQuery(url, { offset: 0, length: 0 }));
          const start = Math.max(0, probe.size - TAIL);
          s = { ...s, offset: start, hidden: start, size: probe.size };
        }
        for (;;) {
          const chunk = await get<FileChunk>(withQuery(url, { offset: s.offset, length: CHUNK }));
          if (cancelled) return;
          const next = Math.min(s.offset + CHUNK, chunk.size);
          let text = s.text + chunk.data;
          let hidden = s.hidden;
          if (text.length > MAX_CHARS) {
            const drop = text.length - MAX_CHARS;
            hidden += new TextEncoder().encode(text.slice(0, drop)).length;
            text = text.slice(drop);
          }
          s = { key, offset: Math.max(s.offset, next), text, hidden, size: chunk.size };
          stateRef.current = s;
          setView(s);
          setError(undefined);
          if (s.offset >= chunk.size) break;
        }
      } catch (e) {
        if (!cancelled) setError(e instanceof ApiProblem ? e.detail : String(e));
      } finally {
        if (!cancelled) setReading(false);
      }
      if (!cancelled && follow && active) timer = setTimeout(() => void pull(), POLL_MS);
    };
    void pull();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [key, base, file, follow, active, restart]);

  useLayoutEffect(() => {
    const pre = preRef.current;
    if (pre && follow) pre.scrollTop = pre.scrollHeight;
  }, [view.text, follow]);

  const loadAll = (): void => {
    stateRef.current = { key, offset: 0, text: '', hidden: 0, size: 0 };
    setView(stateRef.current);
    setRestart((n) => n + 1);
  };

  return (
    <section class="logs" aria-label={label ?? 'Output'}>
      <div class="logs-bar">
        <div class="seg" role="group" aria-label="File">
          {(['stdout', 'stderr'] as const).map((f) => (
            <button key={f} type="button" class="btn btn-seg" aria-pressed={file === f} onClick={() => setFile(f)}>
              {f}
            </button>
          ))}
        </div>
        <label class="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} /> Follow
        </label>
        <span class="muted" aria-live="polite">
          {fmtBytes(view.size)}
          {follow && active ? ' · following' : ''}
          {reading ? ' · reading…' : ''}
        </span>
      </div>
      {view.hidden > 0 && (
        <p class="muted logs-hidden">
          {fmtBytes(view.hidden)} earlier not shown.{' '}
          {view.size <= MAX_CHARS && (
            <button type="button" class="btn btn-link" onClick={loadAll}>
              Show all
            </button>
          )}
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <pre ref={preRef} class="log" tabIndex={0} aria-label={`${file} of the task`} data-file={file}>
        {view.text || <span class="muted">{view.offset < 0 || reading ? 'Reading…' : `(${file} is empty)`}</span>}
      </pre>
    </section>
  );
}

/** Human output of the client commands: aligned tables, ages, durations, resources. Pure. */

export interface Column<T> {
  header: string;
  value(row: T): string | number | boolean | undefined | null;
  /** Right-align (numbers). */
  right?: boolean;
}

/** An aligned table with an upper-case header; `none` when there are no rows. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], none = 'No results.'): string {
  if (rows.length === 0) return `${none}\n`;
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i].right ? v.padStart(widths[i]) : i === values.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n') + '\n';
}

function cell(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null || v === '') return '-';
  return String(v).replace(/\s*\n\s*/g, ' ');
}

/** `key: value` lines, aligned, for one object (`get` commands). */
export function details(pairs: ReadonlyArray<[string, string | number | boolean | undefined | null]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${cell(v)}`).join('\n') + '\n';
}

/** `3s`, `5m`, `2h`, `4d` since an ISO time (`-` when absent). */
export function age(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '-';
  return duration(now - Date.parse(iso));
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return `${Math.round(ms)}ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${Math.floor(s % 60) ? `${Math.floor(s % 60)}s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ''}`;
  return `${Math.floor(s / 86400)}d`;
}

export interface ResourcesView {
  scalars: Record<string, number>;
  ranges: Record<string, Array<[number, number]>>;
  sets: Record<string, string[]>;
}

/** `cpus:2 mem:1024` and ranges as `ports:[31000-31100]`. */
export function resources(r: ResourcesView | undefined): string {
  if (!r) return '-';
  const parts = [
    ...Object.entries(r.scalars).map(([k, v]) => `${k}:${Math.round(v * 1000) / 1000}`),
    ...Object.entries(r.ranges).map(([k, v]) => `${k}:[${v.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}]`),
    ...Object.entries(r.sets).map(([k, v]) => `${k}:{${v.join(',')}}`),
  ];
  return parts.join(' ') || '-';
}

/** `1.5/4` of one scalar, used/total. */
export function usedOf(used: ResourcesView | undefined, total: ResourcesView | undefined, name: string): string {
  const t = total?.scalars[name];
  if (t === undefined) return '-';
  const u = used?.scalars[name] ?? 0;
  return `${Math.round(u * 1000) / 1000}/${Math.round(t * 1000) / 1000}`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

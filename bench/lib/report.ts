import os from 'node:os';

/**
 * Output helpers shared by the benchmarks: a one-line description of the machine (results are
 * meaningless without it) and aligned text tables. This is CLI output, so it writes to stdout directly.
 */

/** CPU model, cores, memory, load, Node version, OS and kernel. */
export function machineInfo(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown cpu';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${model} × ${cpus.length} cores, ${memGiB} GiB RAM, load ${load}, Node ${process.version}, ${os.type()} ${os.release()} ${os.arch()}`;
}

/**
 * The p-th percentile (0–100) with linear interpolation between closest ranks; the input is not modified
 * and need not be sorted. NaN for an empty list.
 */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Columns in order of first appearance; numbers right-aligned, text left-aligned; missing cells blank. */
export function printTable(title: string, rows: Array<Record<string, string | number>>): void {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (v: string | number | undefined): string => (v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [
    title,
    line(columns, columns.map(() => false)),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => line(columns.map((c) => cell(r[c])), columns.map((c) => typeof r[c] === 'number'))),
  ];
  process.stdout.write(`${out.join('\n')}\n\n`);
}

/**
 * The layer rules of DESIGN.md and STYLE.md, checked on the import statements of the source tree:
 * services use the core only through core/sdk (plus the clock, logging and result helpers), jobs and apps never
 * import each other, the pure modules do no I/O, Redis and BullMQ stay in their places, and there is no import
 * cycle (type-only imports aside, which vanish at run time).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Import {
  from: string;
  spec: string;
  /** Resolved project-relative path for relative imports. */
  target?: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4];
    const imp: Import = { from: file, spec, typeOnly: Boolean(m[2]) };
    if (spec.startsWith('.')) imp.target = path.normalize(path.join(path.dirname(file), spec));
    out.push(imp);
  }
  return out;
}

const files = [...sourceFiles('core'), ...sourceFiles('services')];
const imports = files.flatMap(importsOf);
const under = (p: string | undefined, dir: string): boolean => p !== undefined && (p === dir || p.startsWith(`${dir}/`));

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it('services reach the core only through core/sdk (and the clock, logging and result helpers, and the fenced transactions of their stores)', () => {
    // The stores of jobs and apps write through core/coordination's fenced transactions: one fencing rule for the
    // registry and the services (DESIGN.md: the coordination layer is shared by all of it).
    const allowed = ['core/sdk/index.ts', 'core/clock', 'core/logging', 'core/errors', 'core/coordination/fenced-transactions.ts'];
    const bad = imports.filter(
      (i) => under(i.from, 'services') && !under(i.from, 'services/server') && under(i.target, 'core') && !allowed.some((a) => under(i.target, a)),
    );
    expect(bad.map((i) => `${i.from} → ${i.spec}`)).toEqual([]);
  });

  it('jobs and apps never import each other', () => {
    const bad = imports.filter((i) => (under(i.from, 'services/jobs') && under(i.target, 'services/apps')) || (under(i.from, 'services/apps') && under(i.target, 'services/jobs')));
    expect(bad).toEqual([]);
  });

  it('pure modules (resources, allocator) import no I/O and nothing outside the pure core', () => {
    const pure = ['core/resources', 'core/allocator'];
    const bad = imports.filter(
      (i) => pure.some((p) => under(i.from, p)) && (i.target === undefined ? true : !pure.some((p) => under(i.target, p)) && !under(i.target, 'core/errors')),
    );
    expect(bad.map((i) => `${i.from} → ${i.spec}`)).toEqual([]);
  });

  it("ioredis only in core/coordination and the services' store files, bullmq only in the jobs queue", () => {
    const redis = imports.filter((i) => i.spec === 'ioredis' && !i.typeOnly && !under(i.from, 'core/coordination') && !/^services\/[^/]+\/[^/]*store[^/]*\.ts$/.test(i.from));
    expect(redis.map((i) => i.from)).toEqual([]);
    const bull = imports.filter((i) => i.spec === 'bullmq' && !/^services\/jobs\/.*queue.*\.ts$/.test(i.from));
    expect(bull.map((i) => i.from)).toEqual([]);
  });

  it('has no import cycles (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) {
      if (i.typeOnly || !i.target) continue;
      const list = graph.get(i.from) ?? [];
      list.push(i.target);
      graph.set(i.from, list);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { alg } from '@dagrejs/graphlib';
import { type JobNode, buildJobGraph, childrenOf, descendantsOf, edgesOf, toDot, validateGraph } from './dag.ts';

const job = (name: string, ...parents: string[]): JobNode => ({ name, parents });
const diamond = [job('a'), job('b', 'a'), job('c', 'a'), job('d', 'b', 'c')];

function order(jobs: JobNode[]): string[] {
  const r = validateGraph(jobs);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.order;
}

function expectTopological(jobs: JobNode[], ord: string[]): void {
  expect([...ord].sort()).toEqual(jobs.map((j) => j.name).sort());
  const pos = new Map(ord.map((n, i) => [n, i]));
  for (const j of jobs) for (const p of j.parents) expect(pos.get(p)!).toBeLessThan(pos.get(j.name)!);
}

describe('validateGraph', () => {
  it('orders parents before children', () => {
    expectTopological(diamond, order(diamond));
    expect(order([])).toEqual([]);
  });

  it('rejects unknown parents, naming the job and the parent', () => {
    const r = validateGraph([job('a'), job('d', 'a', 'ghost')]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ field: 'parents', job: 'd', unknown: ['ghost'] });
    expect(r.error.message).toBe('job "d" depends on unknown job "ghost"');
  });

  it('lists every unknown parent after a delete orphans several children', () => {
    const r = validateGraph([job('c1', 'gone'), job('c2', 'gone', 'also-gone')]);
    expect(!r.ok && r.error.unknown).toEqual(['also-gone', 'gone']);
  });

  it('rejects a job that depends on itself', () => {
    const r = validateGraph([job('a', 'a')]);
    expect(!r.ok && r.error).toMatchObject({ job: 'a', cycle: ['a', 'a'], message: 'job "a" depends on itself' });
  });

  it('names a two-job cycle in order', () => {
    const r = validateGraph([job('a', 'b'), job('b', 'a')]);
    expect(!r.ok && r.error).toMatchObject({ field: 'parents', cycle: ['a', 'b', 'a'], message: 'dependency cycle: a → b → a' });
  });

  it('names the same shortest cycle whatever the input order, ignoring jobs hanging off it', () => {
    // x → a → b → c → a, plus c → d and a long way round a → p → q → r → c.
    const jobs = [job('x'), job('a', 'x', 'c'), job('b', 'a'), job('c', 'b', 'r'), job('d', 'c'), job('p', 'a'), job('q', 'p'), job('r', 'q')];
    fc.assert(
      fc.property(fc.shuffledSubarray(jobs, { minLength: jobs.length }), (shuffled) => {
        const r = validateGraph(shuffled);
        expect(!r.ok && r.error.cycle).toEqual(['a', 'b', 'c', 'a']);
      }),
      { numRuns: 30 },
    );
  });

  it('reports a real cycle in random graphs with one back edge added', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 120 }),
            fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([x, y]) => x !== y),
          ),
        ),
        ([n, pairs, [x, y]]) => {
          const parents = Array.from({ length: n }, () => new Set<string>());
          // Forward edges only (lower index → higher) keep it acyclic.
          for (const [i, j] of pairs) if (i < j) parents[j].add(`j${i}`);
          const jobs = parents.map((ps, i) => job(`j${i}`, ...ps));
          expectTopological(jobs, order(jobs));
          expect(alg.isAcyclic(buildJobGraph(jobs))).toBe(true);
          // Close a cycle: path lo → hi, then hi → lo.
          const [lo, hi] = x < y ? [x, y] : [y, x];
          parents[hi].add(`j${lo}`);
          parents[lo].add(`j${hi}`);
          const cyclic = parents.map((ps, i) => job(`j${i}`, ...ps));
          const r = validateGraph(cyclic);
          expect(r.ok).toBe(false);
          // graphlib, on the same input, agrees that there is a cycle.
          expect(alg.isAcyclic(buildJobGraph(cyclic))).toBe(false);
          if (r.ok) return;
          const cycle = r.error.cycle!;
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) expect(parents[Number(cycle[i + 1].slice(1))].has(cycle[i])).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('handles a 10,000-job chain (graphlib topsort would overflow the stack)', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => (i === 0 ? job('j0') : job(`j${i}`, `j${i - 1}`)));
    expect(order(chain)).toEqual(chain.map((j) => j.name));
    chain[0] = job('j0', 'j9999');
    const r = validateGraph(chain);
    expect(!r.ok && r.error.cycle).toHaveLength(10_001);
  });

  it('throws on duplicate names, a broken invariant of its caller', () => {
    expect(() => validateGraph([job('a'), job('a')])).toThrow(/duplicate/);
  });
});

describe('children and descendants', () => {
  const jobs = [...diamond, job('e', 'd'), job('lonely')];
  it('childrenOf lists direct dependents', () => {
    expect(childrenOf(jobs, 'a')).toEqual(['b', 'c']);
    expect(childrenOf(jobs, 'd')).toEqual(['e']);
    expect(childrenOf(jobs, 'lonely')).toEqual([]);
  });
  it('descendantsOf lists everything downstream once', () => {
    expect(descendantsOf(jobs, 'a')).toEqual(['b', 'c', 'd', 'e']);
    expect(descendantsOf(jobs, 'c')).toEqual(['d', 'e']);
    expect(descendantsOf(jobs, 'e')).toEqual([]);
  });
  it('edgesOf and buildJobGraph agree', () => {
    const g = buildJobGraph(jobs);
    expect(edgesOf(jobs)).toHaveLength(g.edgeCount());
    for (const [p, c] of edgesOf(jobs)) expect(g.hasEdge(p, c)).toBe(true);
  });
});

describe('toDot', () => {
  it('draws nodes coloured by status and parent → child edges', () => {
    const dot = toDot(
      [
        { name: 'a', status: 'success' },
        { name: 'b', status: 'failure' },
        { name: 'c', status: 'running' },
        { name: 'd', status: 'fresh' },
        { name: 'e', status: 'disabled' },
      ],
      edgesOf(diamond),
    );
    expect(dot.startsWith('digraph jobs {\n')).toBe(true);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    expect(dot).toContain('"a" [style="rounded,filled", fillcolor="#c8e6c9"');
    expect(dot).toContain('"b" [style="rounded,filled", fillcolor="#ffcdd2"');
    expect(dot).toContain('"c" [style="rounded,filled", fillcolor="#bbdefb"');
    expect(dot).toContain('"d" [style="rounded,filled", fillcolor="#eeeeee"');
    expect(dot).toContain('"e" [style="rounded,dashed"');
    expect(dot).toContain('"b" -> "d";');
    expect(dot.match(/->/g)).toHaveLength(4);
  });
  it('escapes quotes and backslashes in names', () => {
    expect(toDot([{ name: 'say "hi"\\', status: 'fresh' }], [])).toContain('"say \\"hi\\"\\\\" [');
  });
});

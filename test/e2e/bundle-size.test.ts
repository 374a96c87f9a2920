/**
 * The UI stays lean (issue 5: "keep the bundle lean, report its gzipped size"): what the first page load fetches
 * (index.html and the files it links) and each lazily loaded chunk (the DAG layout), gzipped as a server or CDN
 * would send them, within a budget. `npm run build` prints the same gzip sizes per file; ui/README.md records them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, assertUiBuilt } from './browser.ts';

const DIST = path.join(ROOT, 'ui/dist');
/** First load: HTML, the entry script and the stylesheet. Today ~36 kB. */
const INITIAL_BUDGET_KB = 60;
/** Any chunk loaded later (dagre's layout for the DAG page: ~16 kB today). */
const LAZY_CHUNK_BUDGET_KB = 30;

const gzKb = async (file: string): Promise<number> => gzipSync(await readFile(file), { level: 9 }).length / 1024;

beforeAll(async () => {
  await assertUiBuilt();
});

describe('UI bundle size', () => {
  it('keeps the first load and each lazy chunk within their gzipped budgets', async () => {
    const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(linked.some((f) => f.endsWith('.js'))).toBe(true);
    const sizes: Record<string, number> = { 'index.html': await gzKb(path.join(DIST, 'index.html')) };
    for (const f of linked) sizes[f] = await gzKb(path.join(DIST, f));
    const initial = Object.values(sizes).reduce((a, b) => a + b, 0);
    expect(initial, `first load gzipped: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(INITIAL_BUDGET_KB);

    const lazy = (await readdir(path.join(DIST, 'assets'))).filter((f) => f.endsWith('.js') && !linked.includes(`assets/${f}`));
    expect(lazy.length, 'the DAG layout is a chunk of its own').toBeGreaterThanOrEqual(1);
    for (const f of lazy) expect(await gzKb(path.join(DIST, 'assets', f)), `${f} gzipped, kB`).toBeLessThanOrEqual(LAZY_CHUNK_BUDGET_KB);
  });
});

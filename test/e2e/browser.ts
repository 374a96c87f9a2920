/**
 * Browser tests' plumbing: Debian's chromium driven by playwright-core, headless, with the flags this machine
 * needs (no sandbox as root; no background networking, which the closed network would refuse), and a check that
 * ui/dist is built from the current sources (a stale bundle would test old code).
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test/e2e/artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

async function newestMtime(p: string): Promise<number> {
  const s = await stat(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const name of await readdir(p)) if (!name.endsWith('.test.ts')) newest = Math.max(newest, await newestMtime(path.join(p, name)));
  return newest;
}

/** Throws unless ui/dist/index.html exists and is newer than every UI source. */
export async function assertUiBuilt(): Promise<void> {
  const index = path.join(ROOT, 'ui/dist/index.html');
  let built: number;
  try {
    built = (await stat(index)).mtimeMs;
  } catch (e) {
    throw new Error('ui/dist/index.html is missing: run `npm run build` (npm test does it first)', { cause: e });
  }
  const sources = Math.max(...(await Promise.all(['ui/src', 'ui/index.html', 'ui/vite.config.ts'].map((p) => newestMtime(path.join(ROOT, p))))));
  if (sources > built) throw new Error('ui/dist is older than ui/src: run `npm run build` (npm test does it first)');
}

/** Headless chromium; playwright gives each launch a fresh temporary profile (--user-data-dir). */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 20_000 });
}

export interface WatchedPage {
  page: Page;
  /** Uncaught exceptions and console errors seen so far (failed requests the test expects can be filtered). */
  problems: string[];
  close(): Promise<void>;
}

export async function openPage(browser: Browser, url: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

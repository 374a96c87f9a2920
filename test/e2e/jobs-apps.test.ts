/**
 * The jobs and apps pages in a real browser against a real `orrery up` (real Redis, real processes): a job
 * created through the form turns green live, a failing one red, the header counts match the API, and the p50
 * duration column shows the API's p50 once runs succeeded; the
 * diamond DAG draws four nodes and four edges and turns the failed middle job red; an app scales 1 → 3 with the
 * + button and suspends to 0; the scale box sends nothing for an empty or non-numeric count and asks before 0; an
 * app no agent can place shows UNPLACEABLE with the API's per-agent reasons; a finished run's stdout opens (and
 * is scrolled into view); "run now" works from the keyboard alone; a bad cron shows the API's message next to the
 * field. Screenshots of the jobs page, the DAG and an app page go to
 * test/e2e/artifacts/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { fmtDuration } from '../../ui/src/format.ts';
import { assertUiBuilt, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.ts';
import { portRange } from '../helpers/ports.ts';

let redis: TestRedis | undefined;
let orrery: TestOrrery | undefined;
/** Set E2E_ORRERY_URL to run these against an Orrery that is already up instead of starting one. */
let url: string;
let browser: Browser;
const open: WatchedPage[] = [];
/** Makes names unique per run, so the file can run again against the same long-lived Orrery. */
const RID = Date.now().toString(36).slice(-5);

type Json = Record<string, any>;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

beforeAll(async () => {
  await assertUiBuilt();
  browser = await launchBrowser();
  if (process.env.E2E_ORRERY_URL) url = process.env.E2E_ORRERY_URL;
  else {
    redis = await startTestRedis();
    orrery = await startTestOrrery(redis.url, { keyPrefix: 'e2e-jobs', resources: `cpus:4;mem:2048;disk:1000;ports:${portRange(101)}` });
    url = orrery.url;
  }
  for (const path of ['/v1/jobs', '/v1/apps']) {
    const r = await api('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: the jobs and apps services must be mounted by startOrrery (services/server/orrery.ts)`);
  }
}, 30_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await orrery?.stop();
  await redis?.stop();
}, 30_000);

async function visit(hash: string): Promise<WatchedPage> {
  const w = await openPage(browser, `${url}/${hash}`);
  open.push(w);
  return w;
}

const markNoReload = (page: Page) => page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
const stillNoReload = (page: Page) => page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true);
const text = async (page: Page, selector: string): Promise<string> => ((await page.locator(selector).first().textContent()) ?? '').replace(/^✗\s*/, '').trim();

async function createJob(page: Page, fields: Record<string, string>): Promise<void> {
  await page.getByRole('link', { name: 'New job' }).click();
  await page.getByRole('heading', { name: 'New job' }).waitFor();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Create job' }).click();
}

describe('web UI: jobs', () => {
  it('creates jobs with the form; `true` turns green and `false` red live, and the header counts match the API', async () => {
    const { page, problems } = await visit('#/jobs');
    await markNoReload(page);
    await createJob(page, { Name: `ui-true-${RID}`, Command: 'true', Schedule: '*/2 * * * * *' });
    await page.getByRole('heading', { name: new RegExp(`ui-true-${RID}`) }).waitFor();
    await page.getByRole('link', { name: '← Jobs' }).click();
    await createJob(page, { Name: `ui-false-${RID}`, Command: 'false', Schedule: '*/2 * * * * *' });
    await page.getByRole('heading', { name: new RegExp(`ui-false-${RID}`) }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Jobs' }).click();

    await page.locator(`tr[data-job="ui-true-${RID}"] .badge`, { hasText: 'success' }).waitFor({ timeout: 15_000 });
    await page.locator(`tr[data-job="ui-false-${RID}"] .badge`, { hasText: 'failure' }).waitFor({ timeout: 15_000 });
    expect(await stillNoReload(page)).toBe(true);

    // Runs keep changing the counts; they must agree with the API at some moment soon after.
    await waitFor(
      async () => {
        const ui: Record<string, number> = {};
        for (const s of ['all', 'success', 'failure', 'running', 'fresh', 'disabled']) ui[s] = Number((await text(page, `[data-count-status="${s}"] .count-n`)).replace(/,/g, ''));
        const fromApi: Record<string, number> = { all: (await api('GET', '/v1/jobs?limit=1')).body.total };
        for (const s of ['success', 'failure', 'running', 'fresh', 'disabled']) fromApi[s] = (await api('GET', `/v1/jobs?status=${s}&limit=1`)).body.total;
        return JSON.stringify(ui) === JSON.stringify(fromApi) && ui.success >= 1 && ui.failure >= 1;
      },
      { timeoutMs: 10_000, intervalMs: 200, message: 'header counts equal to the API' },
    );
    // The p50 duration column shows the API's p50 of the job's succeeded runs (it moves as runs finish).
    const p50Cell = (job: string) => text(page, `tr[data-job="${job}"] td[data-col="p50"]`);
    await waitFor(
      async () => {
        const listed = (await api('GET', `/v1/jobs?name=ui-true-${RID}`)).body.jobs.find((j: Json) => j.name === `ui-true-${RID}`);
        const p50 = listed?.stats.duration?.p50 as number | undefined;
        return p50 !== undefined && (await p50Cell(`ui-true-${RID}`)) === fmtDuration(p50);
      },
      { timeoutMs: 10_000, intervalMs: 200, message: 'p50 duration column equal to the API' },
    );
    expect(await p50Cell(`ui-true-${RID}`)).toMatch(/^\d+(\.\d)? (ms|s)$/);
    expect(await p50Cell(`ui-false-${RID}`)).toBe('—');
    await screenshot(page, 'jobs');
    for (const name of [`ui-true-${RID}`, `ui-false-${RID}`]) expect((await api('POST', `/v1/jobs/${name}/disable`)).status).toBe(200);
    expect(problems).toEqual([]);
  }, 40_000);

  it("shows the API's message next to the schedule field for a bad cron, and creates nothing", async () => {
    const { page, problems } = await visit('#/edit-job');
    const body = { name: `bad-cron-${RID}`, command: 'true', schedule: '61 * * * *' };
    await page.getByLabel('Name', { exact: true }).fill(body.name);
    await page.getByLabel('Command', { exact: true }).fill(body.command);
    await page.getByLabel('Schedule', { exact: true }).fill(body.schedule);
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.locator('[data-field-error="job-schedule"]').waitFor();
    const expected = (await api('POST', '/v1/jobs', { ...body, timeZone: 'UTC', cpus: 0.1, mem: 128, retries: 0, concurrencyPolicy: 'allow', disabled: false })).body;
    const message = (expected.errors as Array<{ field: string; message: string }>).find((e) => e.field === 'body.schedule')!.message;
    expect(await text(page, '[data-field-error="job-schedule"]')).toBe(message);
    expect(await page.getByLabel('Schedule', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await api('GET', `/v1/jobs/bad-cron-${RID}`)).status).toBe(404);
    await screenshot(page, 'job-form-bad-cron');
    expect(problems.filter((p) => !p.includes('status of 4'))).toEqual([]);
  }, 20_000);

  it('draws the diamond DAG with four nodes and four edges, and turns the failed middle job red live', async () => {
    const n = (x: string): string => `dia-${RID}-${x}`;
    for (const job of [
      { name: n('a'), command: 'true' },
      { name: n('b'), command: 'true', parents: [n('a')] },
      { name: n('c'), command: 'true', parents: [n('a')] },
      { name: n('d'), command: 'true', parents: [n('b'), n('c')] },
    ]) expect((await api('POST', '/v1/jobs', { cpus: 0.1, mem: 16, ...job })).status).toBe(201);
    const { page, problems } = await visit(`#/dag?job=${n('a')}`);
    await markNoReload(page);
    await page.locator(`[data-node="${n('d')}"]`).waitFor();
    expect(await page.locator('[data-node]').count()).toBe(4);
    expect(await page.locator('[data-edge]').count()).toBe(4);
    for (const [from, to] of [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']]) expect(await page.locator(`[data-edge="${n(from)}->${n(to)}"]`).count()).toBe(1);
    // Left to right: each parent's node lies left of its children.
    const x = async (name: string): Promise<number> => (await page.locator(`[data-node="${n(name)}"] rect`).boundingBox())!.x;
    expect(await x('a')).toBeLessThan(await x('b'));
    expect(await x('c')).toBeLessThan(await x('d'));

    const c = (await api('GET', `/v1/jobs/${n('c')}`)).body;
    expect((await api('POST', '/v1/jobs', { name: n('c'), command: 'false', parents: [n('a')], cpus: 0.1, mem: 16, version: c.version })).status).toBe(200);
    expect((await api('POST', `/v1/jobs/${n('a')}/runs`, {})).status).toBe(202);
    await page.locator(`[data-node="${n('c')}"][data-status="failure"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-node="${n('b')}"][data-status="success"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator(`[data-node="${n('d')}"]`).getAttribute('data-status')).toBe('fresh');
    expect((await api('GET', `/v1/jobs/${n('c')}`)).body.status).toBe('failure');
    expect(await stillNoReload(page)).toBe(true);
    await screenshot(page, 'dag');
    expect(problems).toEqual([]);
  }, 30_000);

  it("opens a finished run's stdout, and runs a job now with the keyboard alone", async () => {
    expect((await api('POST', '/v1/jobs', { name: `ui-echo-${RID}`, command: 'echo hello-from-a-run', cpus: 0.1, mem: 16 })).status).toBe(201);
    const { page, problems } = await visit(`#/jobs/ui-echo-${RID}`);
    await page.getByRole('button', { name: 'Run now' }).waitFor();
    let presses = 0;
    const focused = (): Promise<string> => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    while ((await focused()) !== 'Run now') {
      expect(++presses, '"Run now" is reachable with Tab').toBeLessThan(30);
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement!.matches(':focus-visible'))).toBe(true);
    await page.keyboard.press('Enter');
    const row = page.locator('tr[data-run="1"]');
    await row.locator('.badge', { hasText: 'SUCCEEDED' }).waitFor({ timeout: 15_000 });
    expect((await api('GET', `/v1/jobs/ui-echo-${RID}/runs/1`)).body.cause).toBe('manual');

    await row.getByRole('link', { name: /Output/ }).click();
    await page.locator('pre[data-file="stdout"]', { hasText: 'hello-from-a-run' }).waitFor();
    // The output opens below the runs table; the page brings it into view.
    const inView = (): Promise<boolean> => page.locator('#run-output-h').evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= innerHeight);
    await waitFor(inView, { message: 'the run output heading scrolled into view' });
    await screenshot(page, 'job-run-output');
    expect(problems).toEqual([]);
  }, 30_000);
});

describe('web UI: apps', () => {
  it('scales an app from 1 to 3 with the + button, the API agrees, and suspend brings it to 0', async () => {
    const id = `/e2e/sleeper-${RID}`;
    expect((await api('POST', '/v1/apps', { id, cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 })).status).toBe(201);
    const { page, problems } = await visit(`#/apps/${encodeURIComponent(id)}`);
    await markNoReload(page);
    const running = page.locator('.summary .instances-text');
    await page.locator('.summary .instances-text[data-running="1"]').waitFor({ timeout: 15_000 });
    const plus = page.getByRole('button', { name: `One instance more of ${id}` });
    await plus.click();
    await plus.click();
    await page.locator('.summary .instances-text[data-running="3"][data-wanted="3"]').waitFor({ timeout: 15_000 });
    const counts = (await api('GET', `/v1/apps/${encodeURIComponent(id)}`)).body.counts;
    expect({ wanted: counts.wanted, running: counts.running }).toEqual({ wanted: 3, running: 3 });
    await waitFor(async () => (await page.locator('tr[data-task-id] .badge', { hasText: 'RUNNING' }).count()) === 3, { message: 'three running tasks listed' });
    await screenshot(page, 'app');

    await page.getByRole('button', { name: 'Suspend' }).click();
    await page.getByRole('button', { name: 'Yes, suspend' }).click();
    await page.locator('.summary .instances-text[data-running="0"][data-wanted="0"]').waitFor({ timeout: 15_000 });
    expect((await api('GET', `/v1/apps/${encodeURIComponent(id)}`)).body.counts.running).toBe(0);
    expect(await running.textContent()).toContain('0 / 0 running');
    expect(await stillNoReload(page)).toBe(true);
    expect(problems).toEqual([]);
  }, 40_000);

  it('the scale box refuses an empty or non-numeric count without asking the API, and 0 (a suspend) asks first', async () => {
    const id = `/e2e/scalebox-${RID}`;
    expect((await api('POST', '/v1/apps', { id, cmd: 'sleep 600', instances: 2, cpus: 0.1, mem: 16 })).status).toBe(201);
    const { page, problems } = await visit(`#/apps?id=${encodeURIComponent(`scalebox-${RID}`)}`);
    const row = page.locator(`tr[data-app="${id}"]`);
    await row.locator('.instances-text[data-running="2"]').waitFor({ timeout: 15_000 });
    const sent: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/scale')) sent.push(r.postDataJSON());
    });
    const box = page.getByLabel(`Instances of ${id}`, { exact: true });
    const scale = row.getByRole('button', { name: 'Scale', exact: true });
    const hint = row.locator('.scale-hint');
    for (const typed of ['', '   ', 'abc', '2.5', '-1', '1e2']) {
      await box.fill(typed);
      expect(await scale.isDisabled(), `Scale disabled for ${JSON.stringify(typed)}`).toBe(true);
      expect(await box.getAttribute('aria-invalid')).toBe('true');
      expect((await hint.textContent())?.trim(), `a message for ${JSON.stringify(typed)}`).toMatch(/number of instances|whole number/);
      await box.press('Enter');
    }
    expect(sent).toEqual([]);
    expect((await api('GET', `/v1/apps/${encodeURIComponent(id)}`)).body.instances).toBe(2);

    // 0 typed: a question, not a request; Cancel puts the count back.
    await box.fill('0');
    expect(await hint.textContent()).toBe('');
    await scale.click();
    const question = row.getByRole('group', { name: `Scale ${id} to 0?` });
    await question.waitFor();
    expect(await question.textContent()).toContain('2 running instances are stopped');
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('2');
    expect(sent).toEqual([]);

    // − from 2 scales at once; − from 1 asks, and "Yes" scales to 0.
    const minus = row.getByRole('button', { name: `One instance fewer of ${id}` });
    await minus.click();
    await row.locator('.instances-text[data-wanted="1"]').waitFor({ timeout: 15_000 });
    await minus.click();
    await question.getByRole('button', { name: 'Yes, scale to 0' }).click();
    await row.locator('.instances-text[data-running="0"][data-wanted="0"]').waitFor({ timeout: 15_000 });
    expect(sent).toEqual([{ instances: 1 }, { instances: 0 }]);
    expect((await api('GET', `/v1/apps/${encodeURIComponent(id)}`)).body.instances).toBe(0);
    await screenshot(page, 'apps-scale-box');
    expect(problems).toEqual([]);
  }, 40_000);

  it("shows an app no agent can place as UNPLACEABLE (red, icon and word) with each agent's full reason, in the list and on its page", async () => {
    const id = `/e2e/huge-${RID}`;
    const path = `/v1/apps/${encodeURIComponent(id)}`;
    expect((await api('POST', '/v1/apps', { id, cmd: 'sleep 600', instances: 1, cpus: 500, mem: 16 })).status).toBe(201);
    await waitFor(async () => (await api('GET', `${path}/pending`)).body.agents.length > 0, { timeoutMs: 15_000, intervalMs: 100, message: 'a declined offer with a reason' });
    // What the UI lists must be what the API says at some moment (the offered amounts move as other apps run).
    const apiReasons = async (): Promise<string[]> => ((await api('GET', `${path}/pending`)).body.agents as Json[]).map((a) => `${a.hostname}: ${a.reason}`);
    const sameReasons = async (scope: ReturnType<Page['locator']>): Promise<boolean> => JSON.stringify((await scope.locator('li').allTextContents()).map((t) => t.trim())) === JSON.stringify(await apiReasons());

    const { page, problems } = await visit(`#/apps?id=${encodeURIComponent(`huge-${RID}`)}`);
    const row = page.locator(`tr[data-app="${id}"]`);
    const badge = row.locator('[data-shown-status="UNPLACEABLE"] .badge');
    await badge.waitFor({ timeout: 15_000 });
    expect(await badge.getAttribute('class')).toContain('badge-bad');
    expect((await badge.textContent())?.trim()).toMatch(/^\S+\s*UNPLACEABLE$/);
    expect(await row.getAttribute('data-status')).not.toBe('RUNNING');
    const reason = row.locator('[data-reason="unplaceable"]');
    await waitFor(() => sameReasons(reason), { timeoutMs: 10_000, intervalMs: 200, message: "the row lists the API's per-agent reasons" });
    expect(await reason.textContent()).toMatch(/cpus/);
    // In full: wrapped, not cut off with an ellipsis.
    expect(await reason.evaluate((el) => el.scrollWidth <= el.clientWidth && getComputedStyle(el).whiteSpace !== 'nowrap')).toBe(true);
    await screenshot(page, 'apps-unplaceable');

    await row.getByRole('link', { name: id, exact: true }).click();
    await page.locator('h1 [data-shown-status="UNPLACEABLE"]').waitFor();
    const note = page.locator('[data-waiting="unplaceable"]');
    await note.waitFor();
    await waitFor(() => sameReasons(note), { timeoutMs: 10_000, intervalMs: 200, message: "the app page lists the API's per-agent reasons" });
    await screenshot(page, 'app-unplaceable');
    // Its deployment never ends; Destroy still works (forced, as suspend and scale are).
    await page.getByRole('button', { name: 'Destroy' }).click();
    await page.getByRole('button', { name: 'Yes, destroy' }).click();
    await page.getByRole('heading', { name: 'Apps', exact: true }).waitFor();
    await waitFor(async () => (await api('GET', path)).status === 404, { timeoutMs: 15_000, intervalMs: 200, message: 'the app is gone' });
    expect(problems.filter((p) => !p.includes('status of 404'))).toEqual([]);
  }, 40_000);
});

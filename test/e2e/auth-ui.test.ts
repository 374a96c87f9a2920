/**
 * The web UI against a real `orrery up` that requires tokens: the page asks for a token (and refuses a wrong one);
 * a viewer sees the jobs, apps and tasks, live, but no button that changes anything; an operator scales an app with
 * the + button and the API agrees. Screenshots of the prompt and of a viewer's jobs page go to test/e2e/artifacts/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { assertUiBuilt, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.ts';
import { portRange } from '../helpers/ports.ts';

const TOKENS = { operator: 'e2e-operator-5f4e3d2c1b0a', viewer: 'e2e-viewer-0a1b2c3d4e5f' };
const RID = Date.now().toString(36).slice(-5);
const JOB = `auth-job-${RID}`;
const APP = `/auth/app-${RID}`;

let redis: TestRedis;
let orrery: TestOrrery;
let browser: Browser;
const open: WatchedPage[] = [];

type Json = Record<string, any>;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS.operator}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${orrery.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

beforeAll(async () => {
  await assertUiBuilt();
  browser = await launchBrowser();
  redis = await startTestRedis();
  orrery = await startTestOrrery(redis.url, {
    keyPrefix: 'e2e-auth',
    resources: `cpus:4;mem:2048;disk:1000;ports:${portRange(101)}`,
    security: { tokens: `ops:operator:${TOKENS.operator},watcher:viewer:${TOKENS.viewer}` },
  });
  expect((await api('POST', '/v1/jobs', { name: JOB, command: 'true', cpus: 0.1, mem: 16 })).status).toBe(201);
  expect((await api('POST', '/v1/apps', { id: APP, cmd: 'sleep 600', instances: 1, cpus: 0.1, mem: 16 })).status).toBe(201);
}, 30_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await browser?.close();
  await orrery?.stop();
  await redis?.stop();
}, 30_000);

/** Opens the UI at `hash`; the API's 401s before sign-in are expected console errors, anything else is not. */
async function visit(hash: string): Promise<WatchedPage> {
  const w = await openPage(browser, `${orrery.url}/${hash}`);
  open.push(w);
  return w;
}

const unexpected = (problems: string[]): string[] => problems.filter((p) => !p.includes('status of 401'));

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('[data-token-prompt]').waitFor({ state: 'detached' });
}

/** Buttons and links that change something; none may be on a viewer's screen. */
const MUTATING = /^(Run now|Run .* now|Kill|Enable( .*)?|Disable( .*)?|Delete|Edit|New job|New app|Create job|Create app|Run|Suspend|Restart|Destroy|Roll back|Cancel deployment|Scale|One instance (more|fewer) of .*)$/;

async function mutatingControls(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const role of ['button', 'link'] as const) {
    for (const el of await page.getByRole(role).all()) {
      const name = ((await el.getAttribute('aria-label')) ?? (await el.textContent()) ?? '').trim();
      if (MUTATING.test(name)) names.push(`${role} ${name}`);
    }
  }
  return names;
}

describe('web UI with API tokens', () => {
  it('asks for a token, refuses a wrong one, and shows a viewer the jobs, apps and tasks, live, without any mutating button', async () => {
    const { page, problems } = await visit('#/jobs');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator(`tr[data-job="${JOB}"]`).count()).toBe(0);
    await screenshot(page, 'token-prompt');

    await page.getByLabel('API token').fill('not-a-token-of-this-cluster');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-field-error="api-token"]', { hasText: 'That token was not accepted.' }).waitFor();

    await signIn(page, TOKENS.viewer);
    await page.locator(`tr[data-job="${JOB}"]`).waitFor();
    expect(await page.locator('.who').textContent()).toContain('watcher');
    expect(await page.locator('.who').getAttribute('data-identity')).toBe('viewer');
    expect(await mutatingControls(page)).toEqual([]);
    await screenshot(page, 'jobs-viewer');

    // Live with the token: a job created elsewhere appears without a reload.
    expect((await api('POST', '/v1/jobs', { name: `${JOB}-2`, command: 'true', cpus: 0.1, mem: 16 })).status).toBe(201);
    await page.locator(`tr[data-job="${JOB}-2"]`).waitFor();

    await page.goto(`${orrery.url}/#/jobs/${JOB}`);
    await page.getByRole('heading', { name: new RegExp(JOB) }).waitFor();
    expect(await mutatingControls(page)).toEqual([]);

    await page.goto(`${orrery.url}/#/apps`);
    await page.locator(`tr[data-app="${APP}"]`).waitFor();
    expect(await mutatingControls(page)).toEqual([]);

    await page.goto(`${orrery.url}/#/apps/${encodeURIComponent(APP)}`);
    await page.locator('.summary .instances-text[data-running="1"]').waitFor({ timeout: 15_000 });
    await page.locator('tr[data-task-id]').first().waitFor();
    expect(await mutatingControls(page)).toEqual([]);

    await page.goto(`${orrery.url}/#/tasks`);
    await page.locator('tr[data-task-id]').first().waitFor();
    expect(await page.getByRole('heading', { name: 'Run a command' }).count()).toBe(0);
    expect(await mutatingControls(page)).toEqual([]);

    await page.goto(`${orrery.url}/#/edit-job`);
    await page.locator('[data-role-note]', { hasText: 'you need the operator role' }).waitFor();
    expect(await page.getByRole('button', { name: 'Create job' }).count()).toBe(0);

    // The token stays for this tab: a reload needs no new sign-in.
    await page.reload();
    await page.locator('.who[data-identity="viewer"]').waitFor();
    expect(await page.locator('[data-token-prompt]').count()).toBe(0);
    expect(unexpected(problems)).toEqual([]);
  }, 60_000);

  it('lets an operator scale an app with the + button, and the API agrees', async () => {
    const { page, problems } = await visit(`#/apps/${encodeURIComponent(APP)}`);
    await signIn(page, TOKENS.operator);
    expect(await page.locator('.who').getAttribute('data-identity')).toBe('operator');
    await page.locator('.summary .instances-text[data-running="1"]').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: `One instance more of ${APP}` }).click();
    await page.locator('.summary .instances-text[data-running="2"][data-wanted="2"]').waitFor({ timeout: 15_000 });
    const counts = (await api('GET', `/v1/apps/${encodeURIComponent(APP)}`)).body.counts;
    expect({ wanted: counts.wanted, running: counts.running }).toEqual({ wanted: 2, running: 2 });
    // The same checks that find nothing for a viewer find the operator's controls.
    expect(await mutatingControls(page)).toEqual(expect.arrayContaining(['button Suspend', 'button Destroy', `button One instance more of ${APP}`, 'button Kill']));
    await page.goto(`${orrery.url}/#/jobs`);
    await page.locator(`tr[data-job="${JOB}"]`).waitFor();
    expect(await mutatingControls(page)).toEqual(expect.arrayContaining(['link New job', `button Run ${JOB} now`, 'button Delete']));
    expect(unexpected(problems)).toEqual([]);
  }, 60_000);
});

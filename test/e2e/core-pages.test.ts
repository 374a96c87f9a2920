/**
 * The web UI in a real browser against a real `orrery up` (real Redis, the real local agent): the cluster page,
 * running a command from the form and following it live to FINISHED and its stdout, the API's validation
 * messages next to the fields, a keyboard-only kill, and the connection banner across a server restart.
 * Screenshots go to test/e2e/artifacts/ (git-ignored).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestOrrery, type TestOrrery } from '../helpers/orrery.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { assertUiBuilt, launchBrowser, openPage, screenshot, type WatchedPage } from './browser.ts';
import { portRange } from '../helpers/ports.ts';

let redis: TestRedis;
let orrery: TestOrrery;
let browser: Browser;
const open: WatchedPage[] = [];

const CONFIG = { keyPrefix: 'e2e', resources: `cpus:2;mem:1024;disk:1000;ports:${portRange(101)};cassandra-slot:1`, attributes: 'rack:a;os:linux' };

beforeAll(async () => {
  await assertUiBuilt();
  [redis, browser] = await Promise.all([startTestRedis(), launchBrowser()]);
  orrery = await startTestOrrery(redis.url, CONFIG);
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
  const w = await openPage(browser, `${orrery.url}/${hash}`);
  open.push(w);
  return w;
}

type Json = Record<string, any>;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${orrery.url}${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function runTask(command: string): Promise<string> {
  const r = await api('POST', '/v1/tasks', { command, cpus: 0.1, mem: 16 });
  expect(r.status).toBe(202);
  return r.body.id as string;
}

const meter = (page: Page, agentId: string, name: string) => page.locator(`[data-agent-id="${agentId}"] [role="meter"][aria-label="${name} used"]`);

describe('web UI: cluster and tasks', () => {
  it('shows the agent with its resources, attributes and isolators, the framework and the leader', async () => {
    const { page, problems } = await visit('#/cluster');
    const agentId = orrery.agent.agentId!;
    const card = page.locator(`[data-agent-id="${agentId}"]`);
    await card.waitFor();
    const agent = (await api('GET', `/v1/agents/${agentId}`)).body;
    expect(await card.locator('h3').textContent()).toBe(agent.hostname);
    for (const [name, total] of Object.entries(agent.resources.total.scalars as Record<string, number>)) {
      expect(await meter(page, agentId, name).getAttribute('aria-valuemax')).toBe(String(total));
    }
    expect(await meter(page, agentId, 'cassandra-slot').count()).toBe(1);
    const ports = (agent.resources.total.ranges.ports as Array<[number, number]>).reduce((n, [a, b]) => n + b - a + 1, 0);
    expect(await meter(page, agentId, 'ports').getAttribute('aria-valuemax')).toBe(String(ports));
    const text = await card.textContent();
    for (const [k, v] of Object.entries(agent.attributes as Record<string, string>)) expect(text).toContain(`${k}:${v}`);
    for (const iso of agent.isolators as string[]) expect(text).toContain(iso);
    // `orrery up`'s own agent sends no heartbeats: "in-process", not a staleness that looks alarming.
    expect(agent.inProcess).toBe(true);
    expect(await card.locator('[data-last-seen="in-process"]').textContent()).toContain('in-process');

    const state = (await api('GET', '/v1/state')).body;
    expect(await page.locator('[data-leader]').getAttribute('data-leader')).toBe(state.leader.id);
    for (const f of state.frameworks as Json[]) expect(await page.locator('#fw-h ~ .table-wrap').textContent()).toContain(f.name);
    await screenshot(page, 'cluster');
    expect(problems).toEqual([]);
  }, 20_000);

  it('runs a command from the form and follows it to FINISHED live, without a reload, then shows its stdout', async () => {
    const { page, problems } = await visit('#/tasks');
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));
    await page.getByLabel('Command', { exact: true }).fill('echo hello-from-the-ui; sleep 1');
    await page.getByLabel('Name', { exact: true }).fill('ui-hello');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const link = page.getByRole('status').getByRole('link');
    const id = (await link.textContent())!;
    const row = page.locator(`tr[data-task-id="${id}"]`);
    await row.locator('.badge', { hasText: 'RUNNING' }).waitFor();
    await screenshot(page, 'tasks-running');
    await row.locator('.badge', { hasText: 'FINISHED' }).waitFor();
    expect((await api('GET', `/v1/tasks/${id}`)).body.state).toBe('FINISHED');
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);

    await row.getByRole('link', { name: 'ui-hello' }).click();
    await page.locator('h1 .badge', { hasText: 'FINISHED' }).waitFor();
    await page.locator('pre[data-file="stdout"]', { hasText: 'hello-from-the-ui' }).waitFor();
    const stdout = (await api('GET', `/v1/tasks/${id}/files/stdout`)).body.data as string;
    expect((await page.locator('pre[data-file="stdout"]').textContent())?.trim()).toBe(stdout.trim());
    await screenshot(page, 'task-finished');
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
    expect(problems).toEqual([]);
  }, 20_000);

  it("shows the API's validation message next to the offending field, and whole-request problems above the button", async () => {
    const { page, problems } = await visit('#/tasks');
    await page.getByLabel('Command', { exact: true }).fill('echo never');
    await page.getByLabel('CPUs', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const expected = (await api('POST', '/v1/tasks', { command: 'echo never', cpus: 0, mem: 32 })).body;
    const cpusMessage = (expected.errors as Array<{ field: string; message: string }>).find((e) => e.field === 'body.cpus')!.message;
    const error = page.locator('[data-field-error="run-cpus"]');
    await error.waitFor();
    expect((await error.textContent())?.replace(/^✗\s*/, '')).toBe(cpusMessage);
    const cpus = page.getByLabel('CPUs', { exact: true });
    expect(await cpus.getAttribute('aria-invalid')).toBe('true');
    expect(await cpus.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshot(page, 'form-field-error');

    await cpus.fill('64');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const unsatisfiable = (await api('POST', '/v1/tasks', { command: 'echo never', cpus: 64, mem: 32 })).body;
    expect(unsatisfiable.code).toBe('ORR_ERR_RESOURCES_UNSATISFIABLE');
    const formError = page.locator('[data-field-error="form"]');
    await formError.waitFor();
    expect((await formError.textContent())?.replace(/^✗\s*/, '')).toBe(unsatisfiable.detail);
    expect(await page.locator('[data-field-error="run-cpus"]').count()).toBe(0);
    expect((await api('GET', '/v1/tasks?limit=1000')).body.tasks.some((t: Json) => t.name === 'echo' && t.command.value === 'echo never')).toBe(false);
    expect(problems.filter((p) => !p.includes('status of 4'))).toEqual([]);
  }, 20_000);

  it('kills a running task with the keyboard alone: Tab to Kill, Enter, Enter to confirm', async () => {
    const id = await runTask('sleep 60');
    await waitFor(async () => (await api('GET', `/v1/tasks/${id}`)).body.state === 'RUNNING', { timeoutMs: 10_000, message: 'task running' });
    const { page, problems } = await visit(`#/tasks/${id}`);
    await page.locator('h1 .badge', { hasText: 'RUNNING' }).waitFor();
    let presses = 0;
    const focusedText = (): Promise<string> => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    while ((await focusedText()) !== 'Kill') {
      expect(++presses, 'Kill is reachable with Tab').toBeLessThan(40);
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement!.matches(':focus-visible'))).toBe(true);
    await page.keyboard.press('Enter');
    await waitFor(async () => (await focusedText()) === 'Yes, kill', { message: 'focus on the confirm button' });
    await screenshot(page, 'task-kill-confirm');
    await page.keyboard.press('Enter');
    await page.locator('h1 .badge', { hasText: 'KILLED' }).waitFor();
    expect((await api('GET', `/v1/tasks/${id}`)).body.state).toBe('KILLED');
    expect(problems).toEqual([]);
  }, 20_000);

  it('says when the live connection is lost and when it is back, and refreshes the page without a reload', async () => {
    const { page } = await visit('#/cluster');
    const before = (await api('GET', '/v1/leader')).body.id as string;
    await page.locator(`[data-leader="${before}"]`).waitFor();
    await page.locator('[data-connection="open"]').waitFor({ state: 'attached' });
    await page.evaluate(() => ((window as unknown as { noReload: boolean }).noReload = true));

    const port = new URL(orrery.url).port;
    await orrery.stop();
    await page.getByRole('alert').filter({ hasText: 'Connection to the server lost' }).waitFor();
    await screenshot(page, 'connection-lost');

    orrery = await startTestOrrery(redis.url, { ...CONFIG, port: Number(port) });
    const after = (await api('GET', '/v1/leader')).body.id as string;
    expect(after).not.toBe(before);
    await page.locator('[data-connection="recovered"]').waitFor({ timeout: 15_000 });
    await page.locator(`[data-leader="${after}"]`).waitFor();
    await screenshot(page, 'connection-recovered');
    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true);
  }, 30_000);
});

/**
 * The console's server-backed parts in real headless Chromium against the real platform process:
 * the Clusters search asks the server (debounced) and the table shows each cluster's last
 * operation; Create reviews the plan from `clusters.createPreview` and creates nothing until
 * asked; the fleet overview is drawn from `fleet.overview` (no `clusters.list` paging); a team
 * admin creates a token on the Teams page (shown once, copyable, never stored by the browser)
 * and revokes it there. axe-core on each new state; screenshots to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pulumiCliMissing } from '../support/engine.ts';
import { chromiumMissing, launchChromium, openPage, screenshot, seriousAxeViolations } from './support/browser.ts';
import { startConsolePlatform, waitForClusterStatus, type ConsolePlatform } from './support/console-platform.ts';

const LONG = 300_000;

describe.skipIf(chromiumMissing || pulumiCliMissing)('web console: search, last operation, create plan, overview, tokens', () => {
  let p: ConsolePlatform;
  let browser: Browser;
  let lead: { id: string; token: string };
  const problems: string[] = [];

  beforeAll(async () => {
    p = await startConsolePlatform();
    browser = await launchChromium();
    lead = await p.member('orders', 'olga', 'team-admin');
    const otto = await p.member('other', 'otto');
    await p.api(otto.token).clusters.create.mutate({ name: 'elsewhere', template: 'sim-dev@1', set: ['nodeCount=1'], labels: {} });
    const api = p.api(lead.token);
    for (const name of ['shop-eu', 'shop-us', 'batch']) await api.clusters.create.mutate({ name, template: 'sim-dev@1', set: ['nodeCount=1'], labels: {} });
    await waitForClusterStatus(api, 'orders', 'batch', 'ready');
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await p?.platform.stop('SIGTERM', 30_000);
  });

  async function signIn(token: string, path = '/clusters'): Promise<Page> {
    const { page, problems: mine } = await openPage(browser);
    page.on('close', () => problems.push(...mine));
    await page.goto(`${p.url}${path}`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main h1').first().waitFor();
    return page;
  }
  async function expectAccessible(page: Page, what: string) {
    expect({ what, violations: await seriousAxeViolations(page) }).toEqual({ what, violations: [] });
  }
  const rows = (page: Page) => page.locator('tr[data-cluster]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-cluster')).sort());

  it('the search box asks the server for a name prefix, debounced, and the table shows the last operation', async () => {
    const page = await signIn(lead.token);
    await expect.poll(() => rows(page)).toEqual(['batch', 'shop-eu', 'shop-us']);
    const searches: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/trpc/clusters.list') searches.push(JSON.parse(u.searchParams.get('input') ?? '{}').search ?? '');
    });
    await page.getByLabel('Search names').pressSequentially('SHOP', { delay: 30 });
    await expect.poll(() => rows(page)).toEqual(['shop-eu', 'shop-us']);
    // debounced: one request for the whole word, not one per key
    expect(searches).toEqual(['SHOP']);
    expect(page.url()).toContain('search=SHOP');
    await page.getByLabel('Search names').fill('shop-e');
    await expect.poll(() => rows(page)).toEqual(['shop-eu']);
    await page.getByLabel('Search names').fill('');
    await expect.poll(() => rows(page)).toEqual(['batch', 'shop-eu', 'shop-us']);
    // batch's create has finished: its last operation says so
    const last = page.locator('tr[data-cluster="batch"] td[data-last-operation]');
    expect(await last.getAttribute('data-last-operation')).toBe('create succeeded');
    expect(await last.textContent()).toMatch(/^create succeeded \d+[smhd] ago$/);
    expect(await page.locator('th', { hasText: 'Last operation' }).count()).toBe(1);
    await expectAccessible(page, 'clusters with a search');
    await page.close();
  }, LONG);

  it('Create shows the plan (resources, quota, name) and creates nothing until asked', async () => {
    const page = await signIn(lead.token, '/create');
    await page.getByRole('heading', { name: 'Create a cluster' }).waitFor();
    await page.getByLabel('Template').selectOption('sim-dev@1');
    await page.getByLabel('Name', { exact: true }).fill('planned');
    await page.getByRole('button', { name: 'Review plan' }).click();
    await page.getByRole('heading', { name: 'Plan', exact: true }).waitFor();
    const resources = await page.locator('tr[data-resource]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-resource')));
    expect(resources).toEqual(expect.arrayContaining(['planned', 'control-plane']));
    expect(resources.some((r) => r?.startsWith('pool-'))).toBe(true);
    expect(await page.locator('[data-check="quota"]').textContent()).toMatch(/3 of 20 clusters/);
    expect(await page.locator('[data-check="name"]').textContent()).toMatch(/free/);
    await expectAccessible(page, 'create plan');
    await page.getByRole('heading', { name: 'Plan', exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'create-plan');
    const listed = await p.api(lead.token).clusters.list.query({ search: 'planned' });
    expect(listed.items).toEqual([]);
    // a taken name: the plan says so and the create button is off
    await page.getByLabel('Name', { exact: true }).fill('batch');
    await page.getByRole('button', { name: 'Review plan' }).click();
    await expect.poll(() => page.locator('[data-check="name"]').textContent()).toMatch(/exists/);
    expect(await page.getByRole('button', { name: 'Create cluster' }).isDisabled()).toBe(true);
    await page.close();
  }, LONG);

  it('the fleet overview comes from fleet.overview, not from paging clusters.list', async () => {
    const { page, problems: mine } = await openPage(browser);
    page.on('close', () => problems.push(...mine));
    const calls: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/trpc/')) calls.push(u.pathname.slice('/trpc/'.length));
    });
    await page.goto(`${p.url}/fleet`);
    await page.getByLabel('API token').fill(p.platform.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet overview' }).waitFor();
    const overview = await p.admin.fleet.overview.query({});
    expect(await page.locator('section.overview').getAttribute('data-total')).toBe(String(overview.total));
    expect(overview.total).toBe(4);
    expect(calls).toContain('fleet.overview');
    expect(calls.filter((c) => c.split(',').includes('clusters.list'))).toEqual([]);
    const statusChart = page.locator('figure.chart', { hasText: 'Clusters by status' }).locator('svg');
    expect(await statusChart.getAttribute('aria-label')).toContain(`ready ${overview.statuses.find((s) => s.status === 'ready')?.clusters}`);
    await screenshot(page, 'fleet');
    await page.close();
  }, LONG);

  it('a team admin creates a token on the Teams page (shown once, copyable, not stored) and revokes it', async () => {
    const page = await signIn(lead.token, '/teams');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: p.url });
    await page.getByRole('heading', { name: 'orders: members and tokens' }).waitFor();
    // a team's own overview, from fleet.overview scoped by the API: orders' clusters, not other's
    await page.getByRole('heading', { name: 'Team orders: overview' }).waitFor();
    expect(await page.locator('section.overview').getAttribute('data-total')).toBe('3');
    expect((await p.admin.fleet.overview.query({})).total).toBe(4);
    await page.getByLabel('Subject (who holds it)').fill('Bad Name');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.locator('#token-subject-err').waitFor();
    await page.getByLabel('Subject (who holds it)').fill('ci.orders');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByLabel('new token');
    await secret.waitFor();
    const token = (await secret.textContent())!;
    expect(token).toMatch(/^kaas_/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
    await expectAccessible(page, 'teams with a new token');
    await screenshot(page, 'teams-token');
    // it works, and the browser kept it nowhere
    await expect(p.api(token).clusters.list.query({})).resolves.toMatchObject({ items: expect.any(Array) });
    const stored = (await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + location.href')) as string;
    expect(stored).not.toContain(token);
    const id = (await page.locator('[data-issued]').getAttribute('data-issued'))!;
    await page.getByRole('button', { name: 'Done, hide it' }).click();
    expect(await page.getByText(token).count()).toBe(0);
    // revoke it from the tokens table: the token stops working at once
    await page.getByRole('button', { name: `Revoke token ${id} of ci.orders` }).click();
    await expect.poll(() => page.getByRole('button', { name: `Revoke token ${id} of ci.orders` }).count()).toBe(0);
    await expect(p.api(token).clusters.list.query({})).rejects.toThrow(/revoked|UNAUTHORIZED|token/i);
    await page.close();
  }, LONG);

  it('no page logged a CSP violation or a script error', () => {
    expect(problems).toEqual([]);
  });
});

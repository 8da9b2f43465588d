/**
 * The web console in real headless Chromium against the real platform process on the sim cloud:
 * a member signs in, creates a cluster and watches it become ready over the live stream,
 * updates it (a field error inline, then a valid value), upgrades it (plan first) and deletes it
 * by typing its name; a platform admin plans a two-wave campaign with approval, starts it,
 * another admin approves the second wave (never its creator) and it completes live. A member of another team never sees those
 * clusters in any page or stream; a revoked token's session ends at once. Every page is checked
 * with axe-core (no serious or critical violations) at 1280 px and 390 px, with no CSP violation,
 * and the main actions are reached by keyboard. Screenshots go to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pulumiCliMissing } from '../support/engine.ts';
import { chromiumMissing, DESKTOP, launchChromium, openPage, PHONE, screenshot, seriousAxeViolations, tabTo } from './support/browser.ts';
import { startConsolePlatform, waitForClusterStatus, type ConsolePlatform } from './support/console-platform.ts';

const LONG = 300_000;

describe.skipIf(chromiumMissing || pulumiCliMissing)('web console in chromium', () => {
  let p: ConsolePlatform;
  let browser: Browser;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  const allProblems: string[] = [];

  beforeAll(async () => {
    p = await startConsolePlatform();
    browser = await launchChromium();
    alice = await p.member('payments', 'alice', 'team-admin');
    bob = await p.member('search', 'bob');
  }, LONG);

  afterAll(async () => {
    await browser?.close();
    await p?.platform.stop('SIGTERM', 30_000);
  });

  async function signIn(token: string, viewport = DESKTOP): Promise<Page> {
    const { page, problems } = await openPage(browser, viewport);
    page.on('close', () => allProblems.push(...problems));
    (page as unknown as { problems: string[] }).problems = problems;
    await page.goto(`${p.url}/clusters`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    return page;
  }
  const problemsOf = (page: Page) => (page as unknown as { problems: string[] }).problems;

  async function expectAccessible(page: Page, what: string) {
    const violations = await seriousAxeViolations(page);
    expect({ what, violations }).toEqual({ what, violations: [] });
    expect(problemsOf(page)).toEqual([]);
  }

  it('sign-in keeps the token out of URLs and storage; the session is an HttpOnly cookie', async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${p.url}/`);
    await page.getByLabel('API token').waitFor();
    await expectAccessible(Object.assign(page, { problems }), 'sign-in');
    await screenshot(page, 'sign-in');
    const res = await page.request.get(`${p.url}/`);
    expect(res.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.getByLabel('API token').fill('kaas_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/./);
    await page.getByLabel('API token').fill(alice.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    expect(page.url()).not.toContain(alice.token);
    const stored = (await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie')) as string;
    expect(stored).not.toContain(alice.token);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'kaas_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(problems).toEqual([]);
    await page.close();
  }, LONG);

  it('a member creates a cluster and watches it become ready live', async () => {
    const page = await signIn(alice.token);
    // keyboard: from the clusters page, Tab reaches "Create cluster" and Enter follows it
    expect(await tabTo(page, 'Create cluster')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create a cluster' }).waitFor();
    await page.getByLabel('Template').selectOption('sim-dev@1');
    await page.getByLabel('Name', { exact: true }).fill('web-one');
    await page.getByRole('button', { name: 'Review plan' }).click();
    await page.getByRole('heading', { name: 'Plan', exact: true }).waitFor();
    await expectAccessible(page, 'create (review)');
    await screenshot(page, 'create');
    await page.getByRole('button', { name: 'Create cluster' }).click();
    const log = page.locator('section.op-log');
    await log.waitFor();
    // it streams: the log is live over SSE while the create runs, never the polling fallback
    expect(await log.getAttribute('data-live')).toBe('sse');
    await page.getByText('Cluster web-one is ready.').waitFor({ timeout: LONG });
    expect(await page.locator('section.op-log[data-live="polling"]').count()).toBe(0);
    expect(await log.locator('ol.events li').count()).toBeGreaterThan(3);
    await screenshot(page, 'create-ready');
    await page.close();
  }, LONG);

  it('update shows the API\'s field error inline, then applies a valid value', async () => {
    const page = await signIn(alice.token);
    await page.getByRole('link', { name: 'web-one', exact: true }).click();
    await page.getByRole('heading', { name: /web-one/ }).waitFor();
    await expect.poll(() => page.locator('span.badge.sim').first().textContent()).toBe('simulated');
    await page.getByRole('button', { name: 'Update…' }).click();
    const nodes = page.getByLabel('nodeCount');
    await nodes.fill('99');
    await page.getByRole('button', { name: 'Apply update' }).click();
    const fieldError = page.locator('#param-nodeCount-err');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/5/);
    expect(await nodes.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'cluster update with a field error');
    await screenshot(page, 'cluster-update-error');
    await nodes.fill('3');
    await page.getByRole('button', { name: 'Apply update' }).click();
    await page.getByRole('heading', { name: 'Running operation' }).waitFor();
    await page.locator('h1 .status', { hasText: 'ready' }).waitFor({ timeout: LONG });
    await page.getByRole('heading', { name: 'Running operation' }).waitFor({ state: 'detached', timeout: LONG });
    const { cluster } = await p.api(alice.token).clusters.get.query({ name: 'web-one' });
    expect(cluster.overrides).toMatchObject({ nodeCount: '3' });
    await page.close();
  }, LONG);

  it('upgrade shows the plan steps first, then upgrades', async () => {
    const page = await signIn(alice.token);
    await page.goto(`${p.url}/clusters/payments/web-one`);
    await page.getByRole('button', { name: 'Upgrade…' }).click();
    await page.getByLabel('Target Kubernetes version').fill('1.34');
    expect(await page.getByRole('button', { name: 'Start upgrade' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Show plan' }).click();
    const steps = page.locator('ol.plan-steps li');
    await steps.first().waitFor();
    expect(await steps.allTextContents()).toEqual(expect.arrayContaining(['control plane 1.33 → 1.34']));
    await screenshot(page, 'cluster-upgrade-plan');
    await page.getByRole('button', { name: 'Start upgrade' }).click();
    await page.getByRole('heading', { name: 'Running operation' }).waitFor();
    await page.getByRole('heading', { name: 'Running operation' }).waitFor({ state: 'detached', timeout: LONG });
    await page.locator('.facts > div', { has: page.locator('dt', { hasText: /^Kubernetes$/ }) }).locator('dd', { hasText: /^1\.34$/ }).waitFor();
    await expectAccessible(page, 'cluster page');
    await screenshot(page, 'cluster');
    await page.close();
  }, LONG);

  it('a member of another team sees none of those clusters, in pages or streams', async () => {
    const bobPage = await signIn(bob.token);
    const carolToken = await p.member('payments', 'carol');
    const carolPage = await signIn(carolToken.token);
    expect(await bobPage.locator('[data-rows]').getAttribute('data-rows')).toBe('0');
    // two clusters made through the API while both pages listen to clusters.changes
    const api = p.api(alice.token);
    await api.clusters.create.mutate({ name: 'fleet-a', template: 'sim-dev@1', set: [], labels: {} });
    await api.clusters.create.mutate({ name: 'fleet-b', template: 'sim-dev@1', set: [], labels: {} });
    // the positive control: a member of the same team is told of changes to clusters it has not loaded
    await carolPage.getByText(/change\(s\) to clusters not in this list/).waitFor({ timeout: LONG });
    await waitForClusterStatus(api, 'payments', 'fleet-a', 'ready');
    await waitForClusterStatus(api, 'payments', 'fleet-b', 'ready');
    expect(await bobPage.getByText(/change\(s\) to clusters not in this list/).count()).toBe(0);
    await bobPage.reload();
    await bobPage.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor();
    await expect.poll(() => bobPage.locator('[data-rows]').getAttribute('data-rows')).toBe('0');
    await bobPage.goto(`${p.url}/clusters/payments/web-one`);
    await bobPage.getByRole('alert').waitFor();
    expect(await bobPage.getByRole('heading', { name: /web-one/ }).count()).toBe(0);
    for (const path of ['/fleet', '/audit']) {
      await bobPage.goto(`${p.url}${path}`);
      await bobPage.getByRole('heading', { name: 'Not found' }).waitFor();
    }
    await bobPage.goto(`${p.url}/teams`);
    await bobPage.getByRole('heading', { name: 'search', exact: true }).waitFor();
    // the team's own overview counts only its own clusters (none), never payments'
    await bobPage.getByRole('heading', { name: 'Team search: overview' }).waitFor();
    expect(await bobPage.locator('section.overview').getAttribute('data-total')).toBe('0');
    expect(await bobPage.getByRole('heading', { name: 'payments' }).count()).toBe(0);
    await bobPage.close();
    await carolPage.close();
  }, LONG);

  it('a platform admin plans a two-wave campaign with approval and starts it; another admin approves the second wave', async () => {
    const page = await signIn(p.platform.adminToken);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet', exact: true }).click();
    await page.getByRole('heading', { name: 'Fleet overview' }).waitFor();
    await page.locator('figure.chart svg').first().waitFor();
    await expectAccessible(page, 'fleet');
    await screenshot(page, 'fleet');
    await page.getByLabel('Campaign name').fill('to-1-34');
    await page.getByLabel('Target Kubernetes version').fill('1.34');
    await page.getByLabel('Only clusters of team (optional)').fill('payments');
    await page.getByLabel('Canary clusters').fill('1');
    await page.getByLabel(/Then waves of/).fill('100');
    await page.getByRole('button', { name: 'Plan' }).click();
    const plan = page.getByRole('status', { name: 'Campaign plan' });
    await plan.waitFor();
    expect(await plan.locator('h3').textContent()).toBe('2 cluster(s) to 1.34 in 2 wave(s)');
    // web-one is already at 1.34: skipped, with the reason
    expect(await plan.getByText(/payments\/web-one: /).count()).toBe(1);
    await screenshot(page, 'fleet-plan');
    await page.getByRole('button', { name: 'Start campaign' }).click();
    await page.getByRole('heading', { name: /Campaign to-1-34/ }).waitFor();
    await page.getByRole('button', { name: 'Approve next wave' }).waitFor({ timeout: LONG });
    expect(await page.locator('.badge.live').count()).toBe(1);
    await expectAccessible(page, 'campaign awaiting approval');
    await screenshot(page, 'campaign');
    // its creator cannot approve its own wave (platform/approval-policy.ts): another platform admin does
    const lead = await p.admin.tokens.create.mutate({ subject: 'ops-lead', role: 'platform-admin' });
    const leadPage = await signIn(lead.token);
    await leadPage.goto(page.url());
    await leadPage.getByRole('button', { name: 'Approve next wave' }).click();
    await page.locator('main[data-campaign-status="completed"]').waitFor({ timeout: LONG });
    await leadPage.close();
    for (const name of ['fleet-a', 'fleet-b']) expect(await page.locator(`tr[data-cluster="${name}"] .status`).textContent()).toBe('succeeded');
    await page.close();
  }, LONG);

  it('every main page has no serious axe violation at 1280 px and 390 px', async () => {
    for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      const page = await signIn(p.platform.adminToken, viewport);
      for (const [path, heading, shot] of [
        ['/clusters', 'Clusters', 'clusters'],
        ['/templates', 'Templates', 'templates'],
        ['/teams', 'Teams', 'teams'],
        ['/audit', 'Audit log', 'audit'],
        ['/clusters/payments/fleet-a', /fleet-a/, 'cluster-fleet-a'],
      ] as const) {
        await page.goto(`${p.url}${path}`);
        await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
        await page.getByText(/Loading/).first().waitFor({ state: 'detached' }).catch(() => undefined);
        await expectAccessible(page, `${path} at ${label}`);
        if (label === 'desktop' || path === '/clusters') await screenshot(page, label === 'desktop' ? shot : `${shot}-390`);
        // nothing wider than the screen except inside the scrollable tables
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect({ path, label, overflow }).toEqual({ path, label, overflow: 0 });
      }
      await page.close();
    }
  }, LONG);

  it('a member deletes a cluster by typing its name, reached by keyboard', async () => {
    const page = await signIn(alice.token);
    await page.goto(`${p.url}/clusters/payments/web-one`);
    await page.getByRole('heading', { name: /web-one/ }).waitFor();
    expect(await tabTo(page, 'Delete…', 80)).toBe(true);
    await page.keyboard.press('Enter');
    const confirm = page.getByLabel(/Type web-one to confirm/);
    expect(await page.getByRole('button', { name: 'Delete cluster' }).isDisabled()).toBe(true);
    await confirm.fill('web-on');
    expect(await page.getByRole('button', { name: 'Delete cluster' }).isDisabled()).toBe(true);
    await confirm.fill('web-one');
    await page.getByRole('button', { name: 'Delete cluster' }).click();
    await page.locator('h1 .status', { hasText: 'deleted' }).waitFor({ timeout: LONG });
    await page.close();
  }, LONG);

  it('revoking the token ends its open session at once, without a click', async () => {
    const dave = await p.member('payments', 'dave');
    const page = await signIn(dave.token);
    await p.admin.tokens.revoke.mutate({ id: dave.id });
    // the open clusters.changes stream ends with UNAUTHORIZED: the console shows the sign-in form
    await page.getByLabel('API token').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').first().textContent()).toMatch(/session ended/);
    const res = await page.request.get(`${p.url}/auth/session`);
    expect(res.status()).toBe(401);
    await page.close();
  }, LONG);

  it('no page logged a CSP violation or a script error', () => {
    expect(allProblems).toEqual([]);
  });
});

/**
 * The console's "Sign in with SSO" in real headless Chromium: the sign-in page offers it when the
 * platform has SSO (and passes axe), the browser goes to the in-process OpenID provider
 * (tests/support/oidc-provider.ts) and back through /auth/sso/callback, and lands on the console
 * signed in with the role its groups map to, the session an HttpOnly cookie; a person whose groups
 * map to nothing sees the refusal naming them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../api/config.ts';
import { createLogger } from '../../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../../api/platform-process.ts';
import { buildWeb } from '../../scripts/build-web.ts';
import { createEmptyDatabase } from '../support/database.ts';
import { AUDIENCE, CLIENT_ID, startOidcProvider, type TestProvider } from '../support/oidc-provider.ts';
import { chromiumMissing, launchChromium, openPage, seriousAxeViolations } from './support/browser.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(chromiumMissing)('console sign-in with SSO in chromium', () => {
  let home: string;
  let platform: RunningPlatform;
  let idp: TestProvider;
  let browser: Browser;
  const admin = (p: string, body: unknown) => fetch(`${platform.url}/trpc/${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.adminToken}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    await buildWeb(root);
    idp = await startOidcProvider({ gina: { email: 'gina@example.test', groups: ['eng-payments'] }, hal: { email: 'hal@example.test', groups: ['sales'] } });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-sso-web-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api', KAAS_OIDC_ISSUER: idp.issuer, KAAS_OIDC_CLIENT_ID: CLIENT_ID, KAAS_OIDC_AUDIENCE: AUDIENCE });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    expect((await admin('teams.create', { name: 'payments' })).status).toBe(200);
    expect((await admin('sso.rules.add', { group: 'eng-payments', role: 'team-admin', team: 'payments' })).status).toBe(200);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await idp?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('offers SSO on the sign-in page and signs in through the provider into the console', async () => {
    idp.browserAccount = 'gina';
    const { page, problems } = await openPage(browser);
    await page.goto(`${platform.url}/`);
    const sso = page.getByRole('link', { name: 'Sign in with SSO' });
    await sso.waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await sso.click();
    await page.getByRole('heading', { name: 'Clusters', level: 1 }).waitFor({ timeout: 60_000 });
    const cookies = await page.context().cookies(platform.url);
    expect(cookies.find((c) => c.name === 'kaas_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const who = (await page.evaluate(`fetch('/auth/session').then((r) => r.json())`)) as unknown;
    expect(who).toEqual({ user: { subject: 'gina@example.test' }, teams: ['payments'], role: 'team-admin', groups: ['eng-payments'] });
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows a person with no mapped group the refusal, naming the groups', async () => {
    idp.browserAccount = 'hal';
    const { page } = await openPage(browser);
    await page.goto(`${platform.url}/`);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.getByRole('alert').waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').textContent()).toContain('hal@example.test signed in, but none of their groups is mapped to a kaas role (groups in the token\'s "groups" claim: "sales")');
    expect((await page.context().cookies(platform.url)).some((c) => c.name === 'kaas_session')).toBe(false);
  }, 120_000);
});

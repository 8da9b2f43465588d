/**
 * `kaas login --sso` through the CLI's own program against a real OpenID provider in-process
 * (tests/support/oidc-provider.ts) and a real platform: the device flow (the test approves the
 * printed user code as the person would at the provider), the authorization code + PKCE loopback
 * flow (the test plays the browser), the saved context (mode 0600), the refresh of an expired
 * token, a removed group refusing the next command, `kaas sso-rules` and its refusals.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { readConfig } from '../cli/config.ts';
import { run } from '../cli/program.ts';
import { createEmptyDatabase } from './support/database.ts';
import { AUDIENCE, CLIENT_ID, startOidcProvider, type TestProvider } from './support/oidc-provider.ts';

describe('kaas login --sso', () => {
  let home: string;
  let platform: RunningPlatform;
  let idp: TestProvider;
  let configFile: string;

  /** Runs the CLI; `onStderr` sees stderr as it grows (to act on a printed code or URL). */
  const kaas = async (argv: string[], onStderr?: (text: string) => void) => {
    let stdout = '';
    let stderr = '';
    const code = await run(argv, {
      stdout: (t) => void (stdout += t),
      stderr: (t) => {
        stderr += t;
        onStderr?.(stderr);
      },
      env: { KAAS_CONFIG: configFile, HOME: home },
      stdinIsTTY: false,
    });
    return { code, stdout, stderr };
  };
  /** The device flow's person: approves the user code once the CLI prints it. */
  const approveAs = (account: string) => {
    let done = false;
    return (text: string) => {
      const code = /enter the code (\S+)/.exec(text)?.[1];
      if (code && !done) {
        done = true;
        void idp.approveDevice(code, account);
      }
    };
  };
  /** The browser: opens the printed authorization URL, goes through the provider and back to the CLI's loopback. */
  const browserAs = (account: string) => {
    let done = false;
    return (text: string) => {
      const url = /^\s+(http\S+)$/m.exec(text)?.[1];
      if (url && !done) {
        done = true;
        idp.browserAccount = account;
        void idp.authorize(url).then((back) => fetch(back));
      }
    };
  };

  beforeAll(async () => {
    idp = await startOidcProvider({
      dana: { email: 'dana@example.test', groups: ['eng-payments'] },
      erin: { email: 'erin@example.test', groups: ['kaas-admins'] },
      finn: { email: 'finn@example.test', groups: ['contractors'] },
    });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-sso-cli-'));
    configFile = path.join(home, 'config', 'kaas.json');
    const config = loadConfig({ KAAS_HOME: path.join(home, 'platform'), PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api', KAAS_OIDC_ISSUER: idp.issuer, KAAS_OIDC_CLIENT_ID: CLIENT_ID, KAAS_OIDC_AUDIENCE: AUDIENCE });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    const admin = ['--url', platform.url!, '--token', platform.adminToken!];
    expect((await kaas(['teams', 'create', 'payments', ...admin])).code).toBe(0);
    const added = await kaas(['sso-rules', 'add', '--group', 'eng-payments', '--role', 'team-admin', '--team', 'payments', ...admin]);
    expect(added.stdout).toContain('group "eng-payments" → team-admin of team payments');
    expect((await kaas(['sso-rules', 'add', '--group', 'kaas-admins', '--role', 'platform-admin', ...admin])).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await platform?.stop();
    await idp?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('signs in with the device flow: prints the URL and code, saves the tokens (0600), and the next commands act as the mapped team admin', async () => {
    const login = await kaas(['login', '--sso', '--url', platform.url!, '--context', 'dana'], approveAs('dana'));
    expect(login.stderr, login.stderr).toMatch(new RegExp(`open ${idp.issuer}/device in a browser and enter the code \\S+`));
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('logged in to');
    expect(login.stdout).toContain('with SSO as dana@example.test (team-admin, team payments)');
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    const saved = readConfig(configFile)!.contexts.dana!;
    expect(saved.sso).toMatchObject({ issuer: idp.issuer, clientId: CLIENT_ID, audience: AUDIENCE });
    expect(saved.sso!.refreshToken).toBeTruthy();
    const me = await kaas(['whoami', '-o', 'json']);
    expect(JSON.parse(me.stdout)).toMatchObject({ subject: 'dana@example.test', role: 'team-admin', team: 'payments', groups: expect.arrayContaining(['eng-payments']) });
    expect((await kaas(['clusters', 'list'])).code).toBe(0);
  }, 60_000);

  it('refreshes an expired token with the refresh token; after the group is removed, the refreshed token is refused', async () => {
    idp.tokenTtlSeconds = 30; // under a minute, so the CLI renews it; long enough to outlast a slow login on a loaded machine
    expect((await kaas(['login', '--sso', '--url', platform.url!, '--context', 'dana-short'], approveAs('dana'))).code).toBe(0);
    idp.tokenTtlSeconds = 600;
    const before = readConfig(configFile)!.contexts['dana-short']!;
    // the CLI renews a token that expires within a minute: this one already has
    const me = await kaas(['whoami', '-o', 'json']);
    expect(me.code, me.stderr).toBe(0);
    const after = readConfig(configFile)!.contexts['dana-short']!;
    expect(after.token).not.toBe(before.token);
    expect(new Date(after.sso!.expiresAt).getTime()).toBeGreaterThan(Date.now() + 300_000);
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);

    // a short-lived sign-in again; then the provider drops dana from the mapped group: the next
    // command renews the (expiring) token, whose groups no longer map
    idp.tokenTtlSeconds = 30;
    expect((await kaas(['login', '--sso', '--url', platform.url!, '--context', 'dana-short'], approveAs('dana'))).code).toBe(0);
    idp.tokenTtlSeconds = 600;
    idp.people.get('dana')!.groups = ['contractors'];
    const refused = await kaas(['whoami']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('none of their groups is mapped to a kaas role');
    expect(refused.stderr).toContain('"contractors"');
    idp.people.get('dana')!.groups = ['eng-payments'];
  }, 60_000);

  it('refuses a person with no mapped group at login, naming the groups, and saves nothing', async () => {
    const login = await kaas(['login', '--sso', '--url', platform.url!, '--context', 'finn'], approveAs('finn'));
    expect(login.code).toBe(4);
    expect(login.stderr).toContain('finn@example.test signed in, but none of their groups is mapped to a kaas role');
    expect(login.stderr).toContain('"contractors"');
    expect(login.stderr).toContain('kaas sso-rules add');
    expect(readConfig(configFile)!.contexts.finn).toBeUndefined();
  }, 60_000);

  it('signs in with --pkce through a loopback redirect', async () => {
    const login = await kaas(['login', '--sso', '--pkce', '--url', platform.url!, '--context', 'erin'], browserAs('erin'));
    expect(login.stderr).toContain('open this URL in a browser on this machine');
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('with SSO as erin@example.test (platform-admin)');
    const rules = await kaas(['sso-rules', 'list']);
    expect(rules.code, rules.stderr).toBe(0);
    expect(rules.stdout).toMatch(/eng-payments\s+team-admin\s+payments/);
    expect(rules.stdout).toMatch(/kaas-admins\s+platform-admin\s+-/);
  }, 60_000);

  it('refuses a team admin managing the group rules', async () => {
    const refused = await kaas(['sso-rules', 'add', '--group', 'contractors', '--role', 'platform-admin', '--context', 'dana']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/platform admin/i);
    expect((await kaas(['sso-rules', 'list', '--context', 'dana'])).code).toBe(4);
  }, 60_000);

  it('refuses --pkce without --sso', async () => {
    expect((await kaas(['login', '--pkce', '--url', platform.url!])).stderr).toContain('--pkce is a way to sign in with --sso');
  });
});

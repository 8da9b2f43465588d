/**
 * Single sign-on against a real OpenID provider in-process (tests/support/oidc-provider.ts):
 * bearer OIDC tokens on the API mapped through the group rules, the refusals (expired, wrong
 * audience, unknown signing key, no matching group, a non-admin managing rules), key rotation
 * followed through a JWKS re-fetch, a removed group changing access on the next request, and the
 * console's authorization code + PKCE sign-in ending in a session bound to the ID token's expiry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';
import { AUDIENCE, CLIENT_ID, OTHER_CLIENT_ID, startOidcProvider, type TestProvider } from './support/oidc-provider.ts';

type Answer = { status: number; data?: any; error?: { message: string; data: { kaas: { code: string; hint: string } } } };

describe('OIDC single sign-on', () => {
  let home: string;
  let platform: RunningPlatform;
  let idp: TestProvider;
  const url = (p: string) => `${platform.url}${p}`;
  const call = async (p: string, init: { token?: string; cookie?: string; csrf?: string; body?: unknown; input?: unknown } = {}): Promise<Answer> => {
    const res = await fetch(url(`/trpc/${p}${init.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(init.input))}`}`), {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.csrf ? { 'x-kaas-csrf': init.csrf } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const json = (await res.json()) as { result?: { data: unknown }; error?: Answer['error'] };
    return { status: res.status, data: json.result?.data, ...(json.error ? { error: json.error } : {}) };
  };
  const admin = (p: string, body?: unknown) => call(p, { token: platform.adminToken!, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    idp = await startOidcProvider({
      alice: { email: 'alice@example.test', groups: ['eng-payments', 'everyone'] },
      bob: { email: 'bob@example.test', groups: ['everyone'] },
      carol: { email: 'carol@example.test', groups: ['kaas-admins'] },
    });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-sso-'));
    const config = loadConfig({
      KAAS_HOME: home,
      PORT: '0',
      KAAS_LOG_LEVEL: 'silent',
      DATABASE_URL: await createEmptyDatabase(),
      KAAS_ROLE: 'api',
      KAAS_OIDC_ISSUER: idp.issuer,
      KAAS_OIDC_CLIENT_ID: CLIENT_ID,
      KAAS_OIDC_AUDIENCE: AUDIENCE,
      KAAS_OIDC_JWKS_COOLDOWN_SECONDS: '0',
    });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    expect((await admin('teams.create', { name: 'payments' })).status).toBe(200);
    expect((await admin('sso.rules.add', { group: 'eng-payments', role: 'team-admin', team: 'payments' })).status).toBe(200);
    expect((await admin('sso.rules.add', { group: 'kaas-admins', role: 'platform-admin' })).status).toBe(200);
  });
  afterAll(async () => {
    await platform?.stop();
    await idp?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('tells anyone the issuer and client id to sign in with, and no secret', async () => {
    const res = await fetch(url('/auth/sso/config'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ enabled: true, issuer: idp.issuer, clientId: CLIENT_ID, audience: AUDIENCE, scopes: 'openid email profile groups offline_access' });
  });

  it('maps a signed-in person\'s groups to a team and role: their JWT access token and their ID token both work', async () => {
    const tokens = await idp.tokensFor('alice');
    expect(tokens.access_token.split('.')).toHaveLength(3);
    for (const token of [tokens.access_token, tokens.id_token!]) {
      const me = await call('whoami', { token });
      // the groups come along: approval rules may name them (api/approvals/decide-approval.ts)
      expect(me.data).toEqual({ subject: 'alice@example.test', role: 'team-admin', team: 'payments', groups: ['eng-payments', 'everyone'] });
    }
    expect((await call('clusters.list', { token: tokens.access_token, input: {} })).status).toBe(200);
    const adminTokens = await idp.tokensFor('carol');
    expect((await call('whoami', { token: adminTokens.access_token })).data).toEqual({ subject: 'carol@example.test', role: 'platform-admin', team: null, groups: ['kaas-admins'] });
    // an API token has no groups
    expect((await call('whoami', { token: platform.adminToken! })).data).toMatchObject({ role: 'platform-admin', groups: [] });
  });

  it('refuses a person none of whose groups is mapped, naming the groups it saw and the fix', async () => {
    const tokens = await idp.tokensFor('bob');
    const answer = await call('whoami', { token: tokens.access_token });
    expect(answer.status).toBe(403);
    expect(answer.error!.message).toContain('bob@example.test signed in, but none of their groups is mapped to a kaas role');
    expect(answer.error!.message).toContain('"everyone"');
    expect(answer.error!.data.kaas.hint).toContain('kaas sso-rules add --group GROUP');
  });

  it('refuses an expired token', async () => {
    // 5 s: long enough to be seen valid first on a loaded machine; then wait for its own `exp`
    idp.tokenTtlSeconds = 5;
    const tokens = await idp.tokensFor('alice');
    idp.tokenTtlSeconds = 600;
    expect((await call('whoami', { token: tokens.access_token })).status).toBe(200);
    const exp = (JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number }).exp;
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1100));
    const answer = await call('whoami', { token: tokens.access_token });
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toMatch(/^the SSO token expired at /);
    expect(answer.error!.data.kaas.hint).toContain('kaas login --sso');
  });

  it('refuses a token issued for another audience (another client\'s ID token)', async () => {
    const tokens = await idp.tokensFor('alice', OTHER_CLIENT_ID);
    const answer = await call('whoami', { token: tokens.id_token! });
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toContain(`the SSO token is for audience "${OTHER_CLIENT_ID}", not kaas`);
  });

  it('follows a key rotation: new tokens verify after a JWKS re-fetch; old-key and unknown-key tokens are refused', async () => {
    const before = await idp.tokensFor('alice');
    expect((await call('whoami', { token: before.access_token })).status).toBe(200);
    await idp.rotateKeys();
    const after = await idp.tokensFor('alice');
    expect(JSON.parse(Buffer.from(after.access_token.split('.')[0]!, 'base64url').toString()).kid).not.toBe(JSON.parse(Buffer.from(before.access_token.split('.')[0]!, 'base64url').toString()).kid);
    expect((await call('whoami', { token: after.access_token })).data).toMatchObject({ subject: 'alice@example.test', role: 'team-admin' });
    const old = await call('whoami', { token: before.access_token });
    expect(old.status).toBe(401);
    expect(old.error!.message).toContain('signed with a key the identity provider does not publish');
    const forged = await idp.signWithUnknownKey({ sub: 'alice', aud: AUDIENCE, groups: ['kaas-admins'] });
    const answer = await call('whoami', { token: forged });
    expect(answer.status).toBe(401);
    expect(answer.error!.message).toContain('unknown key id');
  });

  it('changes access when the provider\'s groups change: the next token carries the new groups', async () => {
    idp.people.get('alice')!.groups = ['eng-payments', 'kaas-admins'];
    expect((await call('whoami', { token: (await idp.tokensFor('alice')).access_token })).data).toMatchObject({ role: 'platform-admin' });
    idp.people.get('alice')!.groups = ['everyone'];
    const removed = await call('whoami', { token: (await idp.tokensFor('alice')).access_token });
    expect(removed.status).toBe(403);
    expect(removed.error!.message).toContain('"everyone"');
    idp.people.get('alice')!.groups = ['eng-payments', 'everyone'];
  });

  it('lets only platform admins manage the group rules, and a removed rule takes access away on the next request', async () => {
    const alice = (await idp.tokensFor('alice')).access_token;
    for (const [p, body] of [['sso.rules.add', { group: 'x', role: 'member', team: 'payments' }], ['sso.rules.remove', { id: 'r000000000000' }]] as const) {
      const answer = await call(p, { token: alice, body });
      expect(answer.status, p).toBe(403);
    }
    expect((await call('sso.rules.list', { token: alice })).status).toBe(403);
    const added = await admin('sso.rules.add', { group: 'everyone', role: 'member', team: 'payments' });
    const bob = (await idp.tokensFor('bob')).access_token;
    expect((await call('whoami', { token: bob })).data).toEqual({ subject: 'bob@example.test', role: 'member', team: 'payments', groups: ['everyone'] });
    expect((await admin('sso.rules.add', { group: 'everyone', role: 'member', team: 'payments' })).error!.message).toContain('a rule already maps group "everyone"');
    expect((await admin('sso.rules.add', { group: 'y', role: 'member' })).error!.message).toContain('needs the team');
    expect((await admin('sso.rules.remove', { id: added.data.id })).status).toBe(200);
    expect((await call('whoami', { token: bob })).status).toBe(403);
    const list = await admin('sso.rules.list');
    expect(list.data.map((r: { group: string; role: string; team: string | null }) => [r.group, r.role, r.team])).toEqual([['eng-payments', 'team-admin', 'payments'], ['kaas-admins', 'platform-admin', null]]);
  });

  describe('the console', () => {
    const consoleSignIn = async () => {
      const start = await fetch(url('/auth/sso/start'), { redirect: 'manual' });
      expect(start.status).toBe(302);
      const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith('kaas_sso='))!;
      expect(flowCookie).toContain('HttpOnly');
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      const back = await idp.authorize(authorize.href);
      expect(back.pathname).toBe('/auth/sso/callback');
      return fetch(url(`${back.pathname}${back.search}`), { headers: { cookie: flowCookie.split(';')[0]! } });
    };
    const sessionOf = (res: Response) => {
      const cookies = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
      return { cookie: `kaas_session=${cookies.get('kaas_session')}; kaas_csrf=${cookies.get('kaas_csrf')}`, csrf: cookies.get('kaas_csrf')! };
    };

    it('signs in through the provider (authorization code + PKCE) into an HttpOnly session with the mapped role', async () => {
      idp.browserAccount = 'alice';
      const res = await consoleSignIn();
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('kaas_session='))).toMatch(/HttpOnly/);
      const session = sessionOf(res);
      const who = await fetch(url('/auth/session'), { headers: { cookie: session.cookie } });
      expect(await who.json()).toEqual({ user: { subject: 'alice@example.test' }, teams: ['payments'], role: 'team-admin', groups: ['eng-payments', 'everyone'] });
      expect((await call('clusters.list', { cookie: session.cookie, input: {} })).status).toBe(200);
      // the console session acts with the sign-in's groups, as a bearer token does (approval rules name groups)
      expect((await call('whoami', { cookie: session.cookie })).data).toEqual({ subject: 'alice@example.test', role: 'team-admin', team: 'payments', groups: ['eng-payments', 'everyone'] });
      // the session's token is listed (created by sso) and signing out revokes it
      const listed = () => call('tokens.list', { token: platform.adminToken!, input: { team: 'payments', includeInactive: true } });
      const mine = (await listed()).data.items.filter((t: { subject: string; createdBy: string }) => t.subject === 'alice@example.test' && t.createdBy === 'sso');
      expect(mine.map((t: { status: string }) => t.status)).toContain('active');
      expect((await fetch(url('/auth/session'), { method: 'DELETE', headers: { cookie: session.cookie } })).status).toBe(204);
      const after = (await listed()).data.items.filter((t: { id: string }) => mine.some((m: { id: string }) => m.id === t.id));
      expect(after.map((t: { status: string }) => t.status)).toEqual(mine.map(() => 'revoked'));
    });

    it('refuses a person with no mapped group with a page naming the groups and the fix', async () => {
      idp.browserAccount = 'bob';
      const res = await consoleSignIn();
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).toContain('none of their groups is mapped');
      expect(body).toContain('&#34;everyone&#34;');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('kaas_session='))).toBe(false);
    });

    it('ends the session when the ID token expires; after the group is removed the next sign-in is refused', async () => {
      idp.browserAccount = 'alice';
      // 5 s: long enough to be seen signed in first on a loaded machine
      idp.tokenTtlSeconds = 5;
      const signedInAt = Date.now();
      const session = sessionOf(await consoleSignIn());
      idp.tokenTtlSeconds = 600;
      expect((await fetch(url('/auth/session'), { headers: { cookie: session.cookie } })).status).toBe(200);
      idp.people.get('alice')!.groups = ['everyone'];
      await new Promise((r) => setTimeout(r, Math.max(0, signedInAt + 6500 - Date.now())));
      expect((await fetch(url('/auth/session'), { headers: { cookie: session.cookie } })).status).toBe(401);
      expect((await call('whoami', { cookie: session.cookie })).status).toBe(401);
      expect((await consoleSignIn()).status).toBe(403);
      idp.people.get('alice')!.groups = ['eng-payments', 'everyone'];
    });

    it('refuses a callback whose state was not started by this browser', async () => {
      const res = await fetch(url('/auth/sso/callback?code=x&state=y'));
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('this sign-in was not started here');
    });
  });
});

/**
 * The web console over real HTTP: static assets with SPA fallback and security headers, sign-in
 * with an API token that becomes an HttpOnly session cookie, cookie auth on tRPC with a CSRF
 * check on mutations, and a revoked token ending its session at once.
 * Headers per the console contract (web/CONTRACT.md); CSP directives per
 * https://www.w3.org/TR/CSP3/ (frame-ancestors, base-uri, form-action).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The cookies a response sets, by name: value and attributes. */
function setCookies(res: Response): Map<string, { value: string; attrs: string[] }> {
  const out = new Map<string, { value: string; attrs: string[] }>();
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    out.set(pair!.slice(0, eq), { value: pair!.slice(eq + 1), attrs });
  }
  return out;
}

describe('the web console over HTTP', () => {
  let home: string;
  let webDir: string;
  let platform: RunningPlatform;
  const url = (p: string) => `${platform.url}${p}`;
  const trpc = (p: string, init: { token?: string; cookie?: string; csrf?: string; body?: unknown; input?: unknown } = {}) =>
    fetch(url(`/trpc/${p}${init.input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(init.input))}`}`), {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.csrf ? { 'x-kaas-csrf': init.csrf } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const newToken = async (body: Record<string, unknown>) => {
    const r = await trpc('tokens.create', { token: platform.adminToken!, body });
    expect(r.status).toBe(200);
    return ((await r.json()) as { result: { data: { id: string; token: string } } }).result.data;
  };
  const signIn = async (token: string) => {
    const res = await fetch(url('/auth/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(res.status).toBe(204);
    const cookies = setCookies(res);
    const session = cookies.get('kaas_session')!.value;
    const csrf = cookies.get('kaas_csrf')!.value;
    return { cookie: `kaas_session=${session}; kaas_csrf=${csrf}`, csrf, cookies };
  };

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-console-'));
    webDir = path.join(home, 'web');
    fs.mkdirSync(path.join(webDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/main-ABC123.js"></script></head><body><div id="root"></div></body></html>');
    fs.writeFileSync(path.join(webDir, 'assets', 'main-ABC123.js'), 'console.log("kaas");');
    fs.writeFileSync(path.join(webDir, 'assets', 'main-ABC123.css'), 'body{}');
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api', KAAS_WEB_DIR: webDir });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await trpc('teams.create', { token: platform.adminToken!, body: { name: 'payments' } });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves index.html at / and for unknown client-side routes, with the security headers and no-store', async () => {
    for (const p of ['/', '/clusters/web', '/fleet/campaigns/c1?tab=waves']) {
      const res = await fetch(url(p));
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('<div id="root">');
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('serves hashed assets with their type and a long immutable cache; a missing asset is 404, not index.html', async () => {
    const js = await fetch(url('/assets/main-ABC123.js'));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toContain('kaas');
    expect((await fetch(url('/assets/main-ABC123.css'))).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await fetch(url('/assets/nope-XYZ.js'))).status).toBe(404);
  });

  it('never serves a file outside the console directory', async () => {
    fs.writeFileSync(path.join(home, 'secret.txt'), 'TOP-SECRET-CONTENT');
    for (const p of ['/../secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/%00.js']) {
      const res = await fetch(url(p));
      expect(await res.text(), p).not.toContain('TOP-SECRET-CONTENT');
    }
  });

  it('leaves the API paths to the API', async () => {
    expect(await (await fetch(url('/healthz'))).text()).toBe('ok\n');
    expect((await fetch(url('/version'))).headers.get('content-type')).toMatch(/json/);
    const api = await fetch(url('/trpc/whoami'));
    expect(api.status).toBe(401);
    // API answers (a kubeconfig among them) are never cached
    expect(api.headers.get('cache-control')).toBe('no-store');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(url('/auth/nothing'))).status).toBe(404);
  });

  it('signs in with a token: an HttpOnly SameSite=Strict session cookie and a JS-readable CSRF cookie; GET /auth/session tells who', async () => {
    const { token } = await newToken({ subject: 'alice', role: 'member', team: 'payments' });
    const { cookie, cookies } = await signIn(token);
    const session = cookies.get('kaas_session')!;
    expect(session.attrs).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(session.attrs).not.toContain('Secure'); // plain http here
    expect(session.value).not.toContain(token);
    const csrf = cookies.get('kaas_csrf')!;
    expect(csrf.attrs).toEqual(expect.arrayContaining(['SameSite=Strict', 'Path=/']));
    expect(csrf.attrs).not.toContain('HttpOnly');
    const who = await fetch(url('/auth/session'), { headers: { cookie } });
    expect(who.status).toBe(200);
    expect(who.headers.get('cache-control')).toBe('no-store');
    expect(await who.json()).toEqual({ user: { subject: 'alice' }, teams: ['payments'], role: 'member', groups: [] });
    // the token itself is stored nowhere but as the hash the tokens table already had
    const rows = await platform.services.db.selectFrom('sessions').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(session.value);
  });

  it('marks the cookies Secure when served over https (behind a TLS-terminating proxy)', async () => {
    const { token } = await newToken({ subject: 'tls-user', role: 'member', team: 'payments' });
    const res = await fetch(url('/auth/session'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ token }) });
    expect(res.status).toBe(204);
    const cookies = setCookies(res);
    expect(cookies.get('kaas_session')!.attrs).toContain('Secure');
    expect(cookies.get('kaas_csrf')!.attrs).toContain('Secure');
  });

  it('refuses a bad sign-in with 401 and a clear message, and a body that is not JSON {token} with 400', async () => {
    const bad = await fetch(url('/auth/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'kaas_notarealtokennotarealtoken' }) });
    expect(bad.status).toBe(401);
    expect(bad.headers.getSetCookie()).toEqual([]);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/token/);
    const form = await fetch(url('/auth/session'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(form.status).toBe(415);
    const extra = await fetch(url('/auth/session'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x', admin: true }) });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { error: { message: string } }).error.message).toMatch(/admin/);
    expect((await fetch(url('/auth/session'))).status).toBe(401);
  });

  it('the cookie authenticates tRPC with the same authorization; mutations need the CSRF header', async () => {
    const { token } = await newToken({ subject: 'bob', role: 'member', team: 'payments' });
    const { cookie, csrf } = await signIn(token);
    const who = await trpc('whoami', { cookie });
    expect(who.status).toBe(200);
    expect(((await who.json()) as { result: { data: unknown } }).result.data).toEqual({ subject: 'bob', role: 'member', team: 'payments', groups: [] });
    // same authorization as the token: a member may not create teams
    const denied = await trpc('teams.create', { cookie, csrf, body: { name: 'other' } });
    expect(denied.status).toBe(403);
    // without the header, or with a wrong one: 403 naming the header, and nothing runs
    for (const header of [undefined, 'wrong']) {
      const res = await trpc('tokens.create', { cookie, ...(header ? { csrf: header } : {}), body: { subject: 'sneaky', team: 'payments' } });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/x-kaas-csrf/);
    }
    expect(await platform.services.db.selectFrom('tokens').select('id').where('subject', '=', 'sneaky').execute()).toEqual([]);
    // a CSRF value from another session does not match this one
    const other = await signIn(token);
    expect((await trpc('whoami', { cookie: `kaas_session=${cookie.split(';')[0]!.split('=')[1]}` })).status).toBe(200); // queries need none
    const mixed = await trpc('clusters.drift', { cookie: `kaas_session=${cookie.split(';')[0]!.split('=')[1]}; kaas_csrf=${other.csrf}`, csrf: other.csrf, body: { name: 'nope' } });
    expect(mixed.status).toBe(403);
    // with the right header the mutation runs (and is refused on its merits: no such cluster)
    const ok = await trpc('clusters.drift', { cookie, csrf, body: { name: 'nope' } });
    expect(ok.status).toBe(404);
  });

  it('sign-in and sign-out write audit rows; expired sessions are cleared away at the next sign-in', async () => {
    const { id, token } = await newToken({ subject: 'dave', role: 'member', team: 'payments' });
    const db = platform.services.db;
    await db.insertInto('sessions').values({ id: 'sexpired00000', secret_hash: 'x'.repeat(64), csrf_hash: 'y'.repeat(64), token_id: id, expires_at: new Date(Date.now() - 1000) }).execute();
    const { cookie } = await signIn(token);
    expect(await db.selectFrom('sessions').select('id').where('id', '=', 'sexpired00000').execute()).toEqual([]);
    expect((await fetch(url('/auth/session'), { method: 'DELETE', headers: { cookie } })).status).toBe(204);
    const rows = await db.selectFrom('audit').select(['action', 'result']).where('actor', '=', 'dave').orderBy('at').execute();
    expect(rows).toEqual([
      { action: 'auth.signIn', result: 'ok' },
      { action: 'auth.signOut', result: 'ok' },
    ]);
  });

  it('a revoked token ends its session at once; signing out ends it too', async () => {
    const { id, token } = await newToken({ subject: 'carol', role: 'member', team: 'payments' });
    const first = await signIn(token);
    const second = await signIn(token);
    expect((await trpc('whoami', { cookie: first.cookie })).status).toBe(200);
    const out = await fetch(url('/auth/session'), { method: 'DELETE', headers: { cookie: first.cookie } });
    expect(out.status).toBe(204);
    expect(setCookies(out).get('kaas_session')!.attrs).toEqual(expect.arrayContaining(['Max-Age=0']));
    expect((await trpc('whoami', { cookie: first.cookie })).status).toBe(401);
    expect((await trpc('whoami', { cookie: second.cookie })).status).toBe(200);
    expect((await trpc('tokens.revoke', { token: platform.adminToken!, body: { id } })).status).toBe(200);
    expect((await trpc('whoami', { cookie: second.cookie })).status).toBe(401);
    expect((await fetch(url('/auth/session'), { headers: { cookie: second.cookie } })).status).toBe(401);
  });
});

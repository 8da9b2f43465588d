/**
 * Single sign-on over plain HTTP. `GET /auth/sso/config` is public: the issuer, client id,
 * audience and scopes the CLI and console start a sign-in with (no secret). The console's sign-in: `GET /auth/sso/start` sends the browser to the identity provider
 * (authorization code + PKCE, with state and nonce kept in a short-lived HttpOnly cookie), and
 * `GET /auth/sso/callback` exchanges the code, verifies the ID token, maps its groups through the
 * group rules and opens a console session through `createSession`. The session is bound to the ID
 * token's lifetime: kaas issues an API token for the person (subject from the ID token, created by
 * `sso`, carrying the groups the ID token named, for approval rules) that expires when the ID
 * token does, and the session ends with it. So a person whose
 * groups changed at the provider keeps the access of their sign-in at most until their ID token
 * expires (typically an hour); the next sign-in reads the new groups. Revoking that token
 * (`kaas tokens revoke`) ends the session at once; signing out revokes it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as client from 'openid-client';
import { DomainError, hintOf } from '../../platform/errors.ts';
import { writeAudit } from '../audit.ts';
import { relyingParty } from '../auth/oidc-client.ts';
import { createSession, SSO_TOKEN_CREATOR } from '../auth/sessions.ts';
import { ssoIdentity } from '../auth/sso-actor.ts';
import { issueToken } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import { SSO_SCOPES } from '../routers/sso.ts';
import { cookie, CSRF_COOKIE, isHttps, readCookies, SESSION_COOKIE } from './cookies.ts';
import { setSecurityHeaders } from './security-headers.ts';

/** The cookie holding a sign-in in progress (PKCE verifier, state, nonce); SameSite=Lax so the provider's redirect back carries it. */
export const SSO_FLOW_COOKIE = 'kaas_sso';
const FLOW_SECONDS = 600;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: ServerResponse, status: number, title: string, body: string, headers: Record<string, string | string[]> = {}): void {
  setSecurityHeaders(res);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>${status === 200 ? '<meta http-equiv="refresh" content="0;url=/">' : ''}</head><body><main><h1>${escape(title)}</h1>${body}<p><a href="/">Back to the console</a></p></main></body></html>`);
}

const failure = (res: ServerResponse, status: number, message: string, hint: string | undefined, clear: string) =>
  page(res, status, 'Sign-in with SSO failed', `<p role="alert">${escape(message)}</p>${hint ? `<p>${escape(hint)}</p>` : ''}`, { 'set-cookie': clear });

function redirectUri(req: IncomingMessage): string {
  return `${isHttps(req) ? 'https' : 'http'}://${req.headers.host ?? '127.0.0.1'}/auth/sso/callback`;
}

function readFlow(req: IncomingMessage): Flow | undefined {
  const raw = readCookies(req).get(SSO_FLOW_COOKIE);
  if (!raw || raw.length > 1000) return undefined;
  try {
    const f = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Flow>;
    return typeof f.verifier === 'string' && typeof f.state === 'string' && typeof f.nonce === 'string' ? (f as Flow) : undefined;
  } catch {
    return undefined;
  }
}

/** What a sign-in starts with, for the CLI and the console (public, never a secret). */
export interface SsoPublicConfig {
  enabled: boolean;
  issuer?: string;
  clientId?: string;
  audience?: string;
  scopes?: string;
}

function publicConfig(services: Services): SsoPublicConfig {
  const oidc = services.config.oidc;
  return oidc ? { enabled: true, issuer: oidc.issuer, clientId: oidc.clientId, audience: oidc.audience, scopes: SSO_SCOPES } : { enabled: false };
}

/** Answers `/auth/sso/config` (JSON), `/auth/sso/start` and `/auth/sso/callback`. */
export async function handleSsoRequest(services: Services, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const secure = isHttps(req);
  const flowCookie = (value: string, maxAgeSeconds: number) => [`${SSO_FLOW_COOKIE}=${value}`, 'Path=/auth/sso', 'SameSite=Lax', 'HttpOnly', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
  const clear = flowCookie('', 0);
  if (path === '/auth/sso/config') {
    setSecurityHeaders(res);
    res.writeHead(req.method === 'GET' ? 200 : 405, { 'content-type': 'application/json', 'cache-control': 'no-store', ...(req.method === 'GET' ? {} : { allow: 'GET' }) });
    return void res.end(JSON.stringify(req.method === 'GET' ? publicConfig(services) : { error: { message: `method ${req.method} not allowed on /auth/sso/config`, hint: 'GET it' } }));
  }
  const oidc = services.config.oidc;
  if (!oidc) return failure(res, 404, 'single sign-on is not configured on this platform', 'sign in with an API token, or ask the operator to set KAAS_OIDC_ISSUER and KAAS_OIDC_CLIENT_ID', clear);
  if (req.method !== 'GET') return failure(res, 405, `method ${req.method} not allowed on ${path}`, 'follow the "Sign in with SSO" link', clear);
  const rp = await relyingParty(oidc);
  if (path === '/auth/sso/start') {
    const flow: Flow = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(rp, {
      redirect_uri: redirectUri(req),
      scope: SSO_SCOPES.replace(' offline_access', ''),
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    setSecurityHeaders(res);
    res.writeHead(302, { location: url.href, 'cache-control': 'no-store', 'set-cookie': flowCookie(Buffer.from(JSON.stringify(flow)).toString('base64url'), FLOW_SECONDS) });
    return void res.end();
  }
  if (path !== '/auth/sso/callback') return failure(res, 404, `not found: ${path}`, 'single sign-on starts at /auth/sso/start', clear);
  const flow = readFlow(req);
  if (!flow) return failure(res, 400, 'this sign-in was not started here, or took longer than 10 minutes', 'start again with "Sign in with SSO"', clear);
  let idToken: string | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(rp, new URL(req.url ?? '/', redirectUri(req)), { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true });
    idToken = tokens.id_token;
  } catch (err) {
    await writeAudit(services.db, { actor: 'anonymous', teamId: null, action: 'auth.signIn', target: null, result: 'denied', requestId, detail: { sso: true } });
    return failure(res, 400, `the identity provider did not complete the sign-in: ${(err as Error).message}`, 'start again with "Sign in with SSO"', clear);
  }
  let identity;
  try {
    identity = await ssoIdentity(services.db, oidc, idToken!);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    await writeAudit(services.db, { actor: 'anonymous', teamId: null, action: 'auth.signIn', target: null, result: 'denied', requestId, detail: { sso: true, reason: err.message.slice(0, 500) } });
    return failure(res, err.code === 'FORBIDDEN' ? 403 : 401, err.message, hintOf(err), clear);
  }
  const ttlDays = (identity.expiresAt.getTime() - Date.now()) / 86_400_000;
  if (ttlDays <= 0) return failure(res, 401, 'the ID token the provider issued has already expired', "check the clocks of the platform and the provider", clear);
  const issued = await issueToken(services.db, { subject: identity.subject, role: identity.access.role, teamId: identity.access.teamId, createdBy: SSO_TOKEN_CREATOR, ttlDays, groups: identity.groups });
  const session = await createSession(services.db, { tokenId: issued.id, subject: identity.subject, role: identity.access.role, teamId: identity.access.teamId });
  await writeAudit(services.db, { actor: identity.subject, teamId: identity.access.teamId, action: 'auth.signIn', target: session.id, result: 'ok', requestId, detail: { sso: true, group: identity.access.group, role: identity.access.role } });
  const maxAgeSeconds = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  // a page, not a redirect: the SameSite=Strict session cookie is sent from the next, same-site navigation
  return page(res, 200, 'Signed in', '<p>Signed in with SSO; opening the console…</p>', {
    'set-cookie': [clear, cookie(SESSION_COOKIE, session.secret, { httpOnly: true, secure, maxAgeSeconds }), cookie(CSRF_COOKIE, session.csrf, { httpOnly: false, secure, maxAgeSeconds })],
  });
}

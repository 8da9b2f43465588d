/**
 * `/auth/session`: the console's sign-in. POST `{ "token": "<api token>" }` opens a session
 * (HttpOnly session cookie + readable CSRF cookie, both SameSite=Strict, Secure over https);
 * GET says who is signed in; DELETE signs out. Sign-ins and sign-outs write audit rows like any mutation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeAudit } from '../audit.ts';
import { authenticateSession, createSession, endSession } from '../auth/sessions.ts';
import { authenticate } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import { cookie, CSRF_COOKIE, isHttps, readCookies, SESSION_COOKIE } from './cookies.ts';
import { setSecurityHeaders } from './security-headers.ts';

const MAX_SIGN_IN_BYTES = 4096;

function answer(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string | string[]> = {}): void {
  setSecurityHeaders(res);
  res.writeHead(status, { 'cache-control': 'no-store', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const refuse = (res: ServerResponse, status: number, message: string, hint: string) => answer(res, status, { error: { message, hint } });

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_SIGN_IN_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The token of a sign-in body, or the message saying what is wrong with it. */
function signInToken(text: string): { token: string } | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: 'request body is not valid JSON: send {"token": "<api token>"}' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'request body must be a JSON object {"token": "<api token>"}' };
  const extra = Object.keys(body).filter((k) => k !== 'token');
  if (extra.length) return { error: `unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}: the body is {"token": "<api token>"} only` };
  const token = (body as { token?: unknown }).token;
  if (typeof token !== 'string' || token.length === 0) return { error: 'token: required, a string (the API token `kaas tokens create` printed)' };
  return { token };
}

/** Answers one request under `/auth/`; `requestId` goes into the audit rows. */
export async function handleAuthRequest(services: Services, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/auth/session') return refuse(res, 404, 'not found: the console signs in at /auth/session', 'POST /auth/session with {"token": "<api token>"}');
  const secure = isHttps(req);
  const secret = readCookies(req).get(SESSION_COOKIE);
  if (req.method === 'GET') {
    const session = secret ? await authenticateSession(services.db, secret) : undefined;
    if (!session) return refuse(res, 401, 'not signed in (or the session ended: signed out, expired, or its token was revoked)', 'sign in with an API token');
    const { actor } = session;
    const team = actor.teamId ? await services.db.selectFrom('teams').select('name').where('id', '=', actor.teamId).executeTakeFirst() : undefined;
    return answer(res, 200, { user: { subject: actor.subject }, teams: team ? [team.name] : [], role: actor.role, groups: [...(actor.groups ?? [])] });
  }
  if (req.method === 'DELETE') {
    const ended = secret ? await endSession(services.db, secret) : undefined;
    if (ended) await writeAudit(services.db, { actor: ended.subject, teamId: ended.teamId, action: 'auth.signOut', target: ended.sessionId, result: 'ok', requestId, detail: null });
    return answer(res, 204, undefined, {
      'set-cookie': [cookie(SESSION_COOKIE, '', { httpOnly: true, secure, maxAgeSeconds: 0 }), cookie(CSRF_COOKIE, '', { httpOnly: false, secure, maxAgeSeconds: 0 })],
    });
  }
  if (req.method !== 'POST') return answer(res, 405, { error: { message: `method ${req.method} not allowed on /auth/session`, hint: 'GET (who is signed in), POST (sign in) or DELETE (sign out)' } }, { allow: 'GET, POST, DELETE' });
  // JSON only: a cross-site HTML form cannot send it without a CORS preflight
  if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'sign-in needs Content-Type: application/json', 'send {"token": "<api token>"} as JSON');
  const text = await readBody(req);
  if (text === undefined) return refuse(res, 413, `request body too large (at most ${MAX_SIGN_IN_BYTES} bytes)`, 'send {"token": "<api token>"} only');
  const parsed = signInToken(text);
  if ('error' in parsed) return refuse(res, 400, parsed.error, 'send {"token": "<api token>"}');
  const actor = await authenticate(services.db, parsed.token);
  if (!actor) {
    await writeAudit(services.db, { actor: 'anonymous', teamId: null, action: 'auth.signIn', target: null, result: 'denied', requestId, detail: null });
    return refuse(res, 401, 'invalid API token: unknown, revoked or expired', 'create one with `kaas tokens create` (or ask a team admin), then sign in with it');
  }
  const session = await createSession(services.db, actor);
  await writeAudit(services.db, { actor: actor.subject, teamId: actor.teamId, action: 'auth.signIn', target: session.id, result: 'ok', requestId, detail: null });
  const maxAgeSeconds = Math.max(1, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  return answer(res, 204, undefined, {
    'set-cookie': [cookie(SESSION_COOKIE, session.secret, { httpOnly: true, secure, maxAgeSeconds }), cookie(CSRF_COOKIE, session.csrf, { httpOnly: false, secure, maxAgeSeconds })],
  });
}

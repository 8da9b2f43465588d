/**
 * Console sessions: a signed-in browser holds an opaque session secret (HttpOnly cookie) and a
 * CSRF value (readable cookie). Only their SHA-256 hashes are stored, with a reference to the
 * token that signed in; every request re-checks that token, so revoking or expiring it ends the
 * session at once. `createSession(principal)` is the one way in: a token sign-in calls it today,
 * an SSO sign-in can call it later (with the token it issues for the user) without the pages
 * knowing the difference.
 */
import crypto from 'node:crypto';
import type { DbOrTx } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { groupsOfRow, hashToken, type Actor } from './tokens.ts';

/** The `created_by` of the tokens console SSO sign-ins issue, one per session. */
export const SSO_TOKEN_CREATOR = 'sso';

/** A session lives at most this long, and never past its token's expiry. */
export const SESSION_TTL_MS = 12 * 3_600_000;

/** A new session: the secret and CSRF value go to the browser once and are stored only hashed. */
export interface NewSession {
  id: string;
  secret: string;
  csrf: string;
  expiresAt: Date;
}

/** A session found from its secret: who it acts as, and the hash its CSRF value must match. */
export interface SessionAuth {
  sessionId: string;
  actor: Actor;
  csrfHash: string;
}

const random = () => crypto.randomBytes(32).toString('base64url');

/** Opens a session for an authenticated principal (the actor of a valid token). */
export async function createSession(db: DbOrTx, principal: Actor, now = new Date()): Promise<NewSession> {
  const token = await db.selectFrom('tokens').select('expires_at').where('id', '=', principal.tokenId).executeTakeFirstOrThrow();
  const expiresAt = new Date(Math.min(token.expires_at.getTime(), now.getTime() + SESSION_TTL_MS));
  const session: NewSession = { id: newId('s'), secret: random(), csrf: random(), expiresAt };
  // sessions past their end are of no use: each sign-in clears them away, so the table stays small
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.insertInto('sessions').values({ id: session.id, secret_hash: hashToken(session.secret), csrf_hash: hashToken(session.csrf), token_id: principal.tokenId, expires_at: expiresAt }).execute();
  return session;
}

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The session of a cookie secret, or undefined when unknown, expired, or its token revoked or expired. */
export async function authenticateSession(db: DbOrTx, secret: string): Promise<SessionAuth | undefined> {
  if (!SECRET.test(secret)) return undefined;
  const now = new Date();
  const row = await db
    .selectFrom('sessions')
    .innerJoin('tokens', 'tokens.id', 'sessions.token_id')
    .select(['sessions.id as session_id', 'sessions.csrf_hash', 'sessions.last_seen_at', 'tokens.id as token_id', 'tokens.subject', 'tokens.role', 'tokens.team_id', 'tokens.groups'])
    .where('sessions.secret_hash', '=', hashToken(secret))
    .where('sessions.expires_at', '>', now)
    .where('tokens.revoked_at', 'is', null)
    .where('tokens.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    void db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', row.session_id).execute().catch(() => undefined);
  }
  return { sessionId: row.session_id, csrfHash: row.csrf_hash, actor: { tokenId: row.token_id, subject: row.subject, role: row.role, teamId: row.team_id, ...groupsOfRow(row.groups) } };
}

/** Whether `presented` (the x-kaas-csrf header) is this session's CSRF value; constant-time. */
export function csrfMatches(session: SessionAuth, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  const b = Buffer.from(session.csrfHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Ends the session of a cookie secret (sign-out); returns the subject and team it was for, if there was one. */
export async function endSession(db: DbOrTx, secret: string): Promise<{ subject: string; teamId: string | null; sessionId: string } | undefined> {
  if (!SECRET.test(secret)) return undefined;
  const ended = await db.deleteFrom('sessions').where('secret_hash', '=', hashToken(secret)).returning(['id', 'token_id']).executeTakeFirst();
  if (!ended) return undefined;
  const token = await db.selectFrom('tokens').select(['subject', 'team_id', 'created_by']).where('id', '=', ended.token_id).executeTakeFirst();
  // a token an SSO sign-in issued (api/web/sso-routes.ts) exists for its session only: it ends with it
  if (token?.created_by === SSO_TOKEN_CREATOR) await db.updateTable('tokens').set({ revoked_at: new Date() }).where('id', '=', ended.token_id).where('revoked_at', 'is', null).execute();
  return token ? { subject: token.subject, teamId: token.team_id, sessionId: ended.id } : undefined;
}

/**
 * Whether an actor authenticated earlier may still act: its token unrevoked and unexpired, and,
 * for a session, the session not ended or expired. Long-lived streams ask this when woken.
 */
export async function stillAuthenticated(db: DbOrTx, actor: Actor, sessionId: string | undefined): Promise<boolean> {
  const now = new Date();
  // an SSO bearer token has no row: it holds until it expires
  if (actor.tokenId.startsWith('oidc:')) return actor.expiresAt !== undefined && actor.expiresAt > now;
  const token = await db.selectFrom('tokens').select('id').where('id', '=', actor.tokenId).where('revoked_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  if (!token) return false;
  if (!sessionId) return true;
  return (await db.selectFrom('sessions').select('id').where('id', '=', sessionId).where('expires_at', '>', now).executeTakeFirst()) !== undefined;
}

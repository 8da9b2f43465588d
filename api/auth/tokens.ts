/**
 * API tokens: `kaas_<random>`; only a SHA-256 of the whole token is stored, so a database leak
 * reveals no usable token. Tokens expire and can be revoked.
 */
import crypto from 'node:crypto';
import type { DbOrTx, TokenRow } from '../db/schema.ts';
import { newId } from '../ids.ts';

export type Role = TokenRow['role'];

/** Who is calling: resolved from a token on every request. */
export interface Actor {
  tokenId: string;
  subject: string;
  role: Role;
  /** The member's team; null for platform admins. */
  teamId: string | null;
  /** An SSO bearer token's expiry (tokenId `oidc:<sub>`, no token row); absent for API tokens. */
  expiresAt?: Date;
  /** The identity provider's groups of an SSO bearer token (approval rules may name them); absent for API tokens. */
  groups?: readonly string[];
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return `kaas_${crypto.randomBytes(24).toString('base64url')}`;
}

/** Creates a token row and returns the token itself (shown once, never stored). */
export async function issueToken(
  db: DbOrTx,
  opts: { subject: string; role: Role; teamId: string | null; createdBy: string; ttlDays: number; groups?: readonly string[] },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = generateToken();
  const id = newId('k');
  const expiresAt = new Date(Date.now() + opts.ttlDays * 86_400_000);
  await db
    .insertInto('tokens')
    .values({ id, subject: opts.subject, role: opts.role, team_id: opts.teamId, token_hash: hashToken(token), created_by: opts.createdBy, expires_at: expiresAt, groups: opts.groups ? JSON.stringify(opts.groups) : null })
    .execute();
  return { id, token, expiresAt };
}

/** The actor for a presented token, or undefined when unknown, revoked or expired. */
export async function authenticate(db: DbOrTx, token: string): Promise<Actor | undefined> {
  if (!/^kaas_[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('tokens')
    .select(['id', 'subject', 'role', 'team_id', 'expires_at', 'revoked_at', 'last_used_at', 'groups'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at.getTime() <= Date.now()) return undefined;
  // record use at most once a minute, off the request's path
  if (row.last_used_at === null || Date.now() - row.last_used_at.getTime() > 60_000) {
    void db.updateTable('tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute().catch(() => undefined);
  }
  return { tokenId: row.id, subject: row.subject, role: row.role, teamId: row.team_id, ...groupsOfRow(row.groups) };
}

/** An actor's `groups` from a token row: only tokens an SSO sign-in issued carry them. */
export function groupsOfRow(groups: string[] | null): { groups?: readonly string[] } {
  return groups ? { groups: Object.freeze([...groups]) } : {};
}

/** What the API returns for a token: never the token itself nor its hash. */
import type { Role } from '../auth/tokens.ts';
import type { TokenRow } from '../db/schema.ts';

export interface Token {
  id: string;
  subject: string;
  role: Role;
  /** The team's name; null for platform-admin tokens. */
  team: string | null;
  status: 'active' | 'expired' | 'revoked';
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The columns a token view needs: everything but `token_hash`, which is never selected. */
export const TOKEN_VIEW_COLUMNS = ['id', 'subject', 'role', 'team_id', 'created_by', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'] as const;
export type TokenViewRow = Omit<TokenRow, 'token_hash' | 'groups'>;

export function tokenRowToToken(row: TokenViewRow, teamName: string | null, now = new Date()): Token {
  return {
    id: row.id,
    subject: row.subject,
    role: row.role,
    team: teamName,
    status: row.revoked_at !== null ? 'revoked' : row.expires_at.getTime() <= now.getTime() ? 'expired' : 'active',
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/**
 * The actor of an OIDC token: verified (api/auth/oidc-verifier.ts), then its groups claim mapped
 * through the platform admins' group rules (platform/sso-access.ts). Nothing is cached: the groups
 * in the token and the rules as they are now decide every request.
 */
import { groupsOf, ssoAccess, type SsoAccess } from '../../platform/sso-access.ts';
import type { OidcConfig } from '../config.ts';
import type { DbOrTx } from '../db/schema.ts';
import { oidcVerifier } from './oidc-verifier.ts';
import { loadSsoRules } from './sso-rules.ts';
import type { Actor } from './tokens.ts';

/** An SSO sign-in: who, with which access, until when (the token's expiry). */
export interface SsoIdentity {
  /** The provider's `sub`. */
  sub: string;
  /** The name kaas shows and audits: the `email` claim, else `preferred_username`, else `sub`. */
  subject: string;
  groups: string[];
  access: SsoAccess;
  expiresAt: Date;
}

/** Verifies `token` and maps its groups; throws an UNAUTHENTICATED or FORBIDDEN DomainError. */
export async function ssoIdentity(db: DbOrTx, config: OidcConfig, token: string): Promise<SsoIdentity> {
  const claims = await oidcVerifier(config).verify(token);
  const named = [claims.email, claims.preferred_username].find((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200);
  const subject = named ?? claims.sub;
  const groups = groupsOf(claims[config.groupsClaim]);
  const access = ssoAccess(subject, groups, await loadSsoRules(db, groups), config.groupsClaim);
  return { sub: claims.sub, subject, groups, access, expiresAt: new Date(claims.exp * 1000) };
}

/** The actor of a bearer OIDC token (tokenId `oidc:<sub>`; valid until the token's expiry). */
export async function ssoActor(db: DbOrTx, config: OidcConfig, token: string): Promise<Actor> {
  const id = await ssoIdentity(db, config, token);
  return { tokenId: `oidc:${id.sub}`, subject: id.subject, role: id.access.role, teamId: id.access.teamId, expiresAt: id.expiresAt, groups: id.groups };
}

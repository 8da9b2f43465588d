/**
 * Which token of a provider's answer the CLI sends, and what it saves to get the next one. The
 * bearer is the JWT access token for kaas (its `aud` the platform's audience) when the provider
 * issues one, else the ID token (whose `aud` is the client id); both are verified by the platform.
 */
import type { TokenEndpointResponse } from 'openid-client';
import type { SavedSso } from '../config.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import type { SsoSettings } from './sso-settings.ts';

const isJwt = (t: string | undefined): t is string => typeof t === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

/** The `exp` of a JWT (read, not verified: the platform verifies), as a Date. */
function expiryOf(jwt: string): Date | undefined {
  try {
    const exp = (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** The bearer token and the saved SSO details of a token endpoint answer; `previousRefresh` is kept when the provider does not rotate it. */
export function fromTokenResponse(tokens: TokenEndpointResponse, settings: SsoSettings, previousRefresh?: string): { token: string; sso: SavedSso } {
  const token = isJwt(tokens.access_token) ? tokens.access_token : tokens.id_token;
  if (!isJwt(token)) {
    throw new CliError('UNAUTHENTICATED', 'the identity provider returned neither a JWT access token nor an ID token', EXIT.FORBIDDEN, { hint: 'the kaas client must be allowed the openid scope (and, for JWT access tokens, the kaas resource) at the provider' });
  }
  const expiresAt = expiryOf(token) ?? new Date(Date.now() + (tokens.expires_in ?? 300) * 1000);
  const refreshToken = tokens.refresh_token ?? previousRefresh;
  return { token, sso: { issuer: settings.issuer, clientId: settings.clientId, audience: settings.audience, ...(refreshToken ? { refreshToken } : {}), expiresAt: expiresAt.toISOString() } };
}

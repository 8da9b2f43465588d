/**
 * An SSO context's token, refreshed (refresh token grant) when it expires within a minute, and
 * saved back to the config file (mode 0600) so the next command uses it. Without a refresh token,
 * or when the provider refuses it, the command fails with the hint to sign in again.
 */
import * as client from 'openid-client';
import type { Connection } from '../config.ts';
import { setContext } from '../commands/config/contexts.ts';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { providerConfig } from './sso-settings.ts';
import { fromTokenResponse } from './sso-tokens.ts';

const EARLY_MS = 60_000;

export async function currentSsoToken(connection: Connection, now = Date.now()): Promise<string | undefined> {
  const sso = connection.sso;
  if (!sso || new Date(sso.saved.expiresAt).getTime() - EARLY_MS > now) return connection.token;
  const relogin = `kaas login --sso --url ${connection.url}${connection.context ? ` --context ${connection.context}` : ''}`;
  if (!sso.saved.refreshToken) throw new CliError('UNAUTHENTICATED', `the SSO sign-in of context "${sso.context}" expired at ${sso.saved.expiresAt}`, EXIT.FORBIDDEN, { hint: `sign in again: ${relogin}` });
  const config = await providerConfig(sso.saved.issuer, sso.saved.clientId);
  let tokens: client.TokenEndpointResponse;
  try {
    tokens = await client.refreshTokenGrant(config, sso.saved.refreshToken, { resource: sso.saved.audience });
  } catch (err) {
    throw new CliError('UNAUTHENTICATED', `the identity provider refused to renew the SSO sign-in of context "${sso.context}": ${(err as Error).message}`, EXIT.FORBIDDEN, { hint: `sign in again: ${relogin}` });
  }
  const renewed = fromTokenResponse(tokens, { issuer: sso.saved.issuer, clientId: sso.saved.clientId, audience: sso.saved.audience, scopes: '' }, sso.saved.refreshToken);
  setContext(sso.configFile, sso.context, { token: renewed.token, sso: renewed.sso });
  return renewed.token;
}

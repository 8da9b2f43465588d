/**
 * Where a kaas platform's single sign-on happens: its public `GET /auth/sso/config` (issuer,
 * client id, audience, scopes), and the provider's configuration by discovery (`openid-client`).
 * The CLI is a public client (no secret; RFC 8252 native app). Plain-http issuers are accepted
 * only on loopback addresses.
 */
import * as client from 'openid-client';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  audience: string;
  scopes: string;
}

/** The platform's SSO settings; an error when it has none configured. */
export async function ssoSettings(url: string): Promise<SsoSettings> {
  let body: { enabled?: boolean } & Partial<SsoSettings>;
  try {
    const res = await fetch(`${url}/auth/sso/config`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = (await res.json()) as typeof body;
  } catch (err) {
    throw new CliError('UNAVAILABLE', `cannot read the platform's single sign-on settings at ${url}/auth/sso/config: ${(err as Error).message}`, EXIT.UNAVAILABLE, { hint: 'check --url; an older platform has no SSO: log in with --token' });
  }
  if (!body.enabled || !body.issuer || !body.clientId || !body.audience || !body.scopes) {
    throw new CliError('UNSUPPORTED', `single sign-on is not configured on ${url}`, EXIT.USAGE, { hint: 'log in with an API token: `kaas login --url URL --token TOKEN` (or ask the operator to set KAAS_OIDC_ISSUER and KAAS_OIDC_CLIENT_ID)' });
  }
  return { issuer: body.issuer, clientId: body.clientId, audience: body.audience, scopes: body.scopes };
}

/** The provider's configuration for the kaas client, by discovery. */
export async function providerConfig(issuer: string, clientId: string): Promise<client.Configuration> {
  const url = new URL(issuer);
  const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  try {
    return await client.discovery(url, clientId, undefined, client.None(), loopback ? { execute: [client.allowInsecureRequests] } : {});
  } catch (err) {
    throw new CliError('UNAVAILABLE', `cannot discover the identity provider ${issuer}: ${(err as Error).message}`, EXIT.UNAVAILABLE, { hint: 'check that this machine reaches the provider; retry in a moment' });
  }
}

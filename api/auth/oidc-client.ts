/**
 * The platform as an OIDC relying party (`openid-client`): the provider's configuration from
 * discovery, fetched once per platform and again after a failure. Plain-http issuers are allowed
 * only on loopback addresses (a provider on the same machine, as in tests); anywhere else the
 * issuer must be https.
 */
import * as client from 'openid-client';
import type { OidcConfig } from '../config.ts';

const configs = new WeakMap<OidcConfig, Promise<client.Configuration>>();

/** Whether `url` is http on a loopback host, where plain http is acceptable. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** The discovered client configuration (confidential when KAAS_OIDC_CLIENT_SECRET is set, else public). */
export function relyingParty(config: OidcConfig): Promise<client.Configuration> {
  let found = configs.get(config);
  if (!found) {
    const issuer = new URL(config.issuer);
    found = client.discovery(issuer, config.clientId, config.clientSecret, config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(), isLoopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : {});
    configs.set(config, found);
    found.catch(() => configs.delete(config));
  }
  return found;
}

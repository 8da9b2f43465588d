/**
 * `kaas login --sso`: the device authorization grant (RFC 8628). The CLI asks the provider for a
 * device code, prints the verification URL and user code for the person to open in any browser,
 * and polls the token endpoint (at the interval the provider asks, slowing down when told) until
 * they approve, deny, or the code expires.
 */
import * as client from 'openid-client';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { providerConfig, type SsoSettings } from './sso-settings.ts';

export async function deviceFlowLogin(settings: SsoSettings, notify: (line: string) => void): Promise<client.TokenEndpointResponse> {
  const config = await providerConfig(settings.issuer, settings.clientId);
  if (!config.serverMetadata().device_authorization_endpoint) {
    throw new CliError('UNSUPPORTED', `the identity provider ${settings.issuer} does not offer the device authorization grant`, EXIT.USAGE, { hint: 'use `kaas login --sso --pkce` (a browser on this machine), or enable the device flow for the kaas client at the provider' });
  }
  const device = await client.initiateDeviceAuthorization(config, { scope: settings.scopes, resource: settings.audience });
  notify(`To sign in, open ${device.verification_uri} in a browser and enter the code ${device.user_code}`);
  if (device.verification_uri_complete) notify(`(or open ${device.verification_uri_complete})`);
  notify('Waiting for you to approve the sign-in…');
  try {
    return await client.pollDeviceAuthorizationGrant(config, device);
  } catch (err) {
    const code = (err as { error?: string }).error;
    if (code === 'access_denied') throw new CliError('FORBIDDEN', 'the sign-in was denied at the identity provider', EXIT.FORBIDDEN, { hint: 'run `kaas login --sso` again and approve it' });
    if (code === 'expired_token') throw new CliError('UNAUTHENTICATED', 'the sign-in code expired before it was approved', EXIT.FORBIDDEN, { hint: 'run `kaas login --sso` again and approve it sooner' });
    throw new CliError('UNAUTHENTICATED', `the identity provider did not complete the sign-in: ${(err as Error).message}`, EXIT.FORBIDDEN, { hint: 'run `kaas login --sso` again' });
  }
}

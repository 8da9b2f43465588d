/**
 * `kaas login --sso --pkce`: authorization code + PKCE (RFC 7636) with a loopback redirect
 * (RFC 8252 §7.3): the CLI listens on http://127.0.0.1:<free port>/callback, prints the
 * authorization URL to open in a browser on this machine, and exchanges the code that comes back
 * (state and PKCE verifier checked by openid-client). The provider must allow the redirect URI
 * http://127.0.0.1/callback on any port (a native client).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import { CliError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { providerConfig, type SsoSettings } from './sso-settings.ts';

const WAIT_MS = 5 * 60_000;

export async function pkceLogin(settings: SsoSettings, notify: (line: string) => void): Promise<client.TokenEndpointResponse> {
  const config = await providerConfig(settings.issuer, settings.clientId);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  try {
    const callback = new Promise<URL>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CliError('UNAUTHENTICATED', 'no sign-in came back within 5 minutes', EXIT.FORBIDDEN, { hint: 'run `kaas login --sso --pkce` again, or use the device flow: `kaas login --sso`' })), WAIT_MS);
      server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', redirectUri);
        if (url.pathname !== '/callback') return void res.writeHead(404).end();
        const failed = url.searchParams.get('error');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>kaas</title><p>${failed ? 'The sign-in failed; see the terminal.' : 'Signed in to kaas. You can close this tab.'}</p>`);
        clearTimeout(timer);
        resolve(url);
      });
    });
    const authorizationUrl = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: settings.scopes,
      resource: settings.audience,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      // a refresh token in the code flow needs consent (OpenID Connect Core 1.0 §11)
      prompt: 'consent',
    });
    notify(`To sign in, open this URL in a browser on this machine:\n\n  ${authorizationUrl.href}\n`);
    notify('Waiting for the browser to come back…');
    const back = await callback;
    try {
      return await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }, { resource: settings.audience });
    } catch (err) {
      throw new CliError('UNAUTHENTICATED', `the identity provider did not complete the sign-in: ${(err as Error).message}`, EXIT.FORBIDDEN, { hint: 'run `kaas login --sso --pkce` again' });
    }
  } finally {
    server.close();
  }
}

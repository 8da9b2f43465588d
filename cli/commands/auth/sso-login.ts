/**
 * `kaas login --sso [--pkce]`: sign in at the platform's identity provider (device flow by
 * default, authorization code + PKCE on a loopback redirect with --pkce), check the token with
 * `whoami` (a person whose groups map to no kaas role is refused there, and nothing is saved), then
 * save it with its refresh details as a context of the config file (mode 0600) and make it current.
 */
import { createApi, type Api } from '../../client.ts';
import { normaliseUrl, type Connection } from '../../config.ts';
import { deviceFlowLogin } from '../../sso/device-flow.ts';
import { pkceLogin } from '../../sso/pkce-flow.ts';
import { ssoSettings } from '../../sso/sso-settings.ts';
import { fromTokenResponse } from '../../sso/sso-tokens.ts';
import { setContext } from '../config/contexts.ts';
import { defaultContextName, type LoginResult } from './login.ts';

export interface SsoLoginOptions {
  url: string;
  configFile: string;
  pkce: boolean;
  context?: string | undefined;
  team?: string | undefined;
  /** Where the verification URL and code (or the authorization URL) are shown: stderr. */
  notify: (line: string) => void;
}

export async function ssoLogin(opts: SsoLoginOptions, connect: (c: Connection) => Api = createApi): Promise<LoginResult & { expiresAt: string }> {
  const url = normaliseUrl(opts.url);
  const settings = await ssoSettings(url);
  const tokens = opts.pkce ? await pkceLogin(settings, opts.notify) : await deviceFlowLogin(settings, opts.notify);
  const { token, sso } = fromTokenResponse(tokens, settings);
  const me = await connect({ url, token }).trpc.whoami.query();
  const context = opts.context ?? defaultContextName(me.subject, url);
  setContext(opts.configFile, context, { url, token, team: opts.team ?? me.team ?? '', sso }, { makeCurrent: true });
  return { context, url, subject: me.subject, role: me.role, team: opts.team ?? me.team, configFile: opts.configFile, expiresAt: sso.expiresAt };
}

/** `kaas login`, `kaas logout`, `kaas whoami`. */
import type { Command } from 'commander';
import { login, readToken } from '../commands/auth/login.ts';
import { logout } from '../commands/auth/logout.ts';
import { whoami } from '../commands/auth/whoami.ts';
import { configPath } from '../config.ts';
import { usageError } from '../errors.ts';
import { createApi } from '../client.ts';
import { renderDetails } from '../render/table.ts';
import type { Runtime } from '../runtime.ts';

export function registerAuth(program: Command, rt: Runtime): void {
  program
    .command('login')
    .description('check an API token and save it as a context (URL, token, default team) of the config file (mode 0600); it becomes current')
    .option('--token-file <file>', 'read the token from a file')
    .option('--team <team>', "the context's default team (default: the token's team)")
    .option('--sso', "sign in at the platform's identity provider instead of with a token (device flow: prints a URL and code to approve in any browser)")
    .option('--pkce', 'with --sso: authorization code + PKCE through a browser on this machine (loopback redirect to http://127.0.0.1:PORT/callback)')
    .addHelpText('after', '\nThe token comes from --token, --token-file, or stdin when it is not a terminal; with --sso from the\nidentity provider (refreshed by the CLI when it expires).\nThe URL comes from --url (or KAAS_URL). The context is named by --context (default SUBJECT@HOST);\nlogging in again with the same name updates it, other contexts stay.')
    .action(async (o: { tokenFile?: string; team?: string; sso?: boolean; pkce?: boolean }, cmd: Command) => {
      const g = rt.globals(cmd);
      const url = g.url || rt.io.env.KAAS_URL;
      if (!url) throw usageError('login needs the API URL', o.sso ? 'kaas login --sso --url http://127.0.0.1:7080' : 'kaas login --url http://127.0.0.1:7080 --token TOKEN');
      if (o.pkce && !o.sso) throw usageError('--pkce is a way to sign in with --sso', 'kaas login --sso --pkce --url URL');
      if (o.sso) {
        if (g.token !== undefined || o.tokenFile !== undefined) throw usageError('give either --sso or a token (--token, --token-file), not both');
        // openid-client is loaded only for an SSO sign-in: every other command starts without it
        const { ssoLogin } = await import('../commands/auth/sso-login.ts');
        const result = await ssoLogin({ url, configFile: configPath(rt.io.env), pkce: o.pkce ?? false, context: g.context, team: o.team, notify: (line) => rt.note(line) }, (c) => (rt.api = createApi(c, rt.tracer(cmd))));
        return rt.print(cmd, result, (r) => `logged in to ${r.url} with SSO as ${r.subject} (${r.role}${r.team ? `, team ${r.team}` : ''}); the token expires at ${r.expiresAt} and is renewed when needed\nsaved as context "${r.context}" (current) in ${r.configFile}`);
      }
      const token = await readToken({ token: g.token, tokenFile: o.tokenFile, stdin: process.stdin });
      const configFile = configPath(rt.io.env);
      const result = await login({ url, token, configFile, context: g.context, team: o.team }, (c) => (rt.api = createApi(c, rt.tracer(cmd))));
      rt.print(cmd, result, (r) => `logged in to ${r.url} as ${r.subject} (${r.role}${r.team ? `, team ${r.team}` : ''})\nsaved as context "${r.context}" (current) in ${r.configFile}`);
    });

  program
    .command('logout')
    .description('forget the current context (or --context NAME): its URL and token (the token stays valid until revoked)')
    .action((_opts: object, cmd: Command) => {
      const result = logout({ configFile: configPath(rt.io.env), context: rt.globals(cmd).context, env: rt.io.env });
      rt.print(cmd, result, (r) => (r.removed ? `forgot context "${r.context}" (${r.configFile})` : `not logged in (no context in ${r.configFile})`));
    });

  program
    .command('whoami')
    .description('show who the token belongs to')
    .action(async (_opts: object, cmd: Command) => {
      const result = await whoami(rt.client(cmd));
      rt.print(cmd, result, (r) => renderDetails([['subject', r.subject], ['role', r.role], ['team', r.team], ...(r.groups.length > 0 ? [['groups', r.groups.join(', ')] as [string, string]] : []), ['url', r.url]]));
    });
}

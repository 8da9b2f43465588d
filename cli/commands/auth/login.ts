/**
 * `kaas login`: check a token with `whoami`, then save URL, token and default team as a context of
 * the config file and make it current (other contexts stay).
 */
import fs from 'node:fs';
import { createApi, type Api } from '../../client.ts';
import { normaliseUrl, type Connection } from '../../config.ts';
import { setContext } from '../config/contexts.ts';
import { usageError } from '../../errors.ts';

export interface LoginOptions {
  url: string;
  token: string;
  configFile: string;
  /** The context to write (default: SUBJECT@HOST). */
  context?: string | undefined;
  /** The context's default team (default: the token's team). */
  team?: string | undefined;
}

export interface LoginResult {
  context: string;
  url: string;
  subject: string;
  role: string;
  team: string | null;
  configFile: string;
}

/** Where the token comes from: the flag, a file, or stdin when it is not a terminal. */
export async function readToken(opts: { token?: string | undefined; tokenFile?: string | undefined; stdin: NodeJS.ReadableStream & { isTTY?: boolean } }): Promise<string> {
  let token: string | undefined;
  if (opts.token !== undefined && opts.tokenFile !== undefined) throw usageError('give either --token or --token-file, not both');
  if (opts.token !== undefined) token = opts.token;
  else if (opts.tokenFile !== undefined) {
    try {
      token = fs.readFileSync(opts.tokenFile, 'utf8');
    } catch (err) {
      throw usageError(`cannot read --token-file ${opts.tokenFile}: ${(err as Error).message}`);
    }
  } else if (!opts.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of opts.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    token = Buffer.concat(chunks).toString('utf8');
  }
  token = token?.trim();
  if (!token) throw usageError('no token given', 'pass --token TOKEN or --token-file FILE, or pipe the token on stdin');
  return token;
}

/** Verifies the token against the API and saves it; nothing is saved when the check fails. */
export async function login(opts: LoginOptions, connect: (c: Connection) => Api = createApi): Promise<LoginResult> {
  const url = normaliseUrl(opts.url);
  const api = connect({ url, token: opts.token });
  const me = await api.trpc.whoami.query();
  const context = opts.context ?? defaultContextName(me.subject, url);
  setContext(opts.configFile, context, { url, token: opts.token, team: opts.team ?? me.team ?? '' }, { makeCurrent: true });
  return { context, url, subject: me.subject, role: me.role, team: opts.team ?? me.team, configFile: opts.configFile };
}

/** SUBJECT@HOST[:PORT], with characters a context name may not hold replaced by "-". */
export function defaultContextName(subject: string, url: string): string {
  return `${subject}@${new URL(url).host}`.replace(/[^A-Za-z0-9._@:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100) || 'default';
}

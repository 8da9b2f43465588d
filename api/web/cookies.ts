/** Cookie headers (RFC 6265): reading a request's cookies and writing `Set-Cookie` values. */
import type { IncomingMessage } from 'node:http';

/** The session cookie (HttpOnly) and the CSRF cookie (readable by the console's script). */
export const SESSION_COOKIE = 'kaas_session';
export const CSRF_COOKIE = 'kaas_csrf';
/** The header a cookie-authenticated mutation carries, equal to the CSRF cookie. */
export const CSRF_HEADER = 'x-kaas-csrf';

/** The cookies of a request, by name (a Map: names are user input). */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** Whether the request reached the platform over https (directly, or through a TLS-terminating proxy). */
export function isHttps(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
}

/** A `Set-Cookie` value; `maxAgeSeconds` 0 clears it. */
export function cookie(name: string, value: string, opts: { httpOnly: boolean; secure: boolean; maxAgeSeconds: number }): string {
  return [`${name}=${value}`, 'Path=/', 'SameSite=Strict', `Max-Age=${opts.maxAgeSeconds}`, ...(opts.httpOnly ? ['HttpOnly'] : []), ...(opts.secure ? ['Secure'] : [])].join('; ');
}

/**
 * Security headers of everything the console's browser reads: a CSP without inline scripts
 * (https://www.w3.org/TR/CSP3/), no MIME sniffing, no referrer, no framing. `no-store` goes on
 * anything that is not a content-hashed asset (index.html, /auth/*).
 */
import type { ServerResponse } from 'node:http';

export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Sets the console's security headers on `res`. */
export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONSOLE_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
}

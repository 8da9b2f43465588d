/**
 * Webhook signatures, the way Stripe signs its webhooks (https://docs.stripe.com/webhooks#verify-manually):
 * the header `Kaas-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the HMAC, keyed with the
 * subscription's secret, covers `${t}.${body}` (the exact bytes of the request body). A receiver
 * recomputes it, compares in constant time, and refuses a timestamp older (or newer) than its
 * tolerance, so a captured delivery cannot be replayed later.
 */
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'Kaas-Signature';
/** How far a signature's timestamp may be from the receiver's clock by default (5 minutes, as Stripe). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmac(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Kaas-Signature` header value for `body`, signed at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: string };

/**
 * Verifies a delivery: `header` is the `Kaas-Signature` value, `body` the raw request body.
 * Refuses a missing or malformed header, a wrong signature, and a timestamp more than
 * `toleranceSeconds` from `now` (a replay).
 */
export function verifyWebhookSignature(opts: { secret: string; body: string; header: string | undefined; now?: Date; toleranceSeconds?: number }): VerifyResult {
  if (!opts.header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  const parts = new Map<string, string[]>();
  for (const item of opts.header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const key = item.slice(0, eq).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const signatures = parts.get('v1') ?? [];
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header: expected t=<unix seconds>,v1=<hex>` };
  const timestamp = Number(t);
  const now = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: `timestamp ${timestamp} is ${now - timestamp} s from now, outside the ${tolerance} s tolerance (a replayed or delayed delivery)` };
  const expected = Buffer.from(hmac(opts.secret, timestamp, opts.body), 'hex');
  const matches = signatures.some((s) => {
    const given = /^[0-9a-f]{64}$/.test(s) ? Buffer.from(s, 'hex') : undefined;
    return given !== undefined && crypto.timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'signature does not match the body and the subscription secret' };
}

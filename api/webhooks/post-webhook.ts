/**
 * One HTTP POST of a signed CloudEvent to a receiver, with a timeout. Connects only to addresses
 * the guarded lookup accepted; an IP-literal host was checked when the subscription was made and
 * is checked again here. Redirects are not followed (a 3xx is a failed attempt): a redirect could
 * point anywhere.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { bareHost, deniedAddressReason, needsAddressCheck, type WebhookUrlPolicy } from '../../platform/webhook-url.ts';
import { DeniedAddress, guardedLookup, type Resolver } from './guarded-lookup.ts';

export interface PostResult {
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Why the attempt failed (network error, timeout, refusal, non-2xx). */
  error?: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** POSTs `body` with `headers` to `url`; resolves with the outcome, never rejects. */
export function postWebhook(url: URL, body: string, headers: Record<string, string>, opts: { policy: WebhookUrlPolicy; resolve: Resolver; timeoutMs: number }): Promise<PostResult> {
  const host = bareHost(url);
  const check = needsAddressCheck(host, opts.policy);
  if (check && isIP(host)) {
    const reason = deniedAddressReason(host);
    if (reason) return Promise.resolve({ error: new DeniedAddress(host, reason).message });
  }
  if (url.protocol === 'http:' && !opts.policy.allowHttp) return Promise.resolve({ error: `${url.origin} uses plain http, which this platform no longer allows (KAAS_WEBHOOK_ALLOW_HTTP)` });
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = client.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(opts.resolve, check), timeout: opts.timeoutMs }, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('close', () => {
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 300 ? { status } : { status, error: `receiver answered HTTP ${status}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`receiver did not answer within ${opts.timeoutMs / 1000} s`)));
    req.on('error', (err) => resolve({ error: err.message }));
    req.end(body);
  });
}

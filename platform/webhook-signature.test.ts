import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"e1"}';
  const t = 1_800_000_000;
  const now = new Date(t * 1000);

  it('accepts its own signature within the tolerance and refuses it outside (replay), with another secret, or on another body', () => {
    const header = signWebhook(secret, body, t);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret, body, header, now })).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature({ secret, body, header, now: new Date((t + 301) * 1000) })).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance/) });
    expect(verifyWebhookSignature({ secret: 'whsec_other', body, header, now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret, body: body + ' ', header, now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret, body, header: undefined, now })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyWebhookSignature({ secret, body, header: 'v1=abc', now })).toMatchObject({ ok: false, reason: expect.stringMatching(/malformed/) });
  });

  it('refuses a header whose timestamp was changed to look fresh (the HMAC covers it)', () => {
    const header = signWebhook(secret, body, t - 3600).replace(`t=${t - 3600}`, `t=${t}`);
    expect(verifyWebhookSignature({ secret, body, header, now })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
  });
});

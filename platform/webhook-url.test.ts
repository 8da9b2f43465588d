import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, deniedAddressReason, hostAllowed } from './webhook-url.ts';

describe('webhook URL rule', () => {
  it('denies non-public addresses (RFC 1918, loopback, link-local, CGNAT, unique-local, mapped) and passes public ones', () => {
    for (const ip of ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '127.0.0.1', '127.9.9.9', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '224.0.0.1']) {
      expect(deniedAddressReason(ip), ip).toBeDefined();
    }
    for (const ip of ['93.184.215.14', '172.32.0.1', '8.8.8.8', '2606:4700::1111']) expect(deniedAddressReason(ip), ip).toBeUndefined();
  });

  it('matches host patterns exactly or by a *. suffix, never a bare suffix', () => {
    expect(hostAllowed('ci.corp.example', ['*.corp.example'])).toBe(true);
    expect(hostAllowed('corp.example', ['*.corp.example'])).toBe(false);
    expect(hostAllowed('evilcorp.example', ['*.corp.example'])).toBe(false);
    expect(hostAllowed('HOOKS.example.com', ['hooks.example.com'])).toBe(true);
  });

  it('refuses other schemes, plain http unless allowed, and hosts off a set allow-list', () => {
    const open = { allowedHosts: undefined, allowHttp: false };
    expect(() => checkWebhookUrl('ftp://hooks.example.com/', open)).toThrow(/ftp: scheme is not allowed/);
    expect(() => checkWebhookUrl('http://hooks.example.com/', open)).toThrow(/plain http/);
    expect(() => checkWebhookUrl('not a url', open)).toThrow(/not an absolute URL/);
    expect(checkWebhookUrl('https://hooks.example.com/x', open).href).toBe('https://hooks.example.com/x');
    expect(() => checkWebhookUrl('https://other.example.com/', { allowedHosts: ['hooks.example.com'], allowHttp: false })).toThrow(/not on the platform's webhook allow-list/);
    expect(checkWebhookUrl('http://127.0.0.1:9/x', { allowedHosts: ['127.0.0.1'], allowHttp: true }).host).toBe('127.0.0.1:9');
  });
});

import { describe, expect, it } from 'vitest';
import { isIpv4Cidr, parseIpv4Cidr } from './cidr.ts';

describe('parseIpv4Cidr', () => {
  it.each([
    ['10.0.0.0/8', 10 * 2 ** 24, 8],
    ['0.0.0.0/0', 0, 0],
    ['203.0.113.7/32', 203 * 2 ** 24 + 113 * 256 + 7, 32],
    ['192.168.4.0/22', 192 * 2 ** 24 + 168 * 2 ** 16 + 4 * 256, 22],
  ])('accepts %s', (text, address, prefix) => {
    expect(parseIpv4Cidr(text)).toEqual({ address, prefix });
  });

  it.each([
    ['10.0.0.0', 'IPv4 CIDR'],
    ['10.0.0/8', 'four octets'],
    ['10.0.0.256/32', 'four octets'],
    ['10.0.0.01/32', 'four octets'],
    ['10.0.0.0/33', 'prefix'],
    ['10.0.0.0/08', 'prefix'],
    ['10.0.0.0/', 'prefix'],
    ['10.0.0.1/16', 'did you mean 10.0.0.0/16'],
    ['::1/128', 'four octets'],
    ['a.b.c.d/8', 'four octets'],
    ['10.0.0.0/8/8', 'IPv4 CIDR'],
    [' 10.0.0.0/8', 'four octets'],
  ])('rejects %j', (text, reason) => {
    const result = parseIpv4Cidr(text);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
    expect(isIpv4Cidr(text)).toBe(false);
  });
});

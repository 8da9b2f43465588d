/**
 * The SSRF rule of webhook subscriptions: the platform must not be usable to reach internal
 * addresses. A URL must be https (http only when the operator allows it), carry no credentials,
 * and its host must match the operator's allow-list when one is set (KAAS_WEBHOOK_ALLOWED_HOSTS).
 * A host not on the allow-list must never be (or resolve to) a private, loopback, link-local or
 * otherwise non-public address (checked here for literals, and at delivery time for every address
 * its name resolves to, see api/webhooks/guarded-lookup.ts). A host the operator listed
 * explicitly is trusted, whatever it resolves to.
 */
import { isIP } from 'node:net';
import { DomainError } from './errors.ts';

export interface WebhookUrlPolicy {
  /** Host patterns (`hooks.example.com`, `*.example.com`, `10.1.2.3`); undefined: any public host. */
  allowedHosts: readonly string[] | undefined;
  /** Whether plain http is accepted (KAAS_WEBHOOK_ALLOW_HTTP). */
  allowHttp: boolean;
}

const FIX_ALLOW = 'if this receiver is meant to be reachable, a platform admin adds its host to KAAS_WEBHOOK_ALLOWED_HOSTS';

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

const DENIED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

/** Why `ip` is not a public address (loopback, private, link-local, …), or undefined when it is. */
export function deniedAddressReason(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) {
    const n = ipv4Number(ip);
    for (const [base, bits] of DENIED_V4) {
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      if (((n & mask) >>> 0) === ((ipv4Number(base) & mask) >>> 0)) {
        const kind = base === '127.0.0.0' ? 'a loopback' : base === '169.254.0.0' ? 'a link-local (cloud metadata)' : base === '0.0.0.0' ? 'an unspecified' : 'a private or reserved';
        return `${ip} is ${kind} address (${base}/${bits})`;
      }
    }
    return undefined;
  }
  if (family === 6) {
    const lower = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return deniedAddressReason(mapped[1]!);
    if (lower === '::1') return `${ip} is a loopback address`;
    if (lower === '::') return `${ip} is an unspecified address`;
    if (/^f[cd]/.test(lower)) return `${ip} is a unique-local (private) address (fc00::/7)`;
    if (/^fe[89ab]/.test(lower)) return `${ip} is a link-local address (fe80::/10)`;
    if (/^ff/.test(lower)) return `${ip} is a multicast address`;
    return undefined;
  }
  return `${ip} is not an IP address`;
}

/** Whether `host` matches one of `patterns` (`exact.host` or `*.suffix`, case-insensitive). */
export function hostAllowed(host: string, patterns: readonly string[]): boolean {
  const h = host.toLowerCase();
  return patterns.some((p) => {
    const pattern = p.toLowerCase();
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern;
  });
}

/** The hostname of `url` without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Checks a subscription URL against `policy`; returns it parsed, or throws a DomainError naming the problem and the fix. */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DomainError('VALIDATION', `url: "${raw.slice(0, 200)}" is not an absolute URL`, { hint: 'give the receiver as https://host/path', issues: [{ path: 'url', message: 'not an absolute URL' }] });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('VALIDATION', `url: the ${url.protocol} scheme is not allowed; webhooks are sent over https`, { hint: 'give the receiver as https://host/path' });
  if (url.protocol === 'http:' && !policy.allowHttp) throw new DomainError('VALIDATION', `url: ${url.origin} uses plain http; webhook receivers must use https`, { hint: 'serve the receiver over https (or, for a test set-up only, a platform admin sets KAAS_WEBHOOK_ALLOW_HTTP=true)' });
  if (url.username || url.password) throw new DomainError('VALIDATION', 'url: credentials in the URL are not allowed (they would be sent and logged)', { hint: 'remove user:password@ from the URL; deliveries are authenticated by their Kaas-Signature header' });
  const host = bareHost(url);
  const listed = policy.allowedHosts !== undefined && hostAllowed(host, policy.allowedHosts);
  if (policy.allowedHosts !== undefined && !listed) {
    throw new DomainError('FORBIDDEN', `url: host ${host} is not on the platform's webhook allow-list (${policy.allowedHosts.join(', ') || 'empty'})`, { hint: FIX_ALLOW });
  }
  if (!listed && isIP(host)) {
    const reason = deniedAddressReason(host);
    if (reason) throw new DomainError('FORBIDDEN', `url: ${reason}; webhooks are never sent to internal addresses`, { hint: FIX_ALLOW });
  }
  return url;
}

/** Whether addresses of `host` need the public-address check (it is not explicitly allow-listed). */
export function needsAddressCheck(host: string, policy: WebhookUrlPolicy): boolean {
  return !(policy.allowedHosts !== undefined && hostAllowed(host, policy.allowedHosts));
}

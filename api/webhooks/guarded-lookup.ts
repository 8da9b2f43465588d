/**
 * The DNS lookup a delivery connects with: it resolves the receiver's name at delivery time and
 * refuses when any address it resolves to is not public (platform/webhook-url.ts), so a name that
 * pointed at a public address when the subscription was made cannot later reach an internal one
 * (DNS rebinding). The connection uses exactly the addresses checked here: no second lookup.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { deniedAddressReason } from '../../platform/webhook-url.ts';

/** Resolves a name to its addresses (injectable: tests give names the addresses they need). */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Raised when a receiver's name resolves to a denied address. */
export class DeniedAddress extends Error {
  constructor(hostname: string, reason: string) {
    super(`${hostname} resolves to ${reason}; webhooks are never sent to internal addresses (add the host to KAAS_WEBHOOK_ALLOWED_HOSTS if it is meant to be reached)`);
    this.name = 'DeniedAddress';
  }
}

/** Checks every address `hostname` resolves to; throws DeniedAddress on the first that is not public. */
export async function resolvePublic(resolve: Resolver, hostname: string): Promise<{ address: string; family: number }[]> {
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} does not resolve to any address`);
  for (const a of addresses) {
    const reason = deniedAddressReason(a.address);
    if (reason) throw new DeniedAddress(hostname, reason);
  }
  return addresses;
}

/** A `lookup` for node:http(s) that resolves with `resolve` and checks the addresses unless `check` is false. */
export function guardedLookup(resolve: Resolver, check: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const run = check ? resolvePublic(resolve, hostname) : resolve(hostname);
    run.then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) (callback as unknown as (err: null, all: { address: string; family: number }[]) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

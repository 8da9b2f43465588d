/** `kaas targets create NAME --cloud C --region R --account A [--dns-zone Z]… [--allowed-teams a,b]` (platform admins). */
import type { Target } from '../../api-types.ts';
import type { Api } from '../../client.ts';
import { usageError } from '../../errors.ts';

export const CLOUDS = ['sim', 'aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

export interface CreateTargetOptions {
  name: string;
  cloud: string;
  region: string;
  account: string;
  dnsZones: string[];
  /** Comma-separated team names; undefined or "any" means every team. */
  allowedTeams?: string | undefined;
}

export async function createTarget(api: Api, opts: CreateTargetOptions): Promise<Target> {
  if (!(CLOUDS as readonly string[]).includes(opts.cloud)) throw usageError(`--cloud "${opts.cloud}" is not one of ${CLOUDS.join(', ')}`);
  const allowedTeams = opts.allowedTeams === undefined || opts.allowedTeams.trim() === 'any' ? undefined : opts.allowedTeams.split(',').map((s) => s.trim()).filter(Boolean);
  return api.trpc.targets.create.mutate({
    name: opts.name,
    cloud: opts.cloud as Cloud,
    region: opts.region,
    account: opts.account,
    ...(opts.dnsZones.length ? { dnsZones: opts.dnsZones } : {}),
    ...(allowedTeams ? { allowedTeams } : {}),
  });
}

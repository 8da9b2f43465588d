/**
 * `kaas targets create NAME --cloud C --region R --account A [--dns-zone Z]… [--allowed-teams a,b]`
 * plus the cloud's settings: `--eks-admin-role-arn` (aws), `--gke-credentials adc|gcloud` (gcp),
 * `--aks-admin-group ID`… `--kubelogin-mode M` `--azure-dns-resource-group RG` (azure), and
 * `--worker-network ID`… on any managed cloud. Platform admins.
 */
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
  eksAdminRoleArn?: string | undefined;
  gkeCredentials?: string | undefined;
  aksAdminGroups?: string[] | undefined;
  kubeloginMode?: string | undefined;
  azureDnsResourceGroup?: string | undefined;
  /** `--worker-network ID`…: networks the worker runs in or is peered with (any managed cloud). */
  workerNetworks?: string[] | undefined;
}

/** The target's settings object from the cloud-specific flags; a flag of another cloud is a usage error. */
export function targetSettingsFromFlags(opts: CreateTargetOptions): Record<string, unknown> {
  const byCloud: Record<string, Array<[flag: string, key: string, value: unknown]>> = {
    aws: [['--eks-admin-role-arn', 'platformAdminRoleArn', opts.eksAdminRoleArn]],
    gcp: [['--gke-credentials', 'credentialsMode', opts.gkeCredentials]],
    azure: [
      ['--aks-admin-group', 'adminGroupObjectIds', opts.aksAdminGroups?.length ? opts.aksAdminGroups : undefined],
      ['--kubelogin-mode', 'kubeloginMode', opts.kubeloginMode],
      ['--azure-dns-resource-group', 'dnsResourceGroup', opts.azureDnsResourceGroup],
    ],
  };
  const settings: Record<string, unknown> = {};
  if (opts.workerNetworks?.length) {
    if (opts.cloud === 'sim') throw usageError(`--worker-network is an aws, gcp or azure setting; this target's cloud is sim`);
    settings.workerNetworks = opts.workerNetworks;
  }
  for (const [cloud, flags] of Object.entries(byCloud)) {
    for (const [flag, key, value] of flags) {
      if (value === undefined) continue;
      if (cloud !== opts.cloud) throw usageError(`${flag} is a ${cloud} setting; this target's cloud is ${opts.cloud}`);
      settings[key] = value;
    }
  }
  return settings;
}

export async function createTarget(api: Api, opts: CreateTargetOptions): Promise<Target> {
  if (!(CLOUDS as readonly string[]).includes(opts.cloud)) throw usageError(`--cloud "${opts.cloud}" is not one of ${CLOUDS.join(', ')}`);
  const settings = targetSettingsFromFlags(opts);
  const allowedTeams = opts.allowedTeams === undefined || opts.allowedTeams.trim() === 'any' ? undefined : opts.allowedTeams.split(',').map((s) => s.trim()).filter(Boolean);
  return api.trpc.targets.create.mutate({
    name: opts.name,
    cloud: opts.cloud as Cloud,
    region: opts.region,
    account: opts.account,
    ...(opts.dnsZones.length ? { dnsZones: opts.dnsZones } : {}),
    ...(allowedTeams ? { allowedTeams } : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
  });
}

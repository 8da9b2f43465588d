/**
 * Per-target settings the managed-cloud programs need and that only the platform team knows:
 * the IAM role the worker assumes on EKS, the Entra ID admin groups and kubelogin mode on AKS, how
 * the worker authenticates to GKE. Stored on the target, validated when the target is created and
 * again before any program runs. Secrets never go here (credentials come from the worker's
 * environment).
 */
import { z } from 'zod';
import type { Cloud } from './cluster-spec.ts';
import { validationError } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/**
 * kubelogin `--login` modes: https://azure.github.io/kubelogin/concepts/login-modes.html
 * (devicecode, interactive, spn, ropc, msi, azurecli, azd, azurepipelines, workloadidentity).
 */
export const KUBELOGIN_MODES = ['devicecode', 'interactive', 'spn', 'ropc', 'msi', 'azurecli', 'azd', 'azurepipelines', 'workloadidentity'] as const;
export type KubeloginMode = (typeof KUBELOGIN_MODES)[number];

/**
 * How the worker authenticates to GKE. `adc`: Application Default Credentials
 * (gke-gcloud-auth-plugin `--use_application_default_credentials`); `gcloud`: the worker's
 * `gcloud auth login` session. https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl
 */
export const GKE_CREDENTIALS_MODES = ['adc', 'gcloud'] as const;
export type GkeCredentialsMode = (typeof GKE_CREDENTIALS_MODES)[number];

const roleArn = z
  .string()
  .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/kaas-platform-admin');
/**
 * Networks (AWS VPC id, GCP network name or self link, Azure VNet resource id) the worker runs in
 * or is peered with, so it reaches private API endpoints of clusters placed in them
 * (platform/api-endpoint-reachability.ts). Compared with a spec's `networking.vpc.networkId`.
 */
const workerNetworks = z.array(z.string().min(1).max(256)).max(20).default([]);
const objectId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an Entra ID group object id (a GUID)');

export const awsTargetSettingsSchema = z.strictObject({
  /** Role granted cluster-admin by an EKS access entry; the worker assumes it for Kubernetes calls. */
  platformAdminRoleArn: roleArn,
  workerNetworks,
});
export const gcpTargetSettingsSchema = z.strictObject({
  credentialsMode: z.enum(GKE_CREDENTIALS_MODES).default('adc'),
  workerNetworks,
});
export const azureTargetSettingsSchema = z.strictObject({
  /** Entra ID groups granted cluster-admin (local accounts are disabled, so at least one). */
  adminGroupObjectIds: z.array(objectId).min(1, 'give at least one Entra ID group: local accounts are disabled, so nobody else can administer the cluster').max(20),
  kubeloginMode: z.enum(KUBELOGIN_MODES).default('azurecli'),
  /** Resource group holding the target's Azure DNS zones. */
  dnsResourceGroup: z.string().regex(/^[-\w._()]{1,90}$/, 'must be an Azure resource group name').default('dns'),
  workerNetworks,
});

export type AwsTargetSettings = z.infer<typeof awsTargetSettingsSchema>;
export type GcpTargetSettings = z.infer<typeof gcpTargetSettingsSchema>;
export type AzureTargetSettings = z.infer<typeof azureTargetSettingsSchema>;
/** The settings of a target, by its cloud (sim has none). */
export type TargetSettings = AwsTargetSettings | GcpTargetSettings | AzureTargetSettings | Record<string, never>;

const SCHEMAS = { aws: awsTargetSettingsSchema, gcp: gcpTargetSettingsSchema, azure: azureTargetSettingsSchema, sim: z.strictObject({}) } as const;

/** Which settings each cloud requires, for hints and `kaas targets check`. */
export const REQUIRED_SETTINGS: Record<Cloud, string[]> = { aws: ['platformAdminRoleArn'], gcp: [], azure: ['adminGroupObjectIds'], sim: [] };
/** The `kaas targets create` flag of each required setting. */
const SETTING_FLAGS: Record<string, string> = { platformAdminRoleArn: '--eks-admin-role-arn ARN', adminGroupObjectIds: '--aks-admin-group OBJECT_ID' };

/** The networks a target's worker reaches privately (none for sim or when unset). */
export function workerNetworksOf(settings: TargetSettings): string[] {
  return 'workerNetworks' in settings && Array.isArray(settings.workerNetworks) ? settings.workerNetworks : [];
}

/** Parses a target's settings for its cloud (defaults applied); throws a VALIDATION DomainError naming each field. */
export function parseTargetSettings(cloud: Cloud, settings: unknown, prefix = 'settings'): TargetSettings {
  const result = SCHEMAS[cloud].safeParse(settings ?? {});
  if (!result.success) {
    const required = REQUIRED_SETTINGS[cloud];
    throw validationError(
      zodIssuesToFieldIssues(result.error.issues, prefix),
      required.length
        ? `${cloud} targets need ${required.map((r) => `${prefix}.${r}`).join(', ')}: \`kaas targets create NAME --cloud ${cloud} … ${required.map((r) => SETTING_FLAGS[r]).join(' ')}\` (or the API's targets.update)`
        : undefined,
    );
  }
  return result.data as TargetSettings;
}

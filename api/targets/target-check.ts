/**
 * `targets.check`: can this process (the worker, in the default one-process deployment) run
 * clusters on a target? Required settings present and valid, cloud credentials discoverable in
 * the environment, and the Pulumi provider plugins the cloud program needs installed at the
 * versions the SDK packages pin, and whether the worker can reach the API server each checked spec
 * plans (platform/api-endpoint-reachability.ts). Each failing item names its fix. Nothing here
 * calls a cloud. The worker runs the same check before every create (handlers/apply.ts).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import os from 'node:os';
import { apiEndpointReachability } from '../../platform/api-endpoint-reachability.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError, isDomainError } from '../../platform/errors.ts';
import { parseTargetSettings, workerNetworksOf, type TargetSettings } from '../../platform/target-settings.ts';
import { findPulumiBinDir } from '../../stacks/engine/pulumi-cli.ts';
import type { Config } from '../config.ts';
import type { TargetRow } from '../db/schema.ts';

export interface TargetCheckItem {
  check: 'settings' | 'credentials' | 'plugins' | 'endpoint';
  ok: boolean;
  detail: string;
  /** What to do when not ok. */
  fix?: string;
}

export interface TargetCheck {
  target: string;
  cloud: TargetRow['cloud'];
  ok: boolean;
  items: TargetCheckItem[];
}

/** An installed Pulumi plugin as `pulumi plugin ls --json` lists it. */
export interface InstalledPlugin {
  name: string;
  kind: string;
  version: string;
}

export interface TargetCheckDeps {
  /** The environment the worker's cloud SDKs read credentials from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The worker user's home (for ~/.aws, gcloud ADC, ~/.azure). */
  homeDir: string;
  listPlugins: () => Promise<InstalledPlugin[]>;
  /** The worker's public egress addresses (`KAAS_WORKER_EGRESS_CIDRS`); undefined when not configured. */
  workerEgressCidrs: readonly string[] | undefined;
}

/** A spec whose API endpoint the check judges, and how to name it (`template eks-standard@1`). */
export interface CheckedSpec {
  label: string;
  spec: ClusterSpec;
}

/** Resource plugins each cloud program loads (npm package → plugin name). */
const PLUGINS: Record<Exclude<TargetRow['cloud'], 'sim'>, Array<{ pkg: string; plugin: string }>> = {
  aws: [{ pkg: '@pulumi/aws', plugin: 'aws' }, { pkg: '@pulumi/kubernetes', plugin: 'kubernetes' }],
  gcp: [{ pkg: '@pulumi/gcp', plugin: 'gcp' }, { pkg: '@pulumi/kubernetes', plugin: 'kubernetes' }],
  azure: [{ pkg: '@pulumi/azure-native', plugin: 'azure-native' }, { pkg: '@pulumi/kubernetes', plugin: 'kubernetes' }],
};

const require = createRequire(import.meta.url);

/** The version of a provider package installed with the platform, which pins its plugin version. */
function pinnedVersion(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

function exists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where each cloud's default credential chain would find credentials, if anywhere (no network). Also used by the leak check. */
export function credentialSource(cloud: Exclude<TargetRow['cloud'], 'sim'>, env: TargetCheckDeps['env'], home: string): string | undefined {
  switch (cloud) {
    // https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
    case 'aws':
      if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY';
      if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)';
      if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI || env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) return 'container credentials (EKS Pod Identity / ECS)';
      if (exists(env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials')) || exists(env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config'))) return `AWS profile ${env.AWS_PROFILE ?? 'default'} (~/.aws)`;
      return undefined;
    // https://cloud.google.com/docs/authentication/application-default-credentials
    case 'gcp':
      if (env.GOOGLE_APPLICATION_CREDENTIALS) return `GOOGLE_APPLICATION_CREDENTIALS (${env.GOOGLE_APPLICATION_CREDENTIALS})`;
      if (exists(path.join(env.CLOUDSDK_CONFIG ?? path.join(home, '.config', 'gcloud'), 'application_default_credentials.json'))) return 'gcloud application-default login';
      return undefined;
    // https://learn.microsoft.com/azure/developer/javascript/sdk/authentication/credential-chains
    case 'azure':
      if (env.ARM_CLIENT_ID || env.AZURE_CLIENT_ID) {
        if (env.AZURE_FEDERATED_TOKEN_FILE || env.ARM_OIDC_TOKEN_FILE_PATH) return 'workload identity (AZURE_CLIENT_ID + federated token)';
        if (env.ARM_CLIENT_SECRET || env.AZURE_CLIENT_SECRET) return 'service principal secret';
        if (env.ARM_USE_MSI === 'true') return 'managed identity (ARM_USE_MSI)';
      }
      if (exists(path.join(env.AZURE_CONFIG_DIR ?? path.join(home, '.azure'), 'azureProfile.json'))) return 'Azure CLI login (~/.azure)';
      return undefined;
  }
}

const CREDENTIAL_FIX: Record<Exclude<TargetRow['cloud'], 'sim'>, string> = {
  aws: 'give the worker AWS credentials: an IAM role (EKS Pod Identity / IRSA / instance profile) or AWS_PROFILE; it must be allowed to assume the platform admin role',
  gcp: 'give the worker Application Default Credentials: a service account via Workload Identity, GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth application-default login`',
  azure: 'give the worker an Azure identity: workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE), ARM_USE_MSI=true, or `az login`',
};

/** Whether the worker reaches the API server `spec` plans on `row`'s target, as a check item. */
function endpointItem(row: TargetRow, settings: TargetSettings, checked: CheckedSpec, egress: readonly string[] | undefined): TargetCheckItem {
  const r = apiEndpointReachability(row.cloud, checked.spec.networking, { egressCidrs: egress, privateNetworks: workerNetworksOf(settings) });
  return r.verdict === 'reachable'
    ? { check: 'endpoint', ok: true, detail: `${checked.label}: ${r.detail}` }
    : { check: 'endpoint', ok: false, detail: `${checked.label}: ${r.verdict === 'unknown' ? 'cannot tell whether the worker reaches the API server: ' : ''}${r.detail}`, fix: r.fix };
}

/**
 * Runs every check for one target, and the endpoint check for each of `specs` (a target's
 * templates with their defaults, or the spec about to be created); never throws for a failed check.
 */
export async function checkTarget(row: TargetRow, deps: TargetCheckDeps, specs: readonly CheckedSpec[] = []): Promise<TargetCheck> {
  const items: TargetCheckItem[] = [];
  let settings: TargetSettings | undefined;
  try {
    settings = parseTargetSettings(row.cloud, row.settings);
    items.push({ check: 'settings', ok: true, detail: 'required settings present and valid' });
  } catch (err) {
    if (!isDomainError(err)) throw err;
    items.push({ check: 'settings', ok: false, detail: err.message, fix: err.hint ?? `fix the settings with \`kaas targets update ${row.name}\`` });
  }
  if (row.cloud === 'sim') {
    items.push({ check: 'credentials', ok: true, detail: 'simulated cloud: no credentials needed' });
    return { target: row.name, cloud: row.cloud, ok: items.every((i) => i.ok), items };
  }
  const source = credentialSource(row.cloud, deps.env, deps.homeDir);
  items.push(
    source
      ? { check: 'credentials', ok: true, detail: `found: ${source} (not verified against the cloud)` }
      : { check: 'credentials', ok: false, detail: `no ${row.cloud} credentials discoverable in the worker's environment (instance metadata was not probed)`, fix: CREDENTIAL_FIX[row.cloud] },
  );
  let installed: InstalledPlugin[] | undefined;
  let listError: string | undefined;
  try {
    installed = await deps.listPlugins();
  } catch (err) {
    listError = err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
  for (const { pkg, plugin } of PLUGINS[row.cloud]) {
    const version = pinnedVersion(pkg);
    if (!installed) {
      items.push({ check: 'plugins', ok: false, detail: `cannot list Pulumi plugins: ${listError}`, fix: 'install the Pulumi CLI (npm run setup:pulumi)' });
      break;
    }
    const have = installed.filter((p) => p.kind === 'resource' && p.name === plugin).map((p) => p.version);
    items.push(
      have.includes(version)
        ? { check: 'plugins', ok: true, detail: `resource plugin ${plugin} ${version} installed` }
        : { check: 'plugins', ok: false, detail: `resource plugin ${plugin} ${version} (pinned by ${pkg}) is not installed${have.length ? `; installed: ${have.join(', ')}` : ''}`, fix: `pulumi plugin install resource ${plugin} ${version} (with PULUMI_HOME set to the platform's <home>/pulumi)` },
    );
  }
  // the endpoint rule needs the worker networks setting; an invalid settings item already failed
  if (settings) for (const checked of specs) items.push(endpointItem(row, settings, checked, deps.workerEgressCidrs));
  return { target: row.name, cloud: row.cloud, ok: items.every((i) => i.ok), items };
}

/** The error a create fails with when its target's check fails: every failure with its fix. */
export function targetCheckError(check: TargetCheck): DomainError {
  const failed = check.items.filter((i) => !i.ok);
  const lines = failed.map((i) => `${i.check}: ${i.detail}${i.fix ? ` (fix: ${i.fix})` : ''}`);
  return new DomainError('PRECONDITION_FAILED', `target ${check.target} failed its check before the create, nothing was created: ${lines.join('; ')}`, {
    hint: `fix each item, then \`kaas targets check ${check.target}\` and retry the create`,
  });
}

/** The check's dependencies in a running platform: the worker's own environment and Pulumi CLI. */
export function configuredCheckDeps(config: Readonly<Config>): TargetCheckDeps {
  return {
    // the worker's own environment: that is where its cloud SDKs look for credentials
    env: config.cloudCredentialEnv,
    homeDir: os.homedir(),
    listPlugins: pulumiPluginLister(findPulumiBinDir(config.pulumiTools), path.join(config.home, 'pulumi'), config.hostPath),
    workerEgressCidrs: config.workerEgressCidrs,
  };
}

/** Lists plugins with the Pulumi CLI the engine uses, in the engine's PULUMI_HOME. */
export function pulumiPluginLister(pulumiBin: string | undefined, pulumiHome: string, hostPath: string): () => Promise<InstalledPlugin[]> {
  return async () => {
    if (!pulumiBin) throw new Error('the Pulumi CLI is not installed');
    const { stdout } = await promisify(execFile)(path.join(pulumiBin, 'pulumi'), ['plugin', 'ls', '--json'], {
      env: { PATH: hostPath, PULUMI_HOME: pulumiHome, PULUMI_SKIP_UPDATE_CHECK: 'true' },
      timeout: 30_000,
    });
    return (JSON.parse(stdout || '[]') as InstalledPlugin[] | null) ?? [];
  };
}

/**
 * The `ClusterProbe` of one cluster: the sim cloud's own reader for sim targets; for EKS, GKE and
 * AKS the Kubernetes API reader, reaching the API server named in the cluster's kubeconfig output
 * with the platform's credentials — the token its exec plugin prints (`aws eks get-token
 * --role-arn <platform admin role>`, `gke-gcloud-auth-plugin`, `kubelogin get-token`), run in the
 * worker's environment exactly as kubectl would
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins),
 * plus the cloud's insights for preflight: EKS upgrade insights (eks-insights.ts), GKE deprecation
 * insights (gke-insights.ts), and the cloud's quota for surge capacity: EC2 On-Demand vCPUs
 * (aws-surge-quota.ts), Compute Engine regional CPUs (gcp-surge-quota.ts), Azure Compute vCPU
 * usages (azure-surge-quota.ts). A quota that cannot be read is a preflight warning, not an error.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { addonDelivery } from '../../../platform/addon-catalog.ts';
import type { ClusterProbe, PreflightFindings, PreflightWarning, SurgeCapacity, SurgeDemand } from '../../../platform/cluster-probe.ts';
import { ADDON_IDS, type Cloud } from '../../../platform/cluster-spec.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { simClusterProbe } from '../../../stacks/sim/sim-probe.ts';
import type { Config } from '../../config.ts';
import type { ClusterRow } from '../../db/schema.ts';
import { awsSurgeCapacity } from './aws-surge-quota.ts';
import { azureSurgeCapacity } from './azure-surge-quota.ts';
import { eksUpgradeInsights } from './eks-insights.ts';
import { gcpSurgeCapacity } from './gcp-surge-quota.ts';
import { gkeDeprecationInsights } from './gke-insights.ts';
import { kubeClusterProbe, type KubeEndpoint } from './kube-probe.ts';

const run = promisify(execFile);

/** The exec user of a kubeconfig (`users[0].user.exec`). */
interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[] | null;
}

/** Server, CA and exec plugin of a kubeconfig document (JSON or YAML); throws naming what is missing. */
export function endpointOfKubeconfig(kubeconfig: string, env: Readonly<Record<string, string | undefined>>): KubeEndpoint {
  const doc = parse(kubeconfig) as any;
  const contextName = doc?.['current-context'];
  const context = (doc?.contexts ?? []).find((c: any) => c.name === contextName)?.context ?? doc?.contexts?.[0]?.context;
  const cluster = (doc?.clusters ?? []).find((c: any) => c.name === context?.cluster)?.cluster ?? doc?.clusters?.[0]?.cluster;
  const user = (doc?.users ?? []).find((u: any) => u.name === context?.user)?.user ?? doc?.users?.[0]?.user;
  if (typeof cluster?.server !== 'string') throw new Error('the kubeconfig names no server');
  const caData = cluster['certificate-authority-data'];
  const exec = user?.exec as ExecConfig | undefined;
  const staticToken = typeof user?.token === 'string' ? (user.token as string) : undefined;
  let cached: { token: string; until: number } | undefined;
  const token = exec
    ? async () => {
        if (cached && cached.until > Date.now() + 30_000) return cached.token;
        const extra = Object.fromEntries((exec.env ?? []).map((e) => [e.name, e.value]));
        const { stdout } = await run(exec.command, exec.args ?? [], { env: { ...env, ...extra }, timeout: 60_000 });
        const status = (JSON.parse(stdout) as { status?: { token?: string; expirationTimestamp?: string } }).status;
        if (!status?.token) throw new Error(`${exec.command} printed no token`);
        cached = { token: status.token, until: status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Date.now() + 60_000 };
        return status.token;
      }
    : staticToken
      ? async () => staticToken
      : undefined;
  return { server: cluster.server, ...(typeof caData === 'string' ? { caPem: Buffer.from(caData, 'base64').toString('utf8') } : {}), ...(token ? { token } : {}) };
}

/** The namespaces whose workloads health gates watch: kube-system and every addon's. */
export function systemNamespaces(cloud: Cloud): string[] {
  const namespaces = new Set(['kube-system']);
  if (cloud !== 'sim') {
    for (const addon of ADDON_IDS) {
      const delivery = addonDelivery(addon, cloud);
      if (delivery.kind === 'helm') namespaces.add(delivery.chart.namespace);
    }
  }
  return [...namespaces];
}

type SurgeRead = Promise<{ surge: SurgeCapacity[]; warnings: PreflightWarning[] }>;

/** The quota readers per cloud; a seam for tests. */
export interface SurgeQuotaReaders {
  aws(demands: readonly SurgeDemand[], region: string): SurgeRead;
  gcp(project: string, region: string, demands: readonly SurgeDemand[]): SurgeRead;
  azure(subscriptionId: string, location: string, demands: readonly SurgeDemand[]): SurgeRead;
}

const CLOUD_QUOTAS: SurgeQuotaReaders = {
  aws: (demands, region) => awsSurgeCapacity(demands, { region }),
  gcp: (project, region, demands) => gcpSurgeCapacity(project, region, demands),
  azure: (subscriptionId, location, demands) => azureSurgeCapacity(subscriptionId, location, demands),
};

/**
 * `findings` with the surge capacity of `demands` read from the target's cloud quota (account:
 * AWS account, GCP project, Azure subscription; region: its region or location) and the
 * warnings of what could not be read.
 */
export async function withCloudSurge(findings: PreflightFindings, target: { cloud: Cloud; region: string; account?: string }, demands: readonly SurgeDemand[], readers: SurgeQuotaReaders = CLOUD_QUOTAS): Promise<PreflightFindings> {
  if (demands.every((d) => d.nodes <= 0)) return findings;
  let read: { surge: SurgeCapacity[]; warnings: PreflightWarning[] } | undefined;
  if (target.cloud === 'aws') read = await readers.aws(demands, target.region);
  else if ((target.cloud === 'gcp' || target.cloud === 'azure') && !target.account) {
    read = { surge: [], warnings: [{ check: 'surge-capacity', message: `surge capacity of node pool(s) ${demands.map((d) => d.pool).join(', ')} was not checked: the target names no ${target.cloud === 'gcp' ? 'GCP project' : 'Azure subscription'} (account)` }] };
  } else if (target.cloud === 'gcp') read = await readers.gcp(target.account!, target.region, demands);
  else if (target.cloud === 'azure') read = await readers.azure(target.account!, target.region, demands);
  if (!read) return findings;
  return { ...findings, surge: [...findings.surge, ...read.surge], warnings: [...(findings.warnings ?? []), ...read.warnings] };
}

/**
 * The probe of `cluster`; `outputs` reads its stack outputs (the kubeconfig, the EKS cluster name)
 * when a real cloud needs them. Preflight adds the cloud's insights to what the API server reports:
 * EKS upgrade insights, and on GKE the Recommender's deprecation insights for the target's project
 * (`account`) and location (`region`) and the stack's `clusterName`; and, for the surge demands
 * it is handed, the cloud's quota (`withCloudSurge`).
 */
export function clusterProbeFor(config: Readonly<Config>, cluster: Pick<ClusterRow, 'id'>, target: { cloud: Cloud; region: string; account?: string }, outputs: () => Promise<StackOutputs>): ClusterProbe {
  if (target.cloud === 'sim') return simClusterProbe(config.simCloudDir, cluster.id);
  let read: Promise<{ probe: ClusterProbe; stack: StackOutputs }> | undefined;
  const real = () =>
    (read ??= outputs().then((o) => {
      const kubeconfig = o.kubeconfig?.value;
      if (typeof kubeconfig !== 'string') throw new Error('the cluster has no kubeconfig output');
      return { probe: kubeClusterProbe(endpointOfKubeconfig(kubeconfig, config.toolEnv), { systemNamespaces: systemNamespaces(target.cloud) }), stack: o };
    }));
  return {
    signals: async () => (await real()).probe.signals(),
    prometheus: async (q) => (await real()).probe.prometheus(q),
    runJob: async (j, s) => (await real()).probe.runJob(j, s),
    async preflight(m, p, demands = []) {
      const { probe, stack } = await real();
      const findings = await withCloudSurge(await probe.preflight(m, p), target, demands);
      const clusterName = stack.clusterName?.value;
      if (target.cloud === 'aws' && typeof clusterName === 'string') findings.deprecatedApis.push(...(await eksUpgradeInsights(clusterName, m, { region: target.region })));
      if (target.cloud === 'gcp' && typeof clusterName === 'string' && target.account) findings.deprecatedApis.push(...(await gkeDeprecationInsights(target.account, target.region, clusterName, m)));
      return findings;
    },
  };
}

/** Builds the probe of one cluster (`clusterProbeFor`'s shape). */
export type ClusterProbeFactory = typeof clusterProbeFor;

/** The probe of `cluster` from the services' factory, or the cloud's own reader when none is set. */
export function clusterProbeOf(services: { config: Readonly<Config>; clusterProbe?: ClusterProbeFactory | undefined }, cluster: Pick<ClusterRow, 'id'>, target: { cloud: Cloud; region: string; account?: string }, outputs: () => Promise<StackOutputs>): ClusterProbe {
  return (services.clusterProbe ?? clusterProbeFor)(services.config, cluster, target, outputs);
}

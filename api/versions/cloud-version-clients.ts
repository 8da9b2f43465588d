/**
 * Live Kubernetes version lists from each cloud, behind `LiveVersionSource`:
 * - EKS DescribeClusterVersions (https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html);
 * - GKE projects.locations.getServerConfig
 *   (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations/getServerConfig);
 * - AKS managedClusters listKubernetesVersions
 *   (https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/list-kubernetes-versions).
 * Each SDK finds credentials its usual way (AWS default chain, Google ADC, Azure
 * DefaultAzureCredential); the options let tests point the SDK at a local server.
 */
import { DescribeClusterVersionsCommand, EKSClient, type ClusterVersionInformation } from '@aws-sdk/client-eks';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { ClusterManagerClient } from '@google-cloud/container';
import { minorOf, newestPatchOf, type LiveMinor, type LiveTarget, type LiveVersionSource } from './live-versions.ts';

const day = (d: Date | undefined): string | undefined => (d ? d.toISOString().slice(0, 10) : undefined);

/**
 * EKS: every cluster version the region offers, with AWS's own support dates. No newest patch:
 * EKS applies patch (platform) versions itself and its cluster version takes MAJOR.MINOR only
 * (platform/kubernetes-patch.ts), so the `kubernetesPatchVersion` it reports is not a release kaas
 * could pin.
 */
export function eksVersionSource(options: { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } = {}): LiveVersionSource {
  return {
    async listVersions(target: LiveTarget): Promise<LiveMinor[]> {
      const client = new EKSClient({ region: target.region, maxAttempts: 1, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) });
      try {
        const found: ClusterVersionInformation[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(new DescribeClusterVersionsCommand({ clusterType: 'eks', ...(nextToken ? { nextToken } : {}) }));
          found.push(...(page.clusterVersions ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        return found.flatMap((v): LiveMinor[] => {
          if (!v.clusterVersion) return [];
          const status = v.versionStatus ?? v.status;
          return [
            {
              version: v.clusterVersion,
              ...(v.defaultVersion ? { default: true } : {}),
              ...(day(v.endOfStandardSupportDate) ? { endOfStandardSupport: day(v.endOfStandardSupportDate)! } : {}),
              ...(day(v.endOfExtendedSupportDate) ? { endOfExtendedSupport: day(v.endOfExtendedSupportDate)! } : {}),
              ...(status ? { status: String(status) } : {}),
            },
          ];
        });
      } finally {
        client.destroy();
      }
    },
  };
}

/**
 * GKE: the versions the location's server config lists (valid master versions and the default),
 * with each minor's newest valid master version as its newest patch (GKE version order: patch,
 * then the gke build; ServerConfig.validMasterVersions is "in descending order", but kaas orders
 * them itself, https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/ServerConfig).
 */
export function gkeVersionSource(options: { apiEndpoint?: string; port?: number; protocol?: 'http' | 'https'; apiKey?: string; universeDomain?: string } = {}): LiveVersionSource {
  return {
    async listVersions(target: LiveTarget): Promise<LiveMinor[]> {
      const client = new ClusterManagerClient({ fallback: true, ...options });
      try {
        const [config] = await client.getServerConfig({ name: `projects/${target.account}/locations/${target.region}` });
        const defaultMinor = config.defaultClusterVersion ? minorOf(config.defaultClusterVersion) : undefined;
        const valid = config.validMasterVersions ?? [];
        const seen = new Set<string>();
        const minors: LiveMinor[] = [];
        for (const v of valid) {
          const minor = minorOf(v);
          if (!minor || seen.has(minor)) continue;
          seen.add(minor);
          const newestPatch = newestPatchOf(minor, valid);
          minors.push({ version: minor, ...(minor === defaultMinor ? { default: true } : {}), ...(newestPatch ? { newestPatch } : {}) });
        }
        return minors;
      } finally {
        await client.close();
      }
    },
  };
}

/**
 * AKS: the versions the location offers, with whether each is the default or LTS-capable (preview
 * minors are left out), and the newest key of its `patchVersions` map as its newest patch
 * (https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/list-kubernetes-versions).
 */
export function aksVersionSource(options: { endpoint?: string; credential?: TokenCredential; tlsCa?: string } = {}): LiveVersionSource {
  return {
    async listVersions(target: LiveTarget): Promise<LiveMinor[]> {
      const client = new ContainerServiceClient(options.credential ?? new DefaultAzureCredential(), target.account, {
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {}),
        retryOptions: { maxRetries: 0 },
      });
      const result = await client.managedClusters.listKubernetesVersions(target.region);
      return (result.values ?? []).flatMap((v): LiveMinor[] => {
        if (!v.version || v.isPreview) return [];
        const plans = v.capabilities?.supportPlan ?? [];
        const newestPatch = newestPatchOf(v.version, Object.keys(v.patchVersions ?? {}));
        return [{ version: v.version, ...(v.isDefault ? { default: true } : {}), status: plans.join(',') || 'KubernetesOfficial', ...(newestPatch ? { newestPatch } : {}) }];
      });
    },
  };
}

/** The production source: one client per cloud, chosen by the target's cloud. */
export function cloudVersionSource(sources: { aws?: LiveVersionSource; gcp?: LiveVersionSource; azure?: LiveVersionSource } = {}): LiveVersionSource {
  const bySource = { aws: sources.aws ?? eksVersionSource(), gcp: sources.gcp ?? gkeVersionSource(), azure: sources.azure ?? aksVersionSource() };
  return { listVersions: (target) => bySource[target.cloud].listVersions(target) };
}

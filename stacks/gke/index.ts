/** The GKE program factory: spec + identity + options → a Pulumi inline program. */
import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import type { GkeCredentialsMode } from '../../platform/target-settings.ts';
import { assertProgramTarget } from '../common/program-guard.ts';
import { standardLabels } from '../common/tags.ts';
import { installAddons } from '../addons/install.ts';
import { GkeCluster } from './cluster.ts';

export interface GkeProgramOptions {
  /** Cloud DNS managed-zone names by DNS name; default: the DNS name with dots as dashes. */
  dnsManagedZones?: Record<string, string>;
  /** Control-plane /28 for private clusters; default 172.16.0.0/28. */
  masterIpv4CidrBlock?: string;
  /** How the kubeconfig authenticates: Application Default Credentials (default) or the gcloud login. */
  credentialsMode?: GkeCredentialsMode;
  /** The cluster is hibernated: every node pool a fixed 0, no autoscaling (stacks/program-for.ts). */
  hibernated?: boolean;
}

export interface GkeOutputs {
  clusterName: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  kubeconfig: pulumi.Output<string>;
}

/** Checks the spec against the catalog (throws before any resource) and returns the program. */
export function gkeProgram(spec: ClusterSpec, identity: ClusterIdentity, options: GkeProgramOptions = {}): () => Promise<GkeOutputs> {
  assertProgramTarget(spec, 'gcp', 'gkeProgram');
  return async () => {
    const provider = new gcp.Provider('gcp', { project: spec.target.account, region: spec.target.region });
    const cluster = new GkeCluster(spec.name, {
      spec,
      identity,
      masterIpv4CidrBlock: options.masterIpv4CidrBlock ?? '172.16.0.0/28',
      credentialsMode: options.credentialsMode ?? 'adc',
      hibernated: options.hibernated === true,
    }, { providers: [provider] });
    const k8sProvider = new k8s.Provider('k8s', { kubeconfig: cluster.kubeconfig }, { parent: cluster });
    installAddons({
      spec,
      identity,
      provider: k8sProvider,
      cloud: {
        cloud: 'gcp',
        project: spec.target.account,
        region: spec.target.region,
        clusterName: cluster.clusterName,
        workloadPool: cluster.workloadPool,
        dnsManagedZones: options.dnsManagedZones ?? {},
        labels: standardLabels(spec, identity),
      },
    }, cluster.nodePools, cluster);
    return {
      clusterName: cluster.clusterName,
      endpoint: cluster.endpoint,
      certificateAuthority: cluster.certificateAuthority,
      kubeconfig: cluster.kubeconfig,
    };
  };
}

/**
 * The `sim` cloud's cluster program: the same ClusterSpec that drives EKS/GKE/AKS, built from
 * simulated resources — one cluster, one node pool per cloud pool (platform/pool-generation.ts:
 * a spec pool, or a blue-green pool's generations; after the cluster), one addon
 * release per enabled addon (after the node pools). Everything it outputs says it is simulated.
 */
import * as pulumi from '@pulumi/pulumi';
import { enabledAddons, type ClusterIdentity, type ClusterSpec } from '../../platform/cluster-spec.ts';
import { clusterTag } from '../../platform/cluster-tag.ts';
import { physicalPools } from '../../platform/pool-generation.ts';
import { SimResource } from './sim-resource.ts';

export const SIMULATED_NOTICE = 'SIMULATED: this cluster lives in the local sim cloud; no real Kubernetes API exists.';

export interface SimProgramOptions {
  /** The directory that plays the cloud. */
  cloudDir: string;
  /** The cluster is hibernated: every pool fixed at 0, recorded as `hibernated: true` on the pool (stacks/program-for.ts). */
  hibernated?: boolean;
}

/** The sim cluster as a component: `kaas:sim:Cluster`. */
export class SimCluster extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<string>;
  readonly nodePools: Record<string, SimResource> = {};
  readonly addons: Record<string, SimResource> = {};

  constructor(name: string, spec: ClusterSpec, identity: ClusterIdentity, options: SimProgramOptions, opts?: pulumi.ComponentResourceOptions) {
    super('kaas:sim:Cluster', name, {}, opts);
    const common = { cloudDir: options.cloudDir, clusterId: identity.clusterId };
    const cluster = new SimResource(
      'control-plane',
      {
        ...common,
        kind: 'cluster',
        name: spec.name,
        properties: {
          kubernetesVersion: spec.kubernetesVersion,
          // the patch release a patch campaign pinned, recorded like a real cloud's exact version
          ...(spec.kubernetesPatch === undefined ? {} : { kubernetesPatch: spec.kubernetesPatch }),
          region: spec.target.region,
          authorizedCidrs: spec.networking.authorizedCidrs,
          privateEndpoint: spec.networking.privateEndpoint,
          tags: { ...spec.tags, team: spec.team, ...clusterTag('sim', identity.clusterId) },
        },
      },
      { parent: this },
    );
    this.endpoint = cluster.endpoint.apply((e) => e ?? '');
    // a blue-green pool is its current generation plus, while a rollback is possible, the previous one
    const hibernated = options.hibernated === true;
    const pools = physicalPools(spec, { hibernated }).map((pool) => {
      const resource = new SimResource(
        `pool-${pool.name}`,
        {
          ...common,
          kind: 'nodepool',
          name: pool.name,
          properties: {
            kubernetesVersion: pool.kubernetesVersion ?? spec.kubernetesVersion,
            ...(pool.kubernetesPatch === undefined ? {} : { kubernetesPatch: pool.kubernetesPatch }),
            machineType: pool.machineType,
            minSize: pool.minSize,
            maxSize: pool.maxSize,
            desiredSize: pool.desiredSize,
            labels: pool.labels,
            taints: pool.taints,
            ...(pool.logicalName === pool.name ? {} : { pool: pool.logicalName }),
            // the simulated autoscaler off: the pool stays at 0 until the wake's run
            ...(hibernated ? { hibernated: true } : {}),
          },
        },
        { parent: this, dependsOn: [cluster] },
      );
      this.nodePools[pool.name] = resource;
      return resource;
    });
    for (const addon of enabledAddons(spec)) {
      this.addons[addon] = new SimResource(
        `addon-${addon}`,
        { ...common, kind: 'addon', name: addon, properties: { values: spec.addons[addon]?.values ?? {} } },
        { parent: this, dependsOn: pools },
      );
    }
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

/** A kubeconfig for the simulated endpoint; it cannot reach anything, and says so. */
function simKubeconfig(name: string, endpoint: string): string {
  return [
    '# ' + SIMULATED_NOTICE,
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: ${name}, cluster: {server: "${endpoint}"}}]`,
    `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}}}]`,
    `current-context: ${name}`,
    `users: [{name: ${name}, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "echo", args: ["simulated cluster: no credentials exist"]}}}]`,
    '',
  ].join('\n');
}

/** Returns the inline Pulumi program for a sim cluster. */
export function simProgram(spec: ClusterSpec, identity: ClusterIdentity, options: SimProgramOptions) {
  return async () => {
    const cluster = new SimCluster(spec.name, spec, identity, options);
    return {
      simulated: true,
      notice: SIMULATED_NOTICE,
      endpoint: cluster.endpoint,
      kubernetesVersion: spec.kubernetesVersion,
      ...(spec.kubernetesPatch === undefined ? {} : { kubernetesPatch: spec.kubernetesPatch }),
      nodePools: Object.fromEntries(Object.entries(cluster.nodePools).map(([name, r]) => [name, r.properties])),
      addons: Object.keys(cluster.addons),
      kubeconfig: pulumi.secret(cluster.endpoint.apply((e) => simKubeconfig(spec.name, e))),
    };
  };
}

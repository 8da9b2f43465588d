/**
 * One EKS managed node group per node pool, each with its own node role and launch template.
 * Node group tags stay on the node group; the EC2 instances, their volumes and network
 * interfaces get the cluster's tags only from the launch template's tag specifications
 * (https://docs.aws.amazon.com/eks/latest/userguide/launch-templates.html: the template may not set
 * the instance profile, subnets or, when the node group does, instance types; it sets only tags here).
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { NodePoolSpec, TaintEffect } from '../../platform/cluster-spec.ts';
import { NODE_POLICIES, serviceRole } from './iam.ts';
import { eksUpdateConfig } from '../../platform/pool-surge.ts';

const EKS_TAINT_EFFECT: Record<TaintEffect, string> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

/** What the node launch template tags at launch (EC2 TagSpecification resource types). */
const NODE_TAGGED_TYPES = ['instance', 'volume', 'network-interface'] as const;

/** Creates the node role and managed node group of `pool`. */
export function eksNodeGroup(
  pool: NodePoolSpec,
  args: {
    clusterName: pulumi.Input<string>;
    clusterVersion: string;
    subnetIds: pulumi.Input<string>[];
    partition: string;
    tags: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): aws.eks.NodeGroup {
  const { role, attachments } = serviceRole(`${pool.name}-node`, 'ec2.amazonaws.com', NODE_POLICIES, args.partition, args.tags, opts);
  const template = new aws.ec2.LaunchTemplate(`${pool.name}-nodes`, {
    description: `Tags of the nodes of pool ${pool.name}`,
    // IMDSv2 only; two hops so containers that read instance metadata (region, instance id) keep
    // working: the addons take credentials from IRSA, not from the node role
    metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    tagSpecifications: NODE_TAGGED_TYPES.map((resourceType) => ({ resourceType, tags: args.tags })),
    tags: args.tags,
  }, opts);
  return new aws.eks.NodeGroup(pool.name, {
    clusterName: args.clusterName,
    nodeGroupName: pool.name,
    nodeRoleArn: role.arn,
    version: pool.kubernetesVersion ?? args.clusterVersion,
    subnetIds: args.subnetIds,
    instanceTypes: [pool.machineType],
    // minSize and desiredSize may be 0, maxSize at least 1 (NodegroupScalingConfig: ZeroCapacity / Capacity,
    // https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html)
    scalingConfig: { minSize: pool.minSize, maxSize: Math.max(1, pool.maxSize), desiredSize: pool.desiredSize },
    // the pool's surge.maxUnavailable (default a third of the pool); EKS has no maxSurge (platform/pool-surge.ts)
    updateConfig: eksUpdateConfig(pool.surge),
    labels: pool.labels,
    taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: EKS_TAINT_EFFECT[t.effect] })),
    launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
    tags: args.tags,
  }, {
    ...opts,
    dependsOn: attachments,
    // kaas owns desiredSize: no cluster autoscaler runs on EKS (the addon catalog,
    // platform/addon-catalog.ts, has none), so a change of the spec's desiredSize (an update, a
    // hibernate to 0, a wake, a drained blue-green generation) is applied, never ignored: "whenever
    // this parameter changes, the number of worker nodes in the node group is updated to the
    // specified size" (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html)
  });
}

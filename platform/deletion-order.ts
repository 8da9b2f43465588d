/**
 * The order a cluster is torn down in. What in-cluster controllers created in the cloud (DNS
 * records by ExternalDNS, load balancers by the ingress controller) must be released while those
 * controllers still run, so their addons go first; then the other addons, then the node pools
 * (they must go before the cluster, pulumi/pulumi#9009), then the cluster, then the stack.
 */
import type { AddonId } from './cluster-spec.ts';

/** Addons whose controllers create cloud resources outside the stack. */
export const CONTROLLER_OWNING_ADDONS: readonly AddonId[] = ['external-dns', 'ingress'];

/** One stage of the teardown. */
export type DeletionStage =
  | { kind: 'controller-addons'; addons: readonly AddonId[]; description: string }
  | { kind: 'addons'; description: string }
  | { kind: 'node-pools'; description: string }
  | { kind: 'cluster'; description: string }
  | { kind: 'stack'; description: string };

/** Every stage, in order. */
export const DELETION_STAGES: readonly DeletionStage[] = [
  { kind: 'controller-addons', addons: CONTROLLER_OWNING_ADDONS, description: 'release what in-cluster controllers created (external-dns, ingress)' },
  { kind: 'addons', description: 'remove the other addons' },
  { kind: 'node-pools', description: 'remove the node pools' },
  { kind: 'cluster', description: 'remove the cluster' },
  { kind: 'stack', description: 'remove the stack' },
];

/**
 * What hibernating a cluster can save on each cloud: node pools scale to zero everywhere; only
 * some clouds can also stop the control plane. One table, shown by `kaas clusters hibernate --help`,
 * in plan output and in the README.
 */
import type { Cloud } from './cluster-spec.ts';

export interface CloudHibernation {
  /** Whether the cloud can stop (and bill nothing for) the control plane. */
  controlPlaneStop: boolean;
  /** What kaas does, and what still costs money. */
  note: string;
  /** Where the cloud documents it. */
  source: string;
}

export const CLOUD_HIBERNATION: Readonly<Record<Cloud, CloudHibernation>> = Object.freeze({
  aws: {
    controlPlaneStop: false,
    note: 'EKS cannot stop its control plane: node groups scale to 0, the hourly control-plane fee is still charged',
    source: 'https://aws.amazon.com/eks/pricing/',
  },
  gcp: {
    controlPlaneStop: false,
    note: 'GKE has no control-plane stop: node pools scale to 0, the cluster management fee is still charged',
    source: 'https://cloud.google.com/kubernetes-engine/pricing',
  },
  azure: {
    controlPlaneStop: true,
    note: 'AKS can stop a whole cluster (az aks stop); kaas scales node pools to 0 and does not yet call stop',
    source: 'https://learn.microsoft.com/azure/aks/start-stop-cluster',
  },
  sim: {
    controlPlaneStop: false,
    note: 'sim cloud: node pools scale to 0 through a normal update; the control plane is not simulated as stopped',
    source: 'stacks/ (the simulated cloud)',
  },
} satisfies Record<Cloud, CloudHibernation>);

/** One line per cloud, for help text and plan output. */
export function cloudHibernationLines(): string[] {
  return Object.entries(CLOUD_HIBERNATION).map(([cloud, h]) => `${cloud}: ${h.note}`);
}

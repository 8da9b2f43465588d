/**
 * Kubernetes minor versions each managed cloud offers for new clusters, as recorded by the
 * platform team. Pure data: update it when a cloud adds or retires a minor version.
 * (Named `cloud-…` so it does not clash with the version rules in `kubernetes-versions.ts`.)
 */
import type { Cloud } from './cluster-spec.ts';

/** The managed clouds (every cloud except the simulated `sim`). */
export type ManagedCloud = Exclude<Cloud, 'sim'>;

/** Minor versions offered per managed cloud, oldest first. */
export const CLOUD_KUBERNETES_VERSIONS: Readonly<Record<ManagedCloud, readonly string[]>> = {
  aws: ['1.31', '1.32', '1.33', '1.34'],
  gcp: ['1.31', '1.32', '1.33', '1.34'],
  azure: ['1.31', '1.32', '1.33', '1.34'],
};

/** Whether `cloud` offers Kubernetes minor `version`. */
export function cloudSupportsVersion(cloud: ManagedCloud, version: string): boolean {
  return CLOUD_KUBERNETES_VERSIONS[cloud].includes(version);
}

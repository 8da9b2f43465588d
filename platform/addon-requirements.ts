/**
 * The addon catalog seen as upgrade requirements: for each addon delivered as a pinned chart on a
 * cloud, the Kubernetes minors that pin supports. Built-in addons and the `sim` cloud have no
 * chart, so they add no requirement (planning then needs no addon steps for them).
 */
import { ADDON_CATALOG } from './addon-catalog.ts';
import { ADDON_IDS, type Cloud } from './cluster-spec.ts';
import { compareMinorVersions } from './kubernetes-version.ts';
import type { AddonVersionRequirement } from './upgrade-plan.ts';

/** Upgrade requirements of every chart-delivered addon on `cloud` (none for `sim`). */
export function addonRequirementsFor(cloud: Cloud): AddonVersionRequirement[] {
  if (cloud === 'sim') return [];
  return ADDON_IDS.flatMap((addon) => {
    const delivery = ADDON_CATALOG[addon][cloud];
    if (delivery.kind !== 'helm' || delivery.chart.kubernetesVersions.length === 0) return [];
    const versions = [...delivery.chart.kubernetesVersions].sort(compareMinorVersions);
    return [{ addon, version: delivery.chart.version, minKubernetes: versions[0]!, maxKubernetes: versions.at(-1)! }];
  });
}

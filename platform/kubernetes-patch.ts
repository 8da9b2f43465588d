/**
 * Kubernetes patch releases (`1.33.5`, GKE's `1.33.5-gke.1080000`): which form each cloud takes
 * for a pinned patch, and their order. kaas pins minors (`1.33`) and lets the cloud pick the patch
 * unless a `patch` channel campaign pins one (`ClusterSpec.kubernetesPatch`, a pool's
 * `kubernetesPatch`); a later minor upgrade clears the pin (platform/upgrade-step.ts).
 *
 * - AKS takes a full `MAJOR.MINOR.PATCH` in `kubernetesVersion` / `orchestratorVersion` ("Both
 *   patch version <major.minor.patch> (e.g. 1.20.13) and <major.minor> (e.g. 1.20) are supported
 *   ... Updating the cluster with the same <major.minor> once it has been created (e.g. 1.14.x ->
 *   1.14) will not trigger an upgrade, even if a newer patch version is available",
 *   @pulumi/azure-native@3.28.0 ManagedCluster.kubernetesVersion and agent pool
 *   orchestratorVersion; https://learn.microsoft.com/azure/aks/upgrade-aks-cluster): so on AKS a
 *   newer patch is applied only by pinning it.
 * - GKE takes a full GKE version `1.33.5-gke.1080000` in `minMasterVersion` / a node pool's
 *   `version` (https://cloud.google.com/kubernetes-engine/versioning; @pulumi/gcp@9.37.0 container Cluster
 *   `minMasterVersion` and NodePool `version`, which recommends explicit versions). On a
 *   release channel GKE picks the patch itself (auto-upgrade is on), so no pin there.
 * - EKS takes MAJOR.MINOR only (@pulumi/aws@7.48.0 eks Cluster `version`: "no upgrades will occur except
 *   those automatically triggered by EKS") and applies patch (platform) versions itself
 *   (https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html): nothing to pin.
 * - sim records `MAJOR.MINOR.PATCH`.
 *
 * Pure.
 */
import type { Cloud } from './cluster-spec.ts';
import { isMinorVersion } from './kubernetes-version.ts';

/** Why a patch pin does not apply on EKS (shown in validation errors and fleet status). */
export const EKS_PATCH_REASON = 'EKS applies patch (platform) versions itself; its cluster version takes MAJOR.MINOR only (https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html)';

const FORMS: Record<Exclude<Cloud, 'aws'>, { re: RegExp; example: string }> = {
  sim: { re: /^(\d+\.\d+)\.(\d+)$/, example: '1.33.5' },
  azure: { re: /^(\d+\.\d+)\.(\d+)$/, example: '1.33.5' },
  gcp: { re: /^(\d+\.\d+)\.(\d+)-gke\.(\d+)$/, example: '1.33.5-gke.1080000' },
};

/** The parts of a patch release in any cloud's form: minor, patch number and GKE build (0 elsewhere). */
export function parsePatchRelease(release: string): { minor: string; patch: number; build: number } | undefined {
  const m = /^(\d+\.\d+)\.(\d+)(?:-gke\.(\d+))?$/.exec(release);
  if (!m || !isMinorVersion(m[1]!)) return undefined;
  return { minor: m[1]!, patch: Number(m[2]), build: Number(m[3] ?? 0) };
}

/** Why `release` cannot be the pinned patch of minor `minor` on `cloud`; undefined when it can. */
export function patchReleaseProblem(cloud: Cloud, minor: string, release: string): string | undefined {
  if (cloud === 'aws') return `cannot pin patch ${release} on EKS: ${EKS_PATCH_REASON}`;
  const form = FORMS[cloud];
  const m = form.re.exec(release);
  if (!m || parsePatchRelease(release) === undefined) return `"${release}" is not a ${cloud} patch release (expected the form ${form.example})`;
  if (m[1] !== minor) return `patch ${release} is not of minor ${minor}; a patch never changes the minor`;
  return undefined;
}

/**
 * Orders two patch releases of one minor (negative when `a` is older). A minor alone (`1.33`,
 * no pin: whatever the cloud picked) counts as older than any pinned patch of it.
 */
export function comparePatchReleases(a: string, b: string): number {
  const pa = parsePatchRelease(a) ?? { patch: -1, build: -1 };
  const pb = parsePatchRelease(b) ?? { patch: -1, build: -1 };
  return pa.patch !== pb.patch ? pa.patch - pb.patch : pa.build - pb.build;
}

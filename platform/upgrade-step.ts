/**
 * Executing an upgrade plan one step at a time: the spec a step leads to, and how a step reads in
 * an event log. Pure: the worker applies the returned spec with the engine.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import { comparePatchReleases } from './kubernetes-patch.ts';
import { compareMinorVersions } from './kubernetes-version.ts';
import type { UpgradeStep } from './upgrade-plan.ts';

/**
 * The spec after `step`. A control-plane step pins every pool that followed the control plane to
 * the version it runs now, so the control plane moves alone; a node-pool step moves one pool, and
 * a pool that reaches the control-plane version follows it again (no explicit version). A minor
 * step clears the patch pin it leaves behind; a patch step (`patch`) only pins the patch. Addon
 * steps change no spec field: chart versions are pinned by the addon catalog the programs read.
 */
export function applyUpgradeStep(spec: ClusterSpec, step: UpgradeStep): ClusterSpec {
  switch (step.kind) {
    case 'control-plane': {
      if (step.patch !== undefined) return { ...spec, kubernetesPatch: step.patch };
      // a new minor clears the patch pin of the old one (the cloud picks the new minor's patch)
      const { kubernetesPatch: _pin, ...rest } = spec;
      return {
        ...rest,
        kubernetesVersion: step.to,
        nodePools: spec.nodePools.map((p) => ({ ...p, kubernetesVersion: p.kubernetesVersion ?? spec.kubernetesVersion })),
      };
    }
    case 'node-pool':
      return {
        ...spec,
        nodePools: spec.nodePools.map((p) => {
          if (p.name !== step.pool) return p;
          if (step.patch !== undefined) return { ...p, kubernetesPatch: step.patch };
          const { kubernetesVersion: _old, kubernetesPatch: _pin, ...rest } = p;
          return step.to === spec.kubernetesVersion ? rest : { ...rest, kubernetesVersion: step.to };
        }),
      };
    case 'addon':
      return spec;
  }
}

/** Whether a version at `minor` (pinned to `patch`, if any) is at or past what `step` moves to. */
function reached(minor: string, patch: string | undefined, step: { to: string; patch?: string | undefined }): boolean {
  const cmp = compareMinorVersions(minor, step.to);
  if (cmp !== 0 || step.patch === undefined) return cmp >= 0;
  return comparePatchReleases(patch ?? minor, step.patch) >= 0;
}

/** A step as people read it: `control plane 1.32 → 1.33`, `node pool general 1.31 → 1.32`. */
export function describeUpgradeStep(step: UpgradeStep): string {
  switch (step.kind) {
    case 'control-plane':
      return `control plane ${step.from} → ${step.patch ?? step.to}`;
    case 'node-pool':
      return `node pool ${step.pool} ${step.from} → ${step.patch ?? step.to}`;
    case 'addon':
      return `addon ${step.addon} ${step.from ?? '(none)'} → ${step.to} for Kubernetes ${step.forKubernetes}`;
  }
}

/**
 * Whether `spec` already shows the effect of `step` (the control plane or the pool is at `to` or
 * newer), so re-running a plan after a failure never repeats, or undoes, a completed step. Addon
 * steps leave no trace in the spec and count as not done (re-applying one changes nothing).
 */
export function isUpgradeStepDone(spec: ClusterSpec, step: UpgradeStep): boolean {
  switch (step.kind) {
    case 'control-plane':
      return reached(spec.kubernetesVersion, spec.kubernetesPatch, step);
    case 'node-pool': {
      const pool = spec.nodePools.find((p) => p.name === step.pool);
      // a blue-green pool whose old generation is not drained and scaled down yet is mid-step
      const midBlueGreen = pool?.standby?.phase === 'serving' || pool?.standby?.phase === 'cordoned';
      return pool !== undefined && !midBlueGreen && reached(pool.kubernetesVersion ?? spec.kubernetesVersion, pool.kubernetesPatch, step);
    }
    case 'addon':
      return false;
  }
}

/**
 * Executing an upgrade plan one step at a time: the spec a step leads to, and how a step reads in
 * an event log. Pure: the worker applies the returned spec with the engine.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import { compareMinorVersions } from './kubernetes-version.ts';
import type { UpgradeStep } from './upgrade-plan.ts';

/**
 * The spec after `step`. A control-plane step pins every pool that followed the control plane to
 * the version it runs now, so the control plane moves alone; a node-pool step moves one pool, and
 * a pool that reaches the control-plane version follows it again (no explicit version). Addon
 * steps change no spec field: chart versions are pinned by the addon catalog the programs read.
 */
export function applyUpgradeStep(spec: ClusterSpec, step: UpgradeStep): ClusterSpec {
  switch (step.kind) {
    case 'control-plane':
      return {
        ...spec,
        kubernetesVersion: step.to,
        nodePools: spec.nodePools.map((p) => ({ ...p, kubernetesVersion: p.kubernetesVersion ?? spec.kubernetesVersion })),
      };
    case 'node-pool':
      return {
        ...spec,
        nodePools: spec.nodePools.map((p) => {
          if (p.name !== step.pool) return p;
          const { kubernetesVersion: _old, ...rest } = p;
          return step.to === spec.kubernetesVersion ? rest : { ...rest, kubernetesVersion: step.to };
        }),
      };
    case 'addon':
      return spec;
  }
}

/** A step as people read it: `control plane 1.32 → 1.33`, `node pool general 1.31 → 1.32`. */
export function describeUpgradeStep(step: UpgradeStep): string {
  switch (step.kind) {
    case 'control-plane':
      return `control plane ${step.from} → ${step.to}`;
    case 'node-pool':
      return `node pool ${step.pool} ${step.from} → ${step.to}`;
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
      return compareMinorVersions(spec.kubernetesVersion, step.to) >= 0;
    case 'node-pool': {
      const pool = spec.nodePools.find((p) => p.name === step.pool);
      // a blue-green pool whose old generation is not drained and scaled down yet is mid-step
      const midBlueGreen = pool?.standby?.phase === 'serving' || pool?.standby?.phase === 'cordoned';
      return pool !== undefined && !midBlueGreen && compareMinorVersions(pool.kubernetesVersion ?? spec.kubernetesVersion, step.to) >= 0;
    }
    case 'addon':
      return false;
  }
}

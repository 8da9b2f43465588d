/**
 * Which resources of a cluster stack each ordered-deletion stage removes, read from the stack's
 * state (not the spec, so a half-created cluster is torn down by what actually exists). Knows how
 * the programs name things: sim addon releases `addon-<id>` and `SimNodePool`s; on the managed
 * clouds the `kaas:addons:*` components named after the addon and each cloud's node pool type.
 * A stage's targets include every descendant of the resources it picks.
 */
import type { AddonId } from '../platform/cluster-spec.ts';
import type { DeletionStage } from '../platform/deletion-order.ts';
import type { StackResource } from './engine/engine.ts';
import { urnName as nameOf } from './engine/urn.ts';

const NODE_POOL_TYPES = [/SimNodePool$/, /^aws:eks\/nodeGroup:NodeGroup$/, /^gcp:container\/nodePool:NodePool$/, /^azure-native:containerservice:AgentPool$/];

const isAddon = (r: StackResource) => r.type.startsWith('kaas:addons:') || /SimAddonRelease$/.test(r.type);
const addonIdOf = (r: StackResource) => nameOf(r.urn).replace(/^addon-/, '');

function picks(stage: DeletionStage, r: StackResource): boolean {
  switch (stage.kind) {
    case 'controller-addons':
      return isAddon(r) && (stage.addons as readonly string[]).includes(addonIdOf(r) as AddonId);
    case 'addons':
      return isAddon(r);
    case 'node-pools':
      return NODE_POOL_TYPES.some((t) => t.test(r.type));
    case 'cluster':
    case 'stack':
      return false;
  }
}

/** The URNs a targeted destroy of `stage` removes (empty: nothing of that stage exists). */
export function deletionTargets(stage: DeletionStage, resources: readonly StackResource[]): string[] {
  const chosen = new Set(resources.filter((r) => picks(stage, r)).map((r) => r.urn));
  // children go with their parent component
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of resources) {
      if (r.parent && chosen.has(r.parent) && !chosen.has(r.urn)) {
        chosen.add(r.urn);
        grew = true;
      }
    }
  }
  return resources.filter((r) => chosen.has(r.urn)).map((r) => r.urn);
}

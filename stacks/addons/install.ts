/**
 * Installs the addons a spec enables, in dependency order, each after the node pools and after
 * the addons it declares in `dependsOn` (so Pulumi destroys them in the reverse order:
 * Prometheus → ingress controller / ExternalDNS → Calico → node pools).
 */
import type * as pulumi from '@pulumi/pulumi';
import { enabledAddons, type AddonId } from '../../platform/cluster-spec.ts';
import type { AddonContext, AddonModule } from './contract.ts';
import { calicoAddon } from './calico.ts';
import { externalDnsAddon } from './external-dns.ts';
import { ingressAddon } from './ingress.ts';
import { fluentdAddon } from './fluentd.ts';
import { prometheusAddon } from './prometheus.ts';

/** Every addon module by id. */
export const ADDON_MODULES: Readonly<Record<AddonId, AddonModule>> = {
  calico: calicoAddon,
  'external-dns': externalDnsAddon,
  ingress: ingressAddon,
  fluentd: fluentdAddon,
  prometheus: prometheusAddon,
};

/** Creates the enabled addons; returns the components created (built-in addons create none). */
export function installAddons(
  ctx: AddonContext,
  nodePools: pulumi.Resource[],
  parent: pulumi.Resource,
  modules: Readonly<Record<AddonId, AddonModule>> = ADDON_MODULES,
): Partial<Record<AddonId, pulumi.ComponentResource>> {
  const created: Partial<Record<AddonId, pulumi.ComponentResource>> = {};
  const enabled = enabledAddons(ctx.spec);
  // enabledAddons follows ADDON_IDS, which lists every addon after its dependencies.
  for (const id of enabled) {
    const module = modules[id];
    const after = module.dependsOn.flatMap((dep) => {
      if (enabled.indexOf(dep) > enabled.indexOf(id)) throw new Error(`addon ${id} is listed before its dependency ${dep}`);
      const r = created[dep];
      return r ? [r] : [];
    });
    const resource = module.create(ctx, { parent, dependsOn: [...nodePools, ...after] });
    if (resource) created[id] = resource;
  }
  return created;
}

/**
 * Installs the addons a spec enables, in dependency order, each after the node pools and after
 * the addons it declares in `dependsOn` (so Pulumi destroys them in the reverse order:
 * Prometheus → ExternalDNS / Fluentd → ingress controller → Calico → node pools). Every addon that
 * creates Services comes after the ingress controller: on EKS its `mservice.elbv2.k8s.aws` webhook
 * (failurePolicy Fail) intercepts every Service create, so it must be serving first.
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
  for (const id of installOrder(enabledAddons(ctx.spec), modules)) {
    const after = modules[id].dependsOn.flatMap((dep) => {
      const r = created[dep];
      return r ? [r] : [];
    });
    const resource = modules[id].create(ctx, { parent, dependsOn: [...nodePools, ...after] });
    if (resource) created[id] = resource;
  }
  return created;
}

/**
 * The enabled addons ordered so that each comes after the enabled addons it depends on (a stable
 * topological sort over `dependsOn`); throws on a dependency cycle.
 */
export function installOrder(enabled: readonly AddonId[], modules: Readonly<Record<AddonId, AddonModule>>): AddonId[] {
  const order: AddonId[] = [];
  const visiting = new Set<AddonId>();
  const visit = (id: AddonId, path: AddonId[]) => {
    if (order.includes(id)) return;
    if (visiting.has(id)) throw new Error(`addon dependency cycle: ${[...path, id].join(' -> ')}`);
    visiting.add(id);
    for (const dep of modules[id].dependsOn) if (enabled.includes(dep)) visit(dep, [...path, id]);
    visiting.delete(id);
    order.push(id);
  };
  for (const id of enabled) visit(id, []);
  return order;
}

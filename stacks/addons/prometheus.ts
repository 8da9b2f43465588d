/**
 * Prometheus: kube-prometheus-stack (Prometheus operator, Prometheus, Alertmanager, Grafana) on
 * every cloud. It needs no cloud identity. It is created after ExternalDNS and the ingress
 * controller, so on teardown its Services / Ingresses (and the load balancers and DNS records
 * they caused) are deleted while those controllers still run to clean them up.
 */
import * as pulumi from '@pulumi/pulumi';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule } from './contract.ts';
import { pinnedRelease } from './helm.ts';

export interface PrometheusProps {
  retention: string;
  storageSizeGi: number;
  grafana: boolean;
}

export const prometheusDefaults: PrometheusProps = { retention: '15d', storageSizeGi: 50, grafana: true };

/** kube-prometheus-stack on one cluster. */
export class Prometheus extends pulumi.ComponentResource {
  constructor(name: string, ctx: AddonContext, props: PrometheusProps, opts: pulumi.ComponentResourceOptions) {
    super('kaas:addons:Prometheus', name, {}, opts);
    pinnedRelease(name, pinnedChart('prometheus', ctx.cloud.cloud), {
      fullnameOverride: 'kube-prometheus-stack',
      grafana: { enabled: props.grafana },
      prometheus: {
        prometheusSpec: {
          retention: props.retention,
          storageSpec: {
            volumeClaimTemplate: {
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: `${props.storageSizeGi}Gi` } },
                // Naming the class makes the release wait until it exists (EKS: EBS CSI driver).
                ...(ctx.storageClassName ? { storageClassName: ctx.storageClassName } : {}),
              },
            },
          },
        },
      },
    }, { parent: this, provider: ctx.provider });
    this.registerOutputs({});
  }
}

export const prometheusAddon: AddonModule = {
  id: 'prometheus',
  dependsOn: ['calico', 'external-dns', 'ingress'],
  create: (ctx, opts) =>
    new Prometheus('prometheus', ctx, { ...prometheusDefaults, ...(ctx.spec.addons.prometheus?.values as Partial<PrometheusProps>) }, opts),
};

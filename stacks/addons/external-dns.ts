/**
 * ExternalDNS: publishes Service / Ingress hostnames to the cloud's DNS, limited to the zones the
 * target allows (`spec.target.dnsZones`): Route 53 through an IRSA role on EKS, Cloud DNS through
 * a Google service account (Workload Identity) on GKE, Azure DNS through a user-assigned identity
 * with a federated credential on AKS. Each identity can change records only in those zones.
 */
import * as aws from '@pulumi/aws';
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import type { AddonContext, AddonModule, ServiceAccountBinding } from './contract.ts';
import { pinnedRelease } from './helm.ts';
import { irsaRole } from '../eks/irsa.ts';
import { googleServiceAccount } from '../gke/workload-identity.ts';
import { AZURE_ROLES, userAssignedIdentity } from '../aks/workload-identity.ts';

/** Per-cluster settings (from `spec.addons['external-dns'].values`, validated by the catalog). */
export interface ExternalDnsProps {
  /** `sync` deletes records it owns when their source goes; `upsert-only` never deletes. */
  policy: 'sync' | 'upsert-only';
  interval: string;
}

export const externalDnsDefaults: ExternalDnsProps = { policy: 'upsert-only', interval: '1m' };

/** The ExternalDNS addon of one cluster. */
export class ExternalDns extends pulumi.ComponentResource {
  readonly release: pulumi.Resource;

  constructor(name: string, ctx: AddonContext, props: ExternalDnsProps, opts: pulumi.ComponentResourceOptions) {
    super('kaas:addons:ExternalDns', name, {}, opts);
    const chart = pinnedChart('external-dns', ctx.cloud.cloud);
    const child = { parent: this };
    const zones = ctx.spec.target.dnsZones;
    const sa = { namespace: chart.namespace, serviceAccount: chart.serviceAccount };
    let binding: ServiceAccountBinding;
    let cloudValues: Record<string, unknown>;
    const c = ctx.cloud;
    if (c.cloud === 'aws') {
      const zoneArns = zones.map((zone) => aws.route53.getZoneOutput({ name: zone, privateZone: false }, child).arn);
      binding = irsaRole(name, c, {
        ...sa,
        policy: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'ChangeAllowedZones', Effect: 'Allow', Action: 'route53:ChangeResourceRecordSets', Resource: zoneArns },
            {
              Sid: 'Discover',
              Effect: 'Allow',
              Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
              Resource: '*',
            },
          ],
        },
      }, child).serviceAccount;
      cloudValues = { provider: { name: 'aws' }, env: [{ name: 'AWS_DEFAULT_REGION', value: c.region }] };
    } else if (c.cloud === 'gcp') {
      const gsa = googleServiceAccount(name, c, {
        ...sa,
        accountId: `dns-${ctx.identity.clusterId}`,
        description: `ExternalDNS for kaas cluster ${ctx.identity.clusterId}`,
        // dns.reader lets it list zones; write access is granted per allowed zone below.
        projectRoles: ['roles/dns.reader'],
      }, child);
      zones.forEach((zone) => {
        new gcp.dns.DnsManagedZoneIamMember(`${name}-${zone}`, {
          project: c.project,
          managedZone: c.dnsManagedZones[zone] ?? zone.replace(/\.$/, '').replace(/\./g, '-'),
          role: 'roles/dns.admin',
          member: gsa.account.email.apply((e) => `serviceAccount:${e}`),
        }, child);
      });
      binding = gsa.serviceAccount;
      cloudValues = { provider: { name: 'google' }, extraArgs: [`--google-project=${c.project}`, '--google-zone-visibility=public'] };
    } else {
      const zoneId = (zone: string) =>
        `/subscriptions/${c.subscriptionId}/resourceGroups/${c.dnsResourceGroup}/providers/Microsoft.Network/dnszones/${zone}`;
      const uai = userAssignedIdentity(name, c, {
        ...sa,
        roles: [
          ...zones.map((zone) => ({ scope: zoneId(zone), roleId: AZURE_ROLES.dnsZoneContributor })),
          { scope: `/subscriptions/${c.subscriptionId}/resourceGroups/${c.dnsResourceGroup}`, roleId: AZURE_ROLES.reader },
        ],
      }, child);
      binding = uai.serviceAccount;
      // azure.json holds no secret: the identity comes from the federated token.
      cloudValues = {
        provider: { name: 'azure' },
        secretConfiguration: {
          enabled: true,
          mountPath: '/etc/kubernetes/',
          data: {
            'azure.json': pulumi.jsonStringify({
              tenantId: c.tenantId,
              subscriptionId: c.subscriptionId,
              resourceGroup: c.dnsResourceGroup,
              useWorkloadIdentityExtension: true,
              userAssignedIdentityID: uai.identity.clientId,
            }),
          },
        },
      };
    }
    this.release = pinnedRelease(name, chart, {
      ...cloudValues,
      policy: props.policy,
      interval: props.interval,
      sources: ['service', 'ingress'],
      domainFilters: zones,
      txtOwnerId: `kaas-${ctx.identity.clusterId}`,
      serviceAccount: { create: true, name: chart.serviceAccount, annotations: binding.annotations },
      podLabels: binding.podLabels,
    }, { parent: this, provider: ctx.provider });
    this.registerOutputs({ namespace: chart.namespace });
  }
}

export const externalDnsAddon: AddonModule = {
  id: 'external-dns',
  // After the ingress controller: its Service webhook must be up before our Service is created.
  dependsOn: ['calico', 'ingress'],
  create: (ctx, opts) =>
    new ExternalDns('external-dns', ctx, { ...externalDnsDefaults, ...(ctx.spec.addons['external-dns']?.values as Partial<ExternalDnsProps>) }, opts),
};

/**
 * AKS workload identity: a user-assigned managed identity with a federated credential that trusts
 * exactly one Kubernetes service account (namespace + name) of the cluster's OIDC issuer, plus
 * the Azure role assignments it needs.
 */
import * as azure from '@pulumi/azure-native';
import * as pulumi from '@pulumi/pulumi';
import type { AzureAddonCloud, ServiceAccountBinding } from '../addons/contract.ts';

/** Built-in Azure role definition ids used by the addons. */
export const AZURE_ROLES = {
  dnsZoneContributor: 'befefa01-2a29-4197-83a8-272ff33ce314',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

/** Creates the identity, its federated credential and role assignments. */
export function userAssignedIdentity(
  name: string,
  cloud: AzureAddonCloud,
  binding: {
    namespace: string;
    serviceAccount: string;
    roles: Array<{ scope: pulumi.Input<string>; roleId: string }>;
  },
  opts: pulumi.CustomResourceOptions,
): { identity: azure.managedidentity.UserAssignedIdentity; serviceAccount: ServiceAccountBinding } {
  const identity = new azure.managedidentity.UserAssignedIdentity(
    `${name}-id`,
    { resourceGroupName: cloud.resourceGroupName, location: cloud.location, tags: cloud.tags },
    opts,
  );
  new azure.managedidentity.FederatedIdentityCredential(
    `${name}-fic`,
    {
      resourceGroupName: cloud.resourceGroupName,
      resourceName: identity.name,
      issuer: cloud.oidcIssuerUrl,
      subject: `system:serviceaccount:${binding.namespace}:${binding.serviceAccount}`,
      audiences: ['api://AzureADTokenExchange'],
    },
    opts,
  );
  binding.roles.forEach((r, i) => {
    new azure.authorization.RoleAssignment(
      `${name}-role-${i}`,
      {
        principalId: identity.principalId,
        principalType: 'ServicePrincipal',
        scope: r.scope,
        roleDefinitionId: `/subscriptions/${cloud.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${r.roleId}`,
      },
      opts,
    );
  });
  return {
    identity,
    serviceAccount: {
      annotations: { 'azure.workload.identity/client-id': identity.clientId },
      podLabels: { 'azure.workload.identity/use': 'true' },
    },
  };
}

/**
 * GKE Workload Identity: a Google service account that exactly one Kubernetes service account
 * (namespace + name) may impersonate, plus the project roles it is granted.
 */
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { GcpAddonCloud, ServiceAccountBinding } from '../addons/contract.ts';

/** The IAM member string for one Kubernetes service account under Workload Identity. */
export function workloadIdentityMember(workloadPool: string, namespace: string, serviceAccount: string): string {
  return `serviceAccount:${workloadPool}[${namespace}/${serviceAccount}]`;
}

/** Creates the Google service account, its WI binding and project roles. */
export function googleServiceAccount(
  name: string,
  cloud: GcpAddonCloud,
  binding: { accountId: string; namespace: string; serviceAccount: string; projectRoles: string[]; description: string },
  opts: pulumi.CustomResourceOptions,
): { account: gcp.serviceaccount.Account; serviceAccount: ServiceAccountBinding } {
  // account ids: 6-30 chars, lowercase letters, digits and dashes, starting with a letter.
  const accountId = binding.accountId.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30).replace(/-+$/, '');
  const account = new gcp.serviceaccount.Account(
    `${name}-gsa`,
    { accountId, project: cloud.project, displayName: binding.description, description: binding.description },
    opts,
  );
  new gcp.serviceaccount.IAMMember(
    `${name}-wi`,
    {
      serviceAccountId: account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: workloadIdentityMember(cloud.workloadPool, binding.namespace, binding.serviceAccount),
    },
    opts,
  );
  for (const role of binding.projectRoles) {
    new gcp.projects.IAMMember(
      `${name}-${role.replace(/^roles\//, '').replace(/\./g, '-')}`,
      { project: cloud.project, role, member: account.email.apply((e) => `serviceAccount:${e}`) },
      opts,
    );
  }
  return {
    account,
    serviceAccount: { annotations: { 'iam.gke.io/gcp-service-account': account.email }, podLabels: {} },
  };
}

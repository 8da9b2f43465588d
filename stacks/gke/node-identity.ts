/** The least-privilege Google service account GKE nodes run as (instead of the Compute default). */
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

/** Roles a node needs for logging, monitoring and pulling images from Artifact Registry. */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
  'roles/artifactregistry.reader',
] as const;

export function googleServiceAccountRoles(name: string, project: string, accountId: string, parent: pulumi.Resource): gcp.serviceaccount.Account {
  const account = new gcp.serviceaccount.Account(name, {
    project,
    accountId: accountId.slice(0, 30),
    displayName: `kaas nodes ${accountId}`,
  }, { parent });
  for (const role of GKE_NODE_ROLES) {
    new gcp.projects.IAMMember(`${name}-${role.replace(/^roles\//, '').replace(/\./g, '-')}`, {
      project,
      role,
      member: account.email.apply((e) => `serviceAccount:${e}`),
    }, { parent });
  }
  return account;
}

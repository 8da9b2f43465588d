/**
 * The one tag (AWS, Azure, sim) / label (GCP) that marks a cloud resource as part of a kaas
 * cluster, and the inventory queries that find it again. Every program writes it and the leak
 * check reads it, both through `clusterTagKey`, so the writer and the reader cannot disagree.
 *
 * The key is the literal `kaas-cluster-id` on every cloud: it satisfies each cloud's rules, which
 * `tagKeyIssue` encodes (and a test checks the key against):
 * - AWS: 1–128 characters of letters, digits, spaces and `_ . : / = + - @`, not starting with
 *   `aws:` (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions).
 * - GCP labels: 1–63 characters, lowercase letters, digits, `_` and `-`, starting with a lowercase
 *   letter; values the same set, at most 63, may be empty
 *   (https://cloud.google.com/resource-manager/docs/labels-overview#requirements).
 * - Azure: at most 512 characters (128 on storage accounts), none of `< > % & \ ? /`, no
 *   `microsoft`, `azure`, `windows` prefix; values at most 256
 *   (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources#limitations).
 */
import type { Cloud } from './cluster-spec.ts';
import { DomainError } from './errors.ts';

const CLUSTER_TAG_KEY = 'kaas-cluster-id';

/** The tag / label key carrying the cluster id on `cloud`. The same literal on every cloud. */
export function clusterTagKey(_cloud: Cloud): string {
  return CLUSTER_TAG_KEY;
}

/** Why `key` is not a valid tag (label) key on `cloud`, or undefined when it is. */
export function tagKeyIssue(cloud: Cloud, key: string): string | undefined {
  switch (cloud) {
    case 'aws':
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key)) return 'AWS tag keys are 1-128 letters, digits, spaces and _ . : / = + - @';
      if (/^aws:/i.test(key)) return 'AWS reserves the aws: prefix';
      return undefined;
    case 'gcp':
      return /^[a-z][a-z0-9_-]{0,62}$/.test(key) ? undefined : 'GCP label keys are 1-63 lowercase letters, digits, _ and -, starting with a letter';
    case 'azure':
      if (key.length < 1 || key.length > 128) return 'Azure tag names are 1-512 characters, 1-128 on storage accounts (kaas keeps to 128 so one key fits every type)';
      if (/[<>%&\\?/]/.test(key)) return 'Azure tag names cannot contain < > % & \\ ? /';
      if (/^(microsoft|azure|windows)/i.test(key)) return 'Azure reserves the microsoft, azure and windows prefixes';
      return undefined;
    case 'sim':
      return key.length > 0 ? undefined : 'empty key';
  }
}

/**
 * The cluster id as a tag value, checked against the strictest value rule (GCP: lowercase
 * letters, digits, `_`, `-`, at most 63) so it can also be put in an inventory query verbatim.
 */
export function clusterTagValue(clusterId: string): string {
  if (!/^[a-z0-9_-]{1,63}$/.test(clusterId)) {
    throw new DomainError('VALIDATION', `cluster id "${clusterId}" cannot be a tag value: expected 1-63 lowercase letters, digits, _ or -`);
  }
  return clusterId;
}

/** `{ <key>: <id> }`: the cluster tag of `clusterId` on `cloud`. */
export function clusterTag(cloud: Cloud, clusterId: string): Record<string, string> {
  return { [clusterTagKey(cloud)]: clusterTagValue(clusterId) };
}

/**
 * Cloud Asset Inventory `searchAllResources` query for the cluster's resources:
 * `labels.<key>:<value>` (https://cloud.google.com/asset-inventory/docs/query-syntax).
 */
export function gcpAssetQuery(clusterId: string): string {
  return `labels.${clusterTagKey('gcp')}:${clusterTagValue(clusterId)}`;
}

/**
 * Azure Resource Graph (KQL) query for the cluster's resources and resource groups
 * (https://learn.microsoft.com/azure/governance/resource-graph/samples/starter#list-resources-with-a-specific-tag-value).
 * Resource groups live in the `ResourceContainers` table, the rest in `Resources`.
 */
export function azureResourceGraphQuery(clusterId: string): string {
  const key = clusterTagKey('azure');
  const value = clusterTagValue(clusterId);
  return [
    `Resources | where tags['${key}'] == '${value}' | project id`,
    `| union (ResourceContainers | where type == 'microsoft.resources/subscriptions/resourcegroups' and tags['${key}'] == '${value}' | project id)`,
    '| order by id asc',
  ].join(' ');
}

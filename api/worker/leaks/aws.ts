/**
 * AWS inventory: the Resource Groups Tagging API `GetResources` with a tag filter on the cluster
 * tag, following `PaginationToken` until it comes back empty
 * (https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html).
 * Regional: it lists the target region's resources. The caller needs `tag:GetResources`.
 */
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type ResourceGroupsTaggingAPIClientConfig } from '@aws-sdk/client-resource-groups-tagging-api';
import { clusterTagKey, clusterTagValue } from '../../../platform/cluster-tag.ts';
import type { LeakInventory } from './inventory.ts';

export interface AwsInventoryOptions {
  region: string;
  /** Client overrides (an emulator's `endpoint`, static `credentials`); defaults use the SDK's credential chain. */
  client?: Omit<ResourceGroupsTaggingAPIClientConfig, 'region'>;
  /** Page size, 1–100 (default 100). */
  pageSize?: number;
}

export function awsInventory(options: AwsInventoryOptions): LeakInventory {
  return {
    async taggedResources(clusterId) {
      const client = new ResourceGroupsTaggingAPIClient({ ...options.client, region: options.region });
      try {
        const arns: string[] = [];
        let token: string | undefined;
        do {
          const page = await client.send(new GetResourcesCommand({
            TagFilters: [{ Key: clusterTagKey('aws'), Values: [clusterTagValue(clusterId)] }],
            ResourcesPerPage: options.pageSize ?? 100,
            ...(token ? { PaginationToken: token } : {}),
          }));
          for (const r of page.ResourceTagMappingList ?? []) if (r.ResourceARN) arns.push(r.ResourceARN);
          token = page.PaginationToken || undefined;
        } while (token);
        return arns.sort();
      } finally {
        client.destroy();
      }
    },
  };
}

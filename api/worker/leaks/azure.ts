/**
 * Azure inventory: an Azure Resource Graph query over the target's subscription for resources
 * and resource groups whose cluster tag is the cluster id, following `$skipToken`
 * (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources, 2024-04-01).
 * The caller needs read access (Reader) on the subscription: Resource Graph returns only what
 * the identity can read.
 */
import { ResourceGraphClient, type ResourceGraphClientOptionalParams } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import { azureResourceGraphQuery } from '../../../platform/cluster-tag.ts';
import type { LeakInventory } from './inventory.ts';

export interface AzureInventoryOptions {
  subscriptionId: string;
  /** Defaults to DefaultAzureCredential (workload identity, managed identity, Azure CLI, …). */
  credential?: TokenCredential;
  /** Client overrides (`endpoint`, `tlsOptions`). */
  client?: ResourceGraphClientOptionalParams;
  /** Rows per page (default 1000, the API's maximum). */
  pageSize?: number;
}

export function azureInventory(options: AzureInventoryOptions): LeakInventory {
  return {
    async taggedResources(clusterId) {
      const client = new ResourceGraphClient(options.credential ?? new DefaultAzureCredential(), options.client ?? {});
      const ids: string[] = [];
      let skipToken: string | undefined;
      do {
        const page = await client.resources({
          query: azureResourceGraphQuery(clusterId),
          subscriptions: [options.subscriptionId],
          options: { resultFormat: 'objectArray', top: options.pageSize ?? 1000, ...(skipToken ? { skipToken } : {}) },
        });
        for (const row of (page.data ?? []) as Array<{ id?: string }>) if (row.id) ids.push(row.id);
        skipToken = page.skipToken || undefined;
      } while (skipToken);
      return ids.sort();
    },
  };
}

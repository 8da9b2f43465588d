/**
 * GCP inventory: Cloud Asset Inventory `searchAllResources` in the target's project with the
 * query `labels.<key>:<id>`, following `nextPageToken`
 * (https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/searchAllResources).
 * Uses the REST transport (`fallback`), the same in production and in the tests. The caller
 * needs `cloudasset.assets.searchAllResources` on the project (roles/cloudasset.viewer).
 */
import { AssetServiceClient } from '@google-cloud/asset';
import { gcpAssetQuery } from '../../../platform/cluster-tag.ts';
import type { LeakInventory } from './inventory.ts';

type AssetClientOptions = NonNullable<ConstructorParameters<typeof AssetServiceClient>[0]>;

export interface GcpInventoryOptions {
  /** The target's project id. */
  project: string;
  /** Client overrides (`apiEndpoint`, `port`, `protocol`, `authClient`); defaults use Application Default Credentials. */
  client?: AssetClientOptions;
  /** Page size (default 500, the API's maximum). */
  pageSize?: number;
}

export function gcpInventory(options: GcpInventoryOptions): LeakInventory {
  return {
    async taggedResources(clusterId) {
      const client = new AssetServiceClient({ fallback: true, ...options.client });
      try {
        const names: string[] = [];
        const results = client.searchAllResourcesAsync({ scope: `projects/${options.project}`, query: gcpAssetQuery(clusterId), pageSize: options.pageSize ?? 500 });
        for await (const r of results) if (r.name) names.push(r.name);
        return names.sort();
      } finally {
        await client.close();
      }
    },
  };
}

/**
 * EKS upgrade insights as preflight findings: `ListInsights` (category `UPGRADE_READINESS`, for the
 * next minor, status ERROR or WARNING) then `DescribeInsight` for each, whose
 * `categorySpecificSummary.deprecationDetails` name each deprecated API (`usage`, e.g.
 * `/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas`), the version that stops serving it and
 * the clients still calling it (https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html;
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_ListInsights.html,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeInsight.html). Only APIs with
 * clients in the insight count as in use. Credentials: the worker's AWS default chain.
 */
import { DescribeInsightCommand, EKSClient, ListInsightsCommand, type DeprecationDetail } from '@aws-sdk/client-eks';
import type { DeprecatedApiInUse } from '../../../platform/cluster-probe.ts';

/** `/apis/group/version/resource` or `/api/v1/resource` → its parts; undefined for anything else. */
export function parseApiUsage(usage: string | undefined): Pick<DeprecatedApiInUse, 'group' | 'version' | 'resource'> | undefined {
  const m = /^\/apis\/([^/]+)\/([^/]+)\/([^/]+)/.exec(usage ?? '') ?? /^\/api\/()([^/]+)\/([^/]+)/.exec(usage ?? '');
  return m ? { group: m[1]!, version: m[2]!, resource: m[3]! } : undefined;
}

/** The deprecated APIs EKS upgrade insights report in use for the upgrade of `clusterName` to `nextMinor`. */
export async function eksUpgradeInsights(
  clusterName: string,
  nextMinor: string,
  options: { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } },
): Promise<DeprecatedApiInUse[]> {
  const client = new EKSClient({ region: options.region, maxAttempts: 2, ...(options.endpoint ? { endpoint: options.endpoint } : {}), ...(options.credentials ? { credentials: options.credentials } : {}) });
  try {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListInsightsCommand({ clusterName, filter: { categories: ['UPGRADE_READINESS'], kubernetesVersions: [nextMinor], statuses: ['ERROR', 'WARNING'] }, ...(nextToken ? { nextToken } : {}) }));
      ids.push(...(page.insights ?? []).flatMap((i) => (i.id ? [i.id] : [])));
      nextToken = page.nextToken;
    } while (nextToken);
    const found: DeprecatedApiInUse[] = [];
    for (const id of ids) {
      const { insight } = await client.send(new DescribeInsightCommand({ clusterName, id }));
      const details: DeprecationDetail[] = insight?.categorySpecificSummary?.deprecationDetails ?? [];
      for (const d of details) {
        const api = parseApiUsage(d.usage);
        if (!api || (d.clientStats ?? []).length === 0) continue;
        found.push({ ...api, removedRelease: d.stopServingVersion, source: 'eks-upgrade-insights' });
      }
    }
    return found;
  } finally {
    client.destroy();
  }
}

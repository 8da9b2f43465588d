/**
 * AKS surge capacity: the subscription's Compute vCPU quotas in the location against their usage.
 *
 * - Usage - List: `GET /subscriptions/{id}/providers/Microsoft.Compute/locations/{location}/usages`
 *   (api-version 2024-07-01) → `value[]` of `{ name: { value, localizedValue }, currentValue, limit, unit }`,
 *   one per VM family (`standardDSv3Family`) plus the regional total `cores` ("Total Regional vCPUs"),
 *   following `nextLink` (https://learn.microsoft.com/rest/api/compute/usage/list). A VM counts
 *   against both its family and the regional total
 *   (https://learn.microsoft.com/azure/virtual-machines/quotas).
 * - Resource Skus - List: `GET /subscriptions/{id}/providers/Microsoft.Compute/skus?$filter=location eq '{location}'`
 *   (api-version 2021-07-01) → `value[]` of `{ resourceType: 'virtualMachines', name, family, capabilities: [{ name: 'vCPUs', value }] }`
 *   (https://learn.microsoft.com/rest/api/compute/resource-skus/list): the size's family (the usage
 *   name it counts against) and its vCPUs.
 *
 * Plain ARM REST with an `@azure/identity` token (the kaas dependencies have no Compute client).
 * Permissions: `Microsoft.Compute/locations/usages/read`, `Microsoft.Compute/skus/read`
 * (both in Reader). A failed read is a preflight warning naming the API and the permission.
 */
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { PreflightWarning, SurgeCapacity, SurgeDemand } from '../../../platform/cluster-probe.ts';
import { oneAtATime, surgeCapacities, type MachineQuota, type QuotaBucket } from '../../../platform/surge-quota.ts';
import { surgeWarning } from './aws-surge-quota.ts';

export const AZURE_USAGES_API_VERSION = '2024-07-01';
export const AZURE_SKUS_API_VERSION = '2021-07-01';

export interface AzureSurgeQuotaOptions {
  /** Defaults to DefaultAzureCredential (workload identity, managed identity, Azure CLI, …). */
  credential?: TokenCredential;
  /** Test seam: the ARM endpoint (default https://management.azure.com). */
  endpoint?: string;
}

class ArmCallError extends Error {
  readonly permission: string;
  constructor(api: string, permission: string, detail: string) {
    super(`Azure ${api} failed (${detail})`);
    this.permission = permission;
  }
}

/** Every item of an ARM list, following `nextLink`. */
async function listAll(api: string, permission: string, first: string, token: () => Promise<string>): Promise<any[]> {
  const items: any[] = [];
  let url: string | undefined = first;
  for (let page = 0; url && page < 100; page++) {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${await token()}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new ArmCallError(api, permission, err instanceof Error ? err.message : String(err));
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
    // CloudError: { error: { code, message } } (https://learn.microsoft.com/rest/api/compute/usage/list#clouderror)
    if (res.status >= 300) throw new ArmCallError(api, permission, `${body?.error?.code ?? `HTTP ${res.status}`}: ${body?.error?.message ?? text.slice(0, 200)}`);
    items.push(...((body.value ?? []) as any[]));
    url = typeof body.nextLink === 'string' && body.nextLink ? body.nextLink : undefined;
  }
  return items;
}

/** Whether the location's Compute vCPU quotas can give each demand's surge nodes now; read failures become warnings. */
export async function azureSurgeCapacity(subscriptionId: string, location: string, demands: readonly SurgeDemand[], options: AzureSurgeQuotaOptions = {}): Promise<{ surge: SurgeCapacity[]; warnings: PreflightWarning[] }> {
  const wanted = demands.filter((d) => d.nodes > 0);
  if (wanted.length === 0) return { surge: [], warnings: [] };
  const arm = options.endpoint ?? 'https://management.azure.com';
  const credential = options.credential ?? new DefaultAzureCredential();
  const token = async () => {
    try {
      const t = await credential.getToken('https://management.azure.com/.default');
      if (!t?.token) throw new Error('the credential returned no token');
      return t.token;
    } catch (err) {
      throw new ArmCallError('Resource Manager sign-in', 'an Azure identity (workload identity, managed identity or az login)', `no Azure credentials: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const sub = `${arm}/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Compute`;
  try {
    const [usages, skus] = await Promise.all([
      listAll('Compute Usage - List', 'Microsoft.Compute/locations/usages/read', `${sub}/locations/${encodeURIComponent(location)}/usages?api-version=${AZURE_USAGES_API_VERSION}`, token),
      listAll('Compute Resource Skus - List', 'Microsoft.Compute/skus/read', `${sub}/skus?api-version=${AZURE_SKUS_API_VERSION}&$filter=${encodeURIComponent(`location eq '${location}'`)}`, token),
    ]);
    const buckets: QuotaBucket[] = usages
      .filter((u) => typeof u?.name?.value === 'string')
      .map((u) => ({ id: String(u.name.value).toLowerCase(), label: `Azure quota ${u.name.localizedValue ?? u.name.value} in ${location}`, limit: Number(u.limit ?? 0), usage: Number(u.currentValue ?? 0) }));
    const machines = new Map<string, MachineQuota>();
    for (const sku of skus) {
      if (sku?.resourceType !== 'virtualMachines' || typeof sku.name !== 'string') continue;
      const vcpus = Number((sku.capabilities ?? []).find((c: any) => c?.name === 'vCPUs')?.value);
      if (!(vcpus > 0) || typeof sku.family !== 'string') continue;
      // ARM names are case-insensitive; the template may write `standard_d4s_v3`
      const key = wanted.find((d) => d.machineType.toLowerCase() === sku.name.toLowerCase())?.machineType;
      if (key) machines.set(key, { vcpus, buckets: [sku.family.toLowerCase(), 'cores'] });
    }
    const { surge, unknown } = surgeCapacities(oneAtATime(wanted), machines, buckets);
    const warnings = unknown.map((d) =>
      surgeWarning([d.pool], machines.has(d.machineType) ? `Azure Compute Usage - List reports no quota ${machines.get(d.machineType)!.buckets.join(' or ')} in ${location}` : `Azure Compute Resource Skus - List has no VM size ${d.machineType} in ${location}`),
    );
    return { surge, warnings };
  } catch (err) {
    const reason = err instanceof ArmCallError ? `${err.message}; the worker's Azure identity needs ${err.permission}` : `reading the Azure quota failed: ${err instanceof Error ? err.message : String(err)}`;
    return { surge: [], warnings: [surgeWarning(wanted.map((d) => d.pool), reason)] };
  }
}

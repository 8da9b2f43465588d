/**
 * AKS surge capacity: the subscription's Compute vCPU quotas in the location against their usage.
 *
 * - Usage - List: `GET /subscriptions/{id}/providers/Microsoft.Compute/locations/{location}/usages`
 *   → `value[]` of `{ name: { value, localizedValue }, currentValue, limit, unit }`,
 *   one per VM family (`standardDSv3Family`) plus the regional total `cores` ("Total Regional vCPUs"),
 *   following `nextLink` (https://learn.microsoft.com/rest/api/compute/usage/list). A VM counts
 *   against both its family and the regional total
 *   (https://learn.microsoft.com/azure/virtual-machines/quotas).
 * - Resource Skus - List: `GET /subscriptions/{id}/providers/Microsoft.Compute/skus?$filter=location eq '{location}'`
 *   → `value[]` of `{ resourceType: 'virtualMachines', name, family, capabilities: [{ name: 'vCPUs', value }] }`
 *   (https://learn.microsoft.com/rest/api/compute/resource-skus/list): the size's family (the usage
 *   name it counts against) and its vCPUs.
 *
 * Both through @azure/arm-compute's ComputeManagementClient (`usage.list(location)`,
 * `resourceSkus.list({ filter })`; the client follows `nextLink` and picks the api-version) with
 * DefaultAzureCredential. Its failures are RestErrors carrying the CloudError's `code` and the
 * HTTP `statusCode`. Permissions: `Microsoft.Compute/locations/usages/read`,
 * `Microsoft.Compute/skus/read` (both in Reader). A failed read is a preflight warning naming the
 * API and the permission.
 */
import { ComputeManagementClient, isRestError, type ComputeManagementClientOptionalParams } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { PreflightWarning, SurgeCapacity, SurgeDemand } from '../../../platform/cluster-probe.ts';
import { oneAtATime, surgeCapacities, type MachineQuota, type QuotaBucket } from '../../../platform/surge-quota.ts';
import { surgeWarning } from './aws-surge-quota.ts';

export interface AzureSurgeQuotaOptions {
  /** Defaults to DefaultAzureCredential (workload identity, managed identity, Azure CLI, …). */
  credential?: TokenCredential;
  /** Test seam: the ARM endpoint (default https://management.azure.com). */
  endpoint?: string;
  /** Test seam: more client options (`tlsOptions`, `retryOptions`). */
  client?: ComputeManagementClientOptionalParams;
}

/** The credential could not give a token: told apart from the API's own refusals. */
class SignInError extends Error {}

/** `credential`, its failures marked as sign-in failures. */
function signIn(credential: TokenCredential): TokenCredential {
  return {
    async getToken(scopes, options) {
      try {
        const t = await credential.getToken(scopes, options);
        if (!t?.token) throw new Error('the credential returned no token');
        return t;
      } catch (err) {
        throw new SignInError(err instanceof Error ? err.message : String(err));
      }
    },
  };
}

/** Every item of a paged list, a failure named after its API and permission. */
async function listAll<T>(api: string, permission: string, items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const item of items) out.push(item);
  } catch (err) {
    throw armError(api, permission, err);
  }
  return out;
}

class ArmCallError extends Error {
  readonly permission: string;
  constructor(api: string, permission: string, detail: string) {
    super(`Azure ${api} failed (${detail})`);
    this.permission = permission;
  }
}

function armError(api: string, permission: string, err: unknown): ArmCallError {
  const signInFailure = err instanceof SignInError ? err : err instanceof Error && err.cause instanceof SignInError ? err.cause : undefined;
  if (signInFailure) return new ArmCallError('Resource Manager sign-in', 'an Azure identity (workload identity, managed identity or az login)', `no Azure credentials: ${signInFailure.message}`);
  // CloudError `{ error: { code, message } }` becomes RestError.code / .message (https://learn.microsoft.com/rest/api/compute/usage/list#clouderror)
  if (isRestError(err)) return new ArmCallError(api, permission, `${err.code ?? (err.statusCode ? `HTTP ${err.statusCode}` : 'no answer')}: ${err.message}`);
  return new ArmCallError(api, permission, err instanceof Error ? err.message : String(err));
}

/** Whether the location's Compute vCPU quotas can give each demand's surge nodes now; read failures become warnings. */
export async function azureSurgeCapacity(subscriptionId: string, location: string, demands: readonly SurgeDemand[], options: AzureSurgeQuotaOptions = {}): Promise<{ surge: SurgeCapacity[]; warnings: PreflightWarning[] }> {
  const wanted = demands.filter((d) => d.nodes > 0);
  if (wanted.length === 0) return { surge: [], warnings: [] };
  const compute = new ComputeManagementClient(signIn(options.credential ?? new DefaultAzureCredential()), subscriptionId, {
    ...options.client,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  try {
    const [usages, skus] = await Promise.all([
      listAll('Compute Usage - List', 'Microsoft.Compute/locations/usages/read', compute.usage.list(location)),
      listAll('Compute Resource Skus - List', 'Microsoft.Compute/skus/read', compute.resourceSkus.list({ filter: `location eq '${location}'` })),
    ]);
    const buckets: QuotaBucket[] = usages
      .filter((u) => typeof u?.name?.value === 'string')
      .map((u) => ({ id: String(u.name.value).toLowerCase(), label: `Azure quota ${u.name.localizedValue ?? u.name.value} in ${location}`, limit: Number(u.limit ?? 0), usage: Number(u.currentValue ?? 0) }));
    const machines = new Map<string, MachineQuota>();
    for (const sku of skus) {
      if (sku?.resourceType !== 'virtualMachines' || typeof sku.name !== 'string') continue;
      const vcpus = Number((sku.capabilities ?? []).find((c) => c?.name === 'vCPUs')?.value);
      if (!(vcpus > 0) || typeof sku.family !== 'string') continue;
      // ARM names are case-insensitive; the template may write `standard_d4s_v3`
      const name = sku.name;
      const key = wanted.find((d) => d.machineType.toLowerCase() === name.toLowerCase())?.machineType;
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

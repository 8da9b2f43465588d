/**
 * GKE surge capacity: the Compute Engine regional CPU quota against its usage.
 *
 * - `regions.get` returns the region's `quotas[]` (`metric`, `limit`, `usage`) and its `zones[]`
 *   (https://cloud.google.com/compute/docs/reference/rest/v1/regions/get, Region resource:
 *   https://cloud.google.com/compute/docs/reference/rest/v1/regions#Region). A machine family with a
 *   quota of its own (`N2_CPUS`, `C3_CPUS`, …) counts against it; the others (E2, N1, custom)
 *   against `CPUS` (https://cloud.google.com/compute/resource-usage#cpu_quota).
 * - `machineTypes.get` gives the type's `guestCpus` in a zone of the region
 *   (https://cloud.google.com/compute/docs/reference/rest/v1/machineTypes/get).
 *
 * Plain REST with Application Default Credentials (google-auth-library; the kaas dependencies
 * have no Compute client). Permissions: `compute.regions.get`, `compute.machineTypes.get`
 * (roles/compute.viewer). A failed read is a preflight warning naming the API and the permission.
 */
import { GoogleAuth } from 'google-auth-library';
import type { PreflightWarning, SurgeCapacity, SurgeDemand } from '../../../platform/cluster-probe.ts';
import { oneAtATime, surgeCapacities, type MachineQuota, type QuotaBucket } from '../../../platform/surge-quota.ts';
import { surgeWarning } from './aws-surge-quota.ts';

export interface GcpSurgeQuotaOptions {
  /** Test seams: a local REST server (`http://127.0.0.1:PORT`) and a client that signs requests. */
  endpoint?: string;
  authClient?: { getRequestHeaders(url?: string): Promise<Headers | Record<string, string>> };
}

interface GceQuota {
  metric?: string;
  limit?: number;
  usage?: number;
}

/** `n2-standard-8` → `N2_CPUS`; `e2-medium`, `n1-standard-4`, `custom-4-16384` → `CPUS`, unless the region lists a quota of the family. */
export function gceCpuMetric(machineType: string, metrics: ReadonlySet<string>): string {
  const family = machineType.split('-')[0]!.toUpperCase();
  return metrics.has(`${family}_CPUS`) ? `${family}_CPUS` : 'CPUS';
}

class GceCallError extends Error {
  readonly permission: string;
  constructor(api: string, permission: string, detail: string) {
    super(`Compute Engine ${api} failed (${detail})`);
    this.permission = permission;
  }
}

/** Whether the region's Compute Engine CPU quota can give each demand's surge nodes now; read failures become warnings. */
export async function gcpSurgeCapacity(project: string, region: string, demands: readonly SurgeDemand[], options: GcpSurgeQuotaOptions = {}): Promise<{ surge: SurgeCapacity[]; warnings: PreflightWarning[] }> {
  const wanted = demands.filter((d) => d.nodes > 0);
  if (wanted.length === 0) return { surge: [], warnings: [] };
  const base = `${options.endpoint ?? 'https://compute.googleapis.com'}/compute/v1/projects/${encodeURIComponent(project)}`;
  const auth = options.authClient ?? new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/compute.readonly'] });
  const get = async (api: string, permission: string, url: string): Promise<{ status: number; body: any }> => {
    let headers: Headers | Record<string, string>;
    try {
      headers = await auth.getRequestHeaders(url);
    } catch (err) {
      throw new GceCallError(api, permission, `no Google credentials: ${err instanceof Error ? err.message : String(err)}`);
    }
    let res: Response;
    try {
      res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new GceCallError(api, permission, err instanceof Error ? err.message : String(err));
    }
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
    // errors: { error: { code, message, errors: [{ reason }] } } (https://cloud.google.com/compute/docs/api/handle-errors)
    if (res.status >= 300 && res.status !== 404) throw new GceCallError(api, permission, `HTTP ${res.status}: ${body?.error?.message ?? text.slice(0, 200)}`);
    return { status: res.status, body };
  };
  try {
    const { status, body: r } = await get('regions.get', 'compute.regions.get', `${base}/regions/${encodeURIComponent(region)}`);
    if (status === 404) throw new GceCallError('regions.get', 'compute.regions.get', `region ${region} not found in project ${project}`);
    const quotas = ((r.quotas ?? []) as GceQuota[]).filter((q) => typeof q.metric === 'string');
    const metrics = new Set(quotas.map((q) => q.metric!));
    const zones = ((r.zones ?? []) as string[]).map((z) => z.split('/').pop()!).filter(Boolean);
    const machines = new Map<string, MachineQuota>();
    const missing: SurgeDemand[] = [];
    for (const type of [...new Set(wanted.map((d) => d.machineType))]) {
      let cpus: number | undefined;
      for (const zone of zones.slice(0, 3)) {
        const m = await get('machineTypes.get', 'compute.machineTypes.get', `${base}/zones/${encodeURIComponent(zone)}/machineTypes/${encodeURIComponent(type)}`);
        if (m.status === 404) continue;
        cpus = Number(m.body.guestCpus);
        break;
      }
      if (cpus && cpus > 0) machines.set(type, { vcpus: cpus, buckets: [gceCpuMetric(type, metrics)] });
      else missing.push(...wanted.filter((d) => d.machineType === type));
    }
    const buckets: QuotaBucket[] = quotas.map((q) => ({ id: q.metric!, label: `Compute Engine quota ${q.metric} in ${region}`, limit: Number(q.limit ?? 0), usage: Number(q.usage ?? 0) }));
    const { surge, unknown } = surgeCapacities(oneAtATime(wanted.filter((d) => !missing.includes(d))), machines, buckets);
    const warnings = [...missing, ...unknown].map((d) =>
      surgeWarning([d.pool], machines.has(d.machineType) ? `the region ${region} lists no quota ${machines.get(d.machineType)!.buckets[0]} (Compute Engine regions.get)` : `Compute Engine machineTypes.get does not know machine type ${d.machineType} in ${region}`),
    );
    return { surge, warnings };
  } catch (err) {
    const reason = err instanceof GceCallError ? `${err.message}; the worker's Google identity needs ${err.permission}` : `reading the Compute Engine quota failed: ${err instanceof Error ? err.message : String(err)}`;
    return { surge: [], warnings: [surgeWarning(wanted.map((d) => d.pool), reason)] };
  }
}

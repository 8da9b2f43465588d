/**
 * EKS surge capacity: the EC2 On-Demand vCPU quota of the region against what runs now.
 *
 * - The quota: Service Quotas `GetServiceQuota` (ServiceCode `ec2`, QuotaCode `L-1216C47A`,
 *   "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", a vCPU count —
 *   https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html,
 *   https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html).
 * - Its usage: the vCPUs of the region's pending and running instances of those families
 *   (EC2 `DescribeInstances`, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html),
 *   the same count the quota is enforced on; the quota's CloudWatch usage metric lags by minutes
 *   and needs another permission, so it is not used.
 * - vCPUs per type: EC2 `DescribeInstanceTypes` `VCpuInfo.DefaultVCpus`
 *   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypes.html).
 *
 * Instance types of other families (G, P, Inf, Trn, X, …) have quotas of their own that are not
 * read yet: their pools get a warning instead. The calls go through @aws-sdk/client-ec2
 * (`DescribeInstances` with the `instance-state-name` filter, `DescribeInstanceTypes`, both paged
 * by the SDK's paginators) and @aws-sdk/client-service-quotas (`GetServiceQuota`), with the SDK's
 * default credential chain, in the target's region. A failed read is a preflight warning naming
 * the API and the IAM permission (detail: the SDK error's `name`, the service's error code, or its
 * `$metadata.httpStatusCode`), never a throw.
 */
import { EC2Client, paginateDescribeInstances, paginateDescribeInstanceTypes, type _InstanceType } from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import type { PreflightWarning, SurgeCapacity, SurgeDemand } from '../../../platform/cluster-probe.ts';
import { oneAtATime, surgeCapacities, type MachineQuota } from '../../../platform/surge-quota.ts';

export const EC2_STANDARD_QUOTA_CODE = 'L-1216C47A';
const STANDARD_LABEL = `EC2 quota ${EC2_STANDARD_QUOTA_CODE} (Running On-Demand Standard instances)`;
/** Instance families the Standard quota covers (A, C, D, H, I, M, R, T, Z; `im`/`is` are I). */
const STANDARD_FAMILIES = new Set(['a', 'c', 'd', 'h', 'i', 'im', 'is', 'm', 'r', 't', 'z']);

/** `m6i.large` → `m`; `hpc7g.16xlarge` → `hpc`; `u-6tb1.metal` → `u`. */
export function ec2Family(instanceType: string): string {
  return /^([a-z]+)/.exec(instanceType)?.[1] ?? '';
}

export function isStandardFamily(instanceType: string): boolean {
  return STANDARD_FAMILIES.has(ec2Family(instanceType)) && /^[a-z]+\d/.test(instanceType);
}

export interface AwsSurgeQuotaOptions {
  /** The target's region (the clients' `region`). */
  region: string;
  /** Test seams: endpoints of EC2 and Service Quotas (`http://127.0.0.1:PORT`), static credentials, attempts per call. */
  ec2Endpoint?: string;
  serviceQuotasEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

/** An AWS call that failed, with the IAM action it needs. */
class AwsCallError extends Error {
  readonly permission: string;
  constructor(api: string, permission: string, detail: string) {
    super(`${api} failed (${detail})`);
    this.permission = permission;
  }
}

/** Runs one API's calls; an SDK error becomes an AwsCallError naming the API and its IAM action. */
async function calling<T>(api: string, permission: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    // no identity in the default chain (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html)
    if (e?.name === 'CredentialsProviderError') throw new AwsCallError(api, permission, `no AWS credentials: ${e.message}`);
    // a service error: `name` is its error code (AccessDeniedException, UnauthorizedOperation, …)
    const status = e?.$metadata?.httpStatusCode;
    const code = status !== undefined && e?.name && e.name !== 'Error' ? e.name : status !== undefined ? `HTTP ${status}` : undefined;
    throw new AwsCallError(api, permission, code ? `${code}: ${e?.message ?? ''}` : String(e?.message ?? err));
  }
}

function client(options: AwsSurgeQuotaOptions) {
  const common = {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  };
  const ec2 = new EC2Client({ ...common, ...(options.ec2Endpoint ? { endpoint: options.ec2Endpoint } : {}) });
  const quotas = new ServiceQuotasClient({ ...common, ...(options.serviceQuotasEndpoint ? { endpoint: options.serviceQuotasEndpoint } : {}) });

  return {
    /** vCPUs of each instance type (DescribeInstanceTypes takes up to 100 types a call). */
    vcpus: (types: readonly string[]): Promise<Map<string, number>> =>
      calling('EC2 DescribeInstanceTypes', 'ec2:DescribeInstanceTypes', async () => {
        const out = new Map<string, number>();
        const unique = [...new Set(types)];
        for (let i = 0; i < unique.length; i += 100) {
          for await (const page of paginateDescribeInstanceTypes({ client: ec2 }, { InstanceTypes: unique.slice(i, i + 100) as _InstanceType[] })) {
            for (const t of page.InstanceTypes ?? []) if (t.InstanceType) out.set(t.InstanceType, Number(t.VCpuInfo?.DefaultVCpus));
          }
        }
        return out;
      }),
    /** Instance types of the region's pending and running instances, one entry per instance. */
    runningTypes: (): Promise<string[]> =>
      calling('EC2 DescribeInstances', 'ec2:DescribeInstances', async () => {
        const types: string[] = [];
        for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters: [{ Name: 'instance-state-name', Values: ['pending', 'running'] }] })) {
          for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceType) types.push(i.InstanceType);
        }
        return types;
      }),
    /** The applied value of an EC2 quota (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html). */
    quota: (code: string): Promise<number> =>
      calling('Service Quotas GetServiceQuota', 'servicequotas:GetServiceQuota', async () => {
        const { Quota } = await quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: code }));
        const value = Number(Quota?.Value);
        if (Quota?.Value === undefined || !Number.isFinite(value)) throw new Error(`quota ${code} has no value`);
        return value;
      }),
  };
}

/** A warning for `pools` whose surge capacity could not be read. */
export function surgeWarning(pools: readonly string[], reason: string): PreflightWarning {
  return { check: 'surge-capacity', message: `surge capacity of node pool(s) ${pools.join(', ')} was not checked: ${reason}` };
}

/** Whether EC2's On-Demand vCPU quota can give each demand's surge nodes now; read failures become warnings. */
export async function awsSurgeCapacity(demands: readonly SurgeDemand[], options: AwsSurgeQuotaOptions): Promise<{ surge: SurgeCapacity[]; warnings: PreflightWarning[] }> {
  const wanted = demands.filter((d) => d.nodes > 0);
  if (wanted.length === 0) return { surge: [], warnings: [] };
  const standard = wanted.filter((d) => isStandardFamily(d.machineType));
  const others = wanted.filter((d) => !isStandardFamily(d.machineType));
  const warnings: PreflightWarning[] = others.map((d) => surgeWarning([d.pool], `the EC2 quota of instance family ${ec2Family(d.machineType).toUpperCase()} (${d.machineType}) is not read yet, only ${STANDARD_LABEL}`));
  if (standard.length === 0) return { surge: [], warnings };
  const aws = client(options);
  try {
    const [limit, running] = await Promise.all([aws.quota(EC2_STANDARD_QUOTA_CODE), aws.runningTypes()]);
    const counted = running.filter(isStandardFamily);
    const vcpus = await aws.vcpus([...standard.map((d) => d.machineType), ...counted]);
    const usage = counted.reduce((sum, t) => sum + (vcpus.get(t) ?? 0), 0);
    const machines = new Map<string, MachineQuota>(standard.flatMap((d) => (vcpus.get(d.machineType) ? [[d.machineType, { vcpus: vcpus.get(d.machineType)!, buckets: ['standard'] }] as const] : [])));
    const { surge, unknown } = surgeCapacities(oneAtATime(standard), machines, [{ id: 'standard', label: STANDARD_LABEL, limit, usage }]);
    for (const d of unknown) warnings.push(surgeWarning([d.pool], `EC2 DescribeInstanceTypes does not know instance type ${d.machineType} in ${options.region}`));
    return { surge, warnings };
  } catch (err) {
    const reason = err instanceof AwsCallError ? `${err.message}; the worker's AWS identity needs ${err.permission}` : `reading the EC2 quota failed: ${err instanceof Error ? err.message : String(err)}`;
    return { surge: [], warnings: [...warnings, surgeWarning(standard.map((d) => d.pool), reason)] };
  }
}

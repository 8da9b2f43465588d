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
 * read yet: their pools get a warning instead. The kaas dependencies have no EC2 or Service Quotas
 * SDK client, so the two APIs are called in their documented wire formats (EC2 Query, Service
 * Quotas JSON 1.1), signed with the SDK's own SigV4 signer and the worker's default credential
 * chain. A failed read is a preflight warning naming the API and the IAM permission, never a throw.
 */
import { createHash, createHmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { parseXML } from '@aws-sdk/xml-builder';
import { SignatureV4 } from '@smithy/signature-v4';
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
  region: string;
  /** Test seams: endpoints of EC2 and Service Quotas (`http://127.0.0.1:PORT`), static credentials. */
  ec2Endpoint?: string;
  serviceQuotasEndpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | ArrayBuffer | ArrayBufferView) {
    this.hash.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** An AWS call that failed, with the IAM action it needs. */
class AwsCallError extends Error {
  readonly api: string;
  readonly permission: string;
  constructor(api: string, permission: string, detail: string) {
    super(`${api} failed (${detail})`);
    this.api = api;
    this.permission = permission;
  }
}

const asArray = <T>(v: T | T[] | undefined | null | ''): T[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);

function client(options: AwsSurgeQuotaOptions) {
  const credentials = options.credentials ?? defaultProvider();
  const call = async (service: string, endpoint: string, api: string, permission: string, headers: Record<string, string>, body: string) => {
    const url = new URL(endpoint);
    const signer = new SignatureV4({ service, region: options.region, credentials, sha256: Sha256 });
    let signed;
    try {
      signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname || '/',
        query: {},
        headers: { host: url.host, ...headers },
        body,
      } as never);
    } catch (err) {
      throw new AwsCallError(api, permission, `no AWS credentials: ${err instanceof Error ? err.message : String(err)}`);
    }
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: (signed as unknown as { headers: Record<string, string> }).headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new AwsCallError(api, permission, err instanceof Error ? err.message : String(err));
    }
    return { status: res.status, text: await res.text() };
  };

  const ec2Endpoint = options.ec2Endpoint ?? `https://ec2.${options.region}.amazonaws.com`;
  const quotasEndpoint = options.serviceQuotasEndpoint ?? `https://servicequotas.${options.region}.amazonaws.com`;

  /** One EC2 Query API call (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/Query-Requests.html). */
  const ec2 = async (action: string, params: Record<string, string>) => {
    const body = new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }).toString();
    const { status, text } = await call('ec2', ec2Endpoint, `EC2 ${action}`, `ec2:${action}`, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
    const doc = parseXML(text) as Record<string, any>;
    if (status >= 300) {
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html: <Response><Errors><Error><Code>…
      const error = asArray(doc?.Response?.Errors?.Error)[0] ?? {};
      throw new AwsCallError(`EC2 ${action}`, `ec2:${action}`, `${error.Code ?? `HTTP ${status}`}: ${error.Message ?? text.slice(0, 200)}`);
    }
    return doc[`${action}Response`] ?? {};
  };

  return {
    /** vCPUs of each instance type. */
    async vcpus(types: readonly string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      const unique = [...new Set(types)];
      for (let i = 0; i < unique.length; i += 100) {
        let nextToken: string | undefined;
        do {
          const params: Record<string, string> = Object.fromEntries(unique.slice(i, i + 100).map((t, n) => [`InstanceType.${n + 1}`, t]));
          if (nextToken) params.NextToken = nextToken;
          const page = await ec2('DescribeInstanceTypes', params);
          for (const item of asArray<any>(page.instanceTypeSet?.item)) out.set(String(item.instanceType), Number(item.vCpuInfo?.defaultVCpus));
          nextToken = page.nextToken || undefined;
        } while (nextToken);
      }
      return out;
    },
    /** Instance types of the region's pending and running instances, one entry per instance. */
    async runningTypes(): Promise<string[]> {
      const types: string[] = [];
      let nextToken: string | undefined;
      do {
        const params: Record<string, string> = { 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'pending', 'Filter.1.Value.2': 'running', MaxResults: '1000' };
        if (nextToken) params.NextToken = nextToken;
        const page = await ec2('DescribeInstances', params);
        for (const r of asArray<any>(page.reservationSet?.item)) for (const i of asArray<any>(r.instancesSet?.item)) types.push(String(i.instanceType));
        nextToken = page.nextToken || undefined;
      } while (nextToken);
      return types;
    },
    /** The applied value of an EC2 quota (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html). */
    async quota(code: string): Promise<number> {
      const api = 'Service Quotas GetServiceQuota';
      const { status, text } = await call('servicequotas', quotasEndpoint, api, 'servicequotas:GetServiceQuota', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'ServiceQuotasV20190624.GetServiceQuota' }, JSON.stringify({ ServiceCode: 'ec2', QuotaCode: code }));
      let doc: any;
      try {
        doc = JSON.parse(text);
      } catch {
        doc = {};
      }
      if (status >= 300) throw new AwsCallError(api, 'servicequotas:GetServiceQuota', `${String(doc.__type ?? `HTTP ${status}`).split('#').pop()}: ${doc.message ?? doc.Message ?? text.slice(0, 200)}`);
      const value = Number(doc?.Quota?.Value);
      if (!Number.isFinite(value)) throw new AwsCallError(api, 'servicequotas:GetServiceQuota', `quota ${code} has no value`);
      return value;
    },
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

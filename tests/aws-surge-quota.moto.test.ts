/**
 * The EKS surge-capacity reader (api/worker/health/aws-surge-quota.ts) against a real AWS API
 * emulator for EC2 — moto's server (tests/support/moto.ts), seeded with boto3 — and, for Service
 * Quotas, a local server in the documented JSON 1.1 wire format: moto 5.2.1 implements
 * `GetServiceQuota` for the `vpc` service code only (getmoto/moto moto/servicequotas/models.py@5.2.1),
 * so it answers `NoSuchResourceException` for EC2's L-1216C47A — which the test uses for the
 * error path.
 * Documented shapes: GetServiceQuota request `{ ServiceCode, QuotaCode }` with
 * `X-Amz-Target: ServiceQuotasV20190624.GetServiceQuota`, response `{ Quota: { QuotaCode, Value, … } }`,
 * errors `{ __type, message }` (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html);
 * L-1216C47A "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" counts vCPUs
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html);
 * DescribeInstances / DescribeInstanceTypes (VCpuInfo.DefaultVCpus):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypes.html.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSurgeCapacity, isStandardFamily } from '../api/worker/health/aws-surge-quota.ts';
import { motoMissing, startMoto, type MotoServer } from './support/moto.ts';

const REGION = 'eu-west-1';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

// running: 2 × m5.large (2 vCPUs) + c5.xlarge (4) = 8 Standard vCPUs; a p3.2xlarge (P family, its
// own quota) and a stopped m5.large do not count
const SEED = `
import boto3
ec2 = boto3.client('ec2', endpoint_url=ENDPOINT, region_name=${JSON.stringify(REGION)})
ami = ec2.describe_images()['Images'][0]['ImageId']
run = lambda t, n=1: [i['InstanceId'] for i in ec2.run_instances(ImageId=ami, MinCount=n, MaxCount=n, InstanceType=t)['Instances']]
run('m5.large', 2); run('c5.xlarge'); run('p3.2xlarge')
ec2.stop_instances(InstanceIds=run('m5.large'))
print('ok')
`;

describe.skipIf(motoMissing)('EKS surge capacity: EC2 against moto, Service Quotas against its documented wire format', () => {
  let moto: MotoServer;
  let quotas: http.Server;
  let quotasEndpoint: string;
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  const seen: { target: string | undefined; auth: string | undefined; body: unknown }[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    expect(moto.python(SEED).trim()).toBe('ok');
    quotas = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        seen.push({ target: req.headers['x-amz-target'] as string | undefined, auth: req.headers.authorization, body: JSON.parse(raw) });
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((r) => quotas.listen(0, '127.0.0.1', () => r()));
    quotasEndpoint = `http://127.0.0.1:${(quotas.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
    await new Promise((r) => quotas?.close(r));
  });

  const demands = [
    { pool: 'general', machineType: 'm5.xlarge', nodes: 6, why: 'EKS adds up to twice its 3 Availability Zones' },
    { pool: 'gpu', machineType: 'p3.2xlarge', nodes: 1, why: 'maxSurge 1' },
  ];
  const granted = { status: 200, body: { Quota: { ServiceCode: 'ec2', ServiceName: 'Amazon Elastic Compute Cloud (Amazon EC2)', QuotaCode: 'L-1216C47A', QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances', Value: 16, Unit: 'None', Adjustable: true, GlobalQuota: false } } };
  // one attempt per call: the SDK's retries of a refused connection would only slow the error path
  const options = () => ({ region: REGION, ec2Endpoint: moto.endpoint, serviceQuotasEndpoint: quotasEndpoint, credentials, maxAttempts: 1 });

  it('available = (quota − vCPUs running in Standard families) / vCPUs per node; other families are a warning', async () => {
    answer = granted;
    const { surge, warnings } = await awsSurgeCapacity(demands, options());
    // 16 − 8 = 8 vCPUs free; m5.xlarge has 4 (moto's instance type data, as DescribeInstanceTypes documents it): 2 nodes
    expect(surge).toEqual([{ pool: 'general', needed: 6, available: 2, quota: 'EC2 quota L-1216C47A (Running On-Demand Standard instances): 8 of 16 vCPUs free, 4 vCPUs per m5.xlarge node (EKS adds up to twice its 3 Availability Zones)' }]);
    expect(warnings).toEqual([{ check: 'surge-capacity', message: 'surge capacity of node pool(s) gpu was not checked: the EC2 quota of instance family P (p3.2xlarge) is not read yet, only EC2 quota L-1216C47A (Running On-Demand Standard instances)' }]);
    const call = seen.at(-1)!;
    expect(call.target).toBe('ServiceQuotasV20190624.GetServiceQuota');
    expect(call.body).toEqual({ ServiceCode: 'ec2', QuotaCode: 'L-1216C47A' });
    expect(call.auth).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=testing/\\d{8}/${REGION}/servicequotas/aws4_request`));
  });

  it('a refused or unknown quota is a warning naming the API and the IAM permission, not a throw', async () => {
    answer = { status: 400, body: { __type: 'AccessDeniedException', message: 'User: arn:aws:iam::123456789012:role/kaas-worker is not authorized to perform: servicequotas:GetServiceQuota' } };
    const denied = await awsSurgeCapacity(demands.slice(0, 1), options());
    expect(denied.surge).toEqual([]);
    expect(denied.warnings).toEqual([
      { check: 'surge-capacity', message: expect.stringMatching(/^surge capacity of node pool\(s\) general was not checked: Service Quotas GetServiceQuota failed \(AccessDeniedException: User: .* is not authorized .*\); the worker's AWS identity needs servicequotas:GetServiceQuota$/) },
    ]);
    // moto itself: it has no EC2 quotas, and answers NoSuchResourceException
    const unknown = await awsSurgeCapacity(demands.slice(0, 1), { ...options(), serviceQuotasEndpoint: moto.endpoint });
    expect(unknown.warnings[0]!.message).toMatch(/Service Quotas GetServiceQuota failed \(NoSuchResourceException/);
    // EC2 unreachable (the quota granted, so the failure is EC2's)
    answer = granted;
    const down = await awsSurgeCapacity(demands.slice(0, 1), { ...options(), ec2Endpoint: 'http://127.0.0.1:9' });
    expect(down.warnings[0]!.message).toMatch(/EC2 DescribeInstances failed .*needs ec2:DescribeInstances$/);
  });

  it('counts only the Standard families against L-1216C47A', () => {
    expect(['m5.large', 't3.micro', 'c7gn.xlarge', 'r6i.2xlarge', 'im4gn.large', 'z1d.large', 'd3.xlarge'].every(isStandardFamily)).toBe(true);
    expect(['p3.2xlarge', 'g5.xlarge', 'inf2.xlarge', 'trn1.2xlarge', 'x2idn.16xlarge', 'hpc7g.16xlarge', 'u-6tb1.metal', 'mac2.metal', 'dl1.24xlarge', 'f1.2xlarge', 'vt1.3xlarge'].some(isStandardFamily)).toBe(false);
  });
});

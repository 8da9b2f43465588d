/**
 * The AWS leak check against a real AWS API emulator: moto's server (pinned by
 * scripts/setup-moto.sh), started on a free port for this file. Resources are created in moto
 * with boto3: some tagged with this cluster's tag, some with another cluster's, some untagged.
 * moto's Resource Groups Tagging API covers EC2 (instances, volumes, security groups, …), S3,
 * KMS, CloudWatch Logs, ELBv2 and more, but not IAM
 * (getmoto/moto moto/resourcegroupstaggingapi/models.py@5.2.1; https://docs.getmoto.org/en/latest/docs/services/resourcegroupstaggingapi.html).
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../api/config.ts';
import type { TargetRow } from '../api/db/schema.ts';
import { findLeaks } from '../api/worker/leak-check.ts';
import { awsInventory } from '../api/worker/leaks/aws.ts';
import { motoMissing, startMoto, type MotoServer } from './support/moto.ts';

const REGION = 'eu-west-1';
const CLUSTER = 'c0ffee42';
const OTHER = 'cbadbad00';

const SEED = `
import boto3, json
kw = dict(endpoint_url=ENDPOINT, region_name=${JSON.stringify(REGION)})
ec2 = boto3.client('ec2', **kw); s3 = boto3.client('s3', **kw); kms = boto3.client('kms', **kw); logs = boto3.client('logs', **kw)
KEY = 'kaas-cluster-id'
def tags(cluster): return [{'Key': KEY, 'Value': cluster}, {'Key': 'managed-by', 'Value': 'kaas'}]
def spec(kind, cluster): return [{'ResourceType': kind, 'Tags': tags(cluster)}]
arn = lambda kind, id: f"arn:aws:ec2:${REGION}:123456789012:{kind}/{id}"
out = {'mine': [], 'other': [], 'untagged': []}
ami = ec2.describe_images()['Images'][0]['ImageId']
vpc = ec2.describe_vpcs()['Vpcs'][0]['VpcId']
for owner, cluster in (('mine', '${CLUSTER}'), ('other', '${OTHER}')):
    i = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, TagSpecifications=spec('instance', cluster))['Instances'][0]['InstanceId']
    out[owner].append(arn('instance', i))
    v = ec2.create_volume(AvailabilityZone='${REGION}a', Size=8, TagSpecifications=spec('volume', cluster))['VolumeId']
    out[owner].append(arn('volume', v))
    s3.create_bucket(Bucket=f'kaas-{cluster}-logs', CreateBucketConfiguration={'LocationConstraint': '${REGION}'})
    s3.put_bucket_tagging(Bucket=f'kaas-{cluster}-logs', Tagging={'TagSet': tags(cluster)})
    out[owner].append(f'arn:aws:s3:::kaas-{cluster}-logs')
    k = kms.create_key(Tags=[{'TagKey': KEY, 'TagValue': cluster}])['KeyMetadata']['Arn']
    out[owner].append(k)
    logs.create_log_group(logGroupName=f'/aws/eks/kaas-{cluster}/cluster', tags={KEY: cluster})
    out[owner].append(logs.describe_log_groups(logGroupNamePrefix=f'/aws/eks/kaas-{cluster}/')['logGroups'][0]['arn'].removesuffix(':*'))
# enough tagged security groups for several pages
for n in range(8):
    g = ec2.create_security_group(GroupName=f'kaas-${CLUSTER}-{n}', Description='x', VpcId=vpc, TagSpecifications=spec('security-group', '${CLUSTER}'))['GroupId']
    out['mine'].append(arn('security-group', g))
g = ec2.create_security_group(GroupName='untagged', Description='x', VpcId=vpc)['GroupId']
out['untagged'].append(arn('security-group', g))
ec2.create_security_group(GroupName='other-key', Description='x', VpcId=vpc, TagSpecifications=[{'ResourceType': 'security-group', 'Tags': [{'Key': 'cluster-id', 'Value': '${CLUSTER}'}]}])
s3.create_bucket(Bucket='untagged-bucket', CreateBucketConfiguration={'LocationConstraint': '${REGION}'})
out['untagged'].append('arn:aws:s3:::untagged-bucket')
print(json.dumps(out))
`;

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe.skipIf(motoMissing)('AWS leak check against moto', () => {
  let moto: MotoServer;
  let seeded: { mine: string[]; other: string[]; untagged: string[] };
  const client = () => ({ endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  beforeAll(async () => {
    moto = await startMoto();
    seeded = JSON.parse(moto.python(SEED));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('reports exactly the resources tagged with this cluster, following every page', async () => {
    expect(seeded.mine).toHaveLength(13);
    // 13 resources at 5 a page: three pages, so only a client that follows PaginationToken sees all of them
    const found = await awsInventory({ region: REGION, client: client(), pageSize: 5 }).taggedResources(CLUSTER);
    expect(found).toEqual([...seeded.mine].sort());
    for (const arn of [...seeded.other, ...seeded.untagged]) expect(found).not.toContain(arn);
  });

  it('the other cluster sees only its own', async () => {
    const found = await awsInventory({ region: REGION, client: client() }).taggedResources(OTHER);
    expect(found).toEqual([...seeded.other].sort());
  });

  it('through findLeaks on an aws target with credentials', async () => {
    const target = { id: 't', name: 'aws-prod', cloud: 'aws', region: REGION, account: '123456789012' } as TargetRow;
    const config = { simCloudDir: path.join('/nonexistent'), cloudCredentialEnv: {} } as unknown as Readonly<Config>;
    const report = await findLeaks(config, target, CLUSTER, {
      env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
      inventory: awsInventory({ region: target.region, client: client() }),
    });
    expect(report).toEqual({ ran: true, leaks: [...seeded.mine].sort() });
  });

  it('an unreachable API means not run, with the error', async () => {
    const report = await findLeaks({ cloudCredentialEnv: {} } as unknown as Readonly<Config>, { name: 'aws-prod', cloud: 'aws', region: REGION } as TargetRow, CLUSTER, {
      env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
      // a port nothing listens on
      inventory: awsInventory({ region: REGION, client: { ...client(), endpoint: `http://127.0.0.1:${await closedPort()}`, maxAttempts: 1 } }),
    });
    expect(report.ran).toBe(false);
    expect(!report.ran && report.reason).toMatch(/^aws inventory query failed: .*ECONNREFUSED/);
  });
});

/**
 * The EKS cluster's VPC: reused as given (`vpc.mode = existing`), or created with public subnets
 * (load balancers, NAT) and private subnets (nodes) across availability zones, one NAT gateway,
 * and the subnet tags the load balancer controller uses for discovery.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { NetworkingSpec } from '../../platform/cluster-spec.ts';
import { subnetCidr } from '../common/cidr.ts';

export interface EksNetwork {
  vpcId: pulumi.Output<string>;
  /** Subnets the control plane ENIs go into (all subnets). */
  clusterSubnetIds: pulumi.Output<string>[];
  /** Subnets the nodes go into: private, or public when `publicNodeIps`. */
  nodeSubnetIds: pulumi.Output<string>[];
}

/** Creates (or adopts) the network; created resources are children of `parent`. */
export function eksNetwork(
  clusterName: string,
  networking: NetworkingSpec,
  azCount: number,
  tags: Record<string, string>,
  parent: pulumi.Resource,
): EksNetwork {
  const vpcSpec = networking.vpc;
  if (vpcSpec.mode === 'existing') {
    const ids = vpcSpec.subnetIds.map((id) => pulumi.output(id));
    return { vpcId: pulumi.output(vpcSpec.networkId), clusterSubnetIds: ids, nodeSubnetIds: ids };
  }
  const opts = { parent };
  const clusterTag = { [`kubernetes.io/cluster/${clusterName}`]: 'shared' };
  const vpc = new aws.ec2.Vpc(`${clusterName}-vpc`, {
    cidrBlock: vpcSpec.cidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags: { ...tags, Name: clusterName },
  }, opts);
  const zones = aws.getAvailabilityZonesOutput({ state: 'available' }, opts).names;
  const igw = new aws.ec2.InternetGateway(`${clusterName}-igw`, { vpcId: vpc.id, tags }, opts);
  const publicRt = new aws.ec2.RouteTable(`${clusterName}-public`, {
    vpcId: vpc.id,
    routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
    tags,
  }, opts);
  const publicSubnets: aws.ec2.Subnet[] = [];
  const privateSubnets: aws.ec2.Subnet[] = [];
  for (let i = 0; i < azCount; i++) {
    const az = zones.apply((names) => names[i % names.length] ?? '');
    const pub = new aws.ec2.Subnet(`${clusterName}-public-${i}`, {
      vpcId: vpc.id,
      cidrBlock: subnetCidr(vpcSpec.cidr, 4, i),
      availabilityZone: az,
      mapPublicIpOnLaunch: networking.publicNodeIps,
      tags: { ...tags, ...clusterTag, 'kubernetes.io/role/elb': '1' },
    }, opts);
    new aws.ec2.RouteTableAssociation(`${clusterName}-public-${i}`, { subnetId: pub.id, routeTableId: publicRt.id }, opts);
    publicSubnets.push(pub);
  }
  const eip = new aws.ec2.Eip(`${clusterName}-nat`, { domain: 'vpc', tags }, opts);
  const nat = new aws.ec2.NatGateway(`${clusterName}-nat`, {
    allocationId: eip.id,
    subnetId: publicSubnets[0]!.id,
    tags,
  }, { parent, dependsOn: [igw] });
  const privateRt = new aws.ec2.RouteTable(`${clusterName}-private`, {
    vpcId: vpc.id,
    routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
    tags,
  }, opts);
  for (let i = 0; i < azCount; i++) {
    const priv = new aws.ec2.Subnet(`${clusterName}-private-${i}`, {
      vpcId: vpc.id,
      cidrBlock: subnetCidr(vpcSpec.cidr, 4, 8 + i),
      availabilityZone: zones.apply((names) => names[i % names.length] ?? ''),
      mapPublicIpOnLaunch: false,
      tags: { ...tags, ...clusterTag, 'kubernetes.io/role/internal-elb': '1' },
    }, opts);
    new aws.ec2.RouteTableAssociation(`${clusterName}-private-${i}`, { subnetId: priv.id, routeTableId: privateRt.id }, opts);
    privateSubnets.push(priv);
  }
  const all = [...publicSubnets, ...privateSubnets].map((s) => s.id);
  const nodes = (networking.publicNodeIps ? publicSubnets : privateSubnets).map((s) => s.id);
  return { vpcId: vpc.id, clusterSubnetIds: all, nodeSubnetIds: nodes };
}

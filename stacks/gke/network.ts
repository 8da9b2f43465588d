/**
 * The GKE cluster's VPC network: reused as given (`vpc.mode = existing`: network + first subnet),
 * or a custom-mode network with one regional subnetwork carrying secondary ranges for pods and
 * services (VPC-native cluster), with Private Google Access for private nodes and, for private
 * nodes, a Cloud Router + Cloud NAT so they can pull images from outside Google
 * (https://cloud.google.com/nat/docs/gke-example). An existing network must bring its own egress.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { NetworkingSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { subnetCidr } from '../common/cidr.ts';

export interface GkeNetwork {
  network: pulumi.Output<string>;
  subnetwork: pulumi.Output<string>;
  /** Secondary range names when the subnetwork was created here; absent means GKE allocates. */
  podsRange?: string;
  servicesRange?: string;
}

export function gkeNetwork(name: string, networking: NetworkingSpec, project: string, region: string, parent: pulumi.Resource): GkeNetwork {
  const vpc = networking.vpc;
  if (vpc.mode === 'existing') {
    const subnet = vpc.subnetIds[0];
    if (!subnet) throw new DomainError('VALIDATION', 'networking.vpc.subnetIds: GKE needs one subnetwork');
    return { network: pulumi.output(vpc.networkId), subnetwork: pulumi.output(subnet) };
  }
  const network = new gcp.compute.Network(`${name}-net`, {
    project,
    autoCreateSubnetworks: false,
    routingMode: 'REGIONAL',
    description: `kaas cluster ${name}`,
  }, { parent });
  const subnetwork = new gcp.compute.Subnetwork(`${name}-nodes`, {
    project,
    region,
    network: network.id,
    ipCidrRange: subnetCidr(vpc.cidr, 4, 0),
    privateIpGoogleAccess: true,
    secondaryIpRanges: [
      { rangeName: 'pods', ipCidrRange: subnetCidr(vpc.cidr, 1, 1) },
      { rangeName: 'services', ipCidrRange: subnetCidr(vpc.cidr, 4, 1) },
    ],
  }, { parent });
  if (!networking.publicNodeIps) {
    // private nodes have no external IP: without NAT every image pull from a public registry fails
    const router = new gcp.compute.Router(`${name}-router`, { project, region, network: network.id }, { parent });
    new gcp.compute.RouterNat(`${name}-nat`, {
      project,
      region,
      router: router.name,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    }, { parent });
  }
  return { network: network.id, subnetwork: subnetwork.id, podsRange: 'pods', servicesRange: 'services' };
}

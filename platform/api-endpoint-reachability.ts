/**
 * Can the worker reach the Kubernetes API server a spec plans, to install the addons? The worker
 * talks to the API server in the same `pulumi up` that creates the cluster (Helm releases, the
 * Kubernetes provider), so a cluster the worker cannot reach fails minutes in, after the control
 * plane is built. This rule decides it from the spec's endpoint settings and where the worker runs.
 *
 * The endpoints each program builds (stacks/<cloud>/cluster.ts):
 * - EKS: the private endpoint is always on; the public one only with `privateEndpoint=false` and
 *   at least one `authorizedCidrs` entry, restricted to them
 *   (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 * - GKE: the external endpoint unless `privateEndpoint`; authorised networks are always on with
 *   exactly `authorizedCidrs` (empty: no external address) and Google Cloud public IPs off; the
 *   internal endpoint exists for private clusters (private nodes or private endpoint) and is
 *   reachable from the cluster's VPC (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks).
 * - AKS: a public API server unless `privateEndpoint`; `authorizedIPRanges` = `authorizedCidrs`,
 *   where an empty list means every address (https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges);
 *   a private cluster is reachable only from its VNet or a peered one
 *   (https://learn.microsoft.com/azure/aks/private-clusters).
 * A network the program creates for the cluster (`vpc.mode=create`) is new, so no worker runs in
 * it or is peered with it when the addons install; only an existing network can be one the
 * worker reaches privately.
 */
import type { Cloud, NetworkingSpec } from './cluster-spec.ts';
import { cidrContains, parseIpv4Cidr, type Ipv4Cidr } from './cidr.ts';

/** Where the worker runs, as far as reaching API servers goes. */
export interface WorkerNetwork {
  /**
   * The worker's egress addresses on the internet (its NAT gateway's IPs as /32s), from
   * `KAAS_WORKER_EGRESS_CIDRS`; undefined when not configured, so a restricted public endpoint
   * cannot be judged.
   */
  egressCidrs: readonly string[] | undefined;
  /** Networks (VPC / VNet ids) the worker runs in or is peered with: the target's `workerNetworks`. */
  privateNetworks: readonly string[];
}

export type EndpointField = 'networking.authorizedCidrs' | 'networking.privateEndpoint' | 'networking.vpc';

/** The verdict, with what to change when the worker cannot (or cannot be shown to) reach it. */
export type EndpointReachability =
  | { verdict: 'reachable'; via: 'public' | 'private'; detail: string }
  | { verdict: 'unreachable' | 'unknown'; field: EndpointField; detail: string; fix: string };

const parsed = (cidrs: readonly string[]): Ipv4Cidr[] => cidrs.map(parseIpv4Cidr).filter((c): c is Ipv4Cidr => typeof c !== 'string');

/** The public endpoint a program builds for `net` on `cloud`: absent, open to all, or restricted to a list. */
function publicEndpoint(cloud: Exclude<Cloud, 'sim'>, net: NetworkingSpec): 'none' | 'open' | 'restricted' {
  if (net.privateEndpoint) return 'none';
  if (net.authorizedCidrs.length > 0) return 'restricted';
  // EKS gets no public endpoint without CIDRs; GKE's authorised networks then admit nothing
  // external; AKS reads the empty list as "no restriction"
  return cloud === 'azure' ? 'open' : 'none';
}

/** Whether the program builds a private endpoint for `net` on `cloud`. */
function hasPrivateEndpoint(cloud: Exclude<Cloud, 'sim'>, net: NetworkingSpec): boolean {
  if (cloud === 'aws') return true;
  if (cloud === 'gcp') return net.privateEndpoint || !net.publicNodeIps;
  return net.privateEndpoint;
}

/** Decides whether the worker reaches the API server `net` plans on `cloud`. `sim` has none to reach. */
export function apiEndpointReachability(cloud: Cloud, net: NetworkingSpec, worker: WorkerNetwork): EndpointReachability {
  if (cloud === 'sim') return { verdict: 'reachable', via: 'private', detail: 'simulated cloud: no API server to reach' };
  const inNetwork = net.vpc.mode === 'existing' && worker.privateNetworks.includes(net.vpc.networkId);
  if (inNetwork && hasPrivateEndpoint(cloud, net)) {
    const gke = cloud === 'gcp' ? '; on GKE a worker that is not a node of the cluster also needs its internal range in networking.authorizedCidrs' : '';
    return { verdict: 'reachable', via: 'private', detail: `the worker runs in or is peered with network ${net.vpc.mode === 'existing' ? net.vpc.networkId : ''} and reaches the private endpoint${gke}` };
  }
  const joinNetwork = 'run the worker in the cluster\'s network or one peered with it: networking.vpc.mode=existing with a network listed in the target\'s workerNetworks setting';
  const pub = publicEndpoint(cloud, net);
  if (pub === 'open') return { verdict: 'reachable', via: 'public', detail: 'the public API server admits every address' };
  if (pub === 'none') {
    const why = net.privateEndpoint
      ? 'the API server is private (networking.privateEndpoint=true)'
      : `networking.authorizedCidrs is empty, so ${cloud === 'aws' ? 'EKS gets no public endpoint' : 'GKE admits no external address'}`;
    const where = net.vpc.mode === 'create' ? 'a network the cluster creates for itself' : `network ${net.vpc.networkId}, which is not in the target's workerNetworks`;
    const egress = worker.egressCidrs?.length ? worker.egressCidrs.join(', ') : 'the worker\'s egress CIDR (KAAS_WORKER_EGRESS_CIDRS)';
    return {
      verdict: 'unreachable',
      field: net.privateEndpoint ? 'networking.privateEndpoint' : 'networking.authorizedCidrs',
      detail: `${why} and the worker is outside its network (${where}): it cannot install the addons`,
      fix: `${joinNetwork}; or set networking.privateEndpoint=false and add ${egress} to networking.authorizedCidrs`,
    };
  }
  if (worker.egressCidrs === undefined || worker.egressCidrs.length === 0) {
    return {
      verdict: 'unknown',
      field: 'networking.authorizedCidrs',
      detail: `the public API server admits only ${net.authorizedCidrs.join(', ')} and the worker's egress addresses are not configured`,
      fix: 'set KAAS_WORKER_EGRESS_CIDRS on the worker to its public egress addresses (e.g. its NAT gateway IPs as /32), then check again',
    };
  }
  const allowed = parsed(net.authorizedCidrs);
  const outside = worker.egressCidrs.filter((text) => {
    const egress = parseIpv4Cidr(text);
    return typeof egress === 'string' || !allowed.some((a) => cidrContains(a, egress));
  });
  if (outside.length === 0) return { verdict: 'reachable', via: 'public', detail: `the worker's egress ${worker.egressCidrs.join(', ')} is within networking.authorizedCidrs` };
  return {
    verdict: 'unreachable',
    field: 'networking.authorizedCidrs',
    detail: `the public API server admits only ${net.authorizedCidrs.join(', ')}; the worker's egress ${outside.join(', ')} is outside it, so it cannot install the addons`,
    fix: `add ${outside.join(', ')} to networking.authorizedCidrs, or ${joinNetwork}`,
  };
}

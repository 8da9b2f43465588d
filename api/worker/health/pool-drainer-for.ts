/**
 * The `PoolDrainer` of one cluster: the sim cloud's own for sim targets; for EKS, GKE and AKS the
 * Kubernetes API one, reaching the API server of the cluster's kubeconfig output with the
 * platform's credentials, exactly as the health probe does (cluster-probe-for.ts).
 */
import type { Cloud } from '../../../platform/cluster-spec.ts';
import type { PoolDrainer } from '../../../platform/pool-drainer.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { simPoolDrainer } from '../../../stacks/sim/sim-drain.ts';
import type { Config } from '../../config.ts';
import type { ClusterRow } from '../../db/schema.ts';
import { endpointOfKubeconfig } from './cluster-probe-for.ts';
import { kubePoolDrainer } from './kube-drain.ts';

/** The drainer of `cluster`; `outputs` reads its stack outputs (the kubeconfig) when a real cloud needs them. */
export function poolDrainerFor(config: Readonly<Config>, cluster: Pick<ClusterRow, 'id'>, target: { cloud: Cloud }, outputs: () => Promise<StackOutputs>): PoolDrainer {
  if (target.cloud === 'sim') return simPoolDrainer(config.simCloudDir, cluster.id);
  let real: Promise<PoolDrainer> | undefined;
  const drainer = () =>
    (real ??= outputs().then((o) => {
      const kubeconfig = o.kubeconfig?.value;
      if (typeof kubeconfig !== 'string') throw new Error('the cluster has no kubeconfig output');
      return kubePoolDrainer(endpointOfKubeconfig(kubeconfig, config.toolEnv));
    }));
  return {
    cordon: async (pool) => (await drainer()).cordon(pool),
    uncordon: async (pool) => (await drainer()).uncordon(pool),
    drain: async (pool, opts) => (await drainer()).drain(pool, opts),
  };
}

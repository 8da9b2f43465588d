/**
 * The `ControlPlanePower` of one cluster, where its cloud can stop the control plane (AKS), and
 * how services inject another (tests: a fake, as `clusterProbe`). The AKS program names the
 * resource group after the managed cluster (stacks/aks/cluster.ts), so the stack's `clusterName`
 * output names both.
 */
import type { Cloud } from '../../../platform/cluster-spec.ts';
import type { ControlPlanePower } from '../../../platform/control-plane-power.ts';
import type { StackOutputs } from '../../../stacks/engine/engine.ts';
import { aksControlPlanePower } from './aks-power.ts';

/** The power controls of a cluster of `target` from its stack outputs; throws on a cloud that has none. */
export function controlPlanePowerFor(target: { cloud: Cloud; account?: string }, outputs: () => Promise<StackOutputs>): ControlPlanePower {
  if (target.cloud !== 'azure') throw new Error(`the ${target.cloud} cloud cannot stop a cluster's control plane`);
  const subscriptionId = target.account;
  if (!subscriptionId) throw new Error('the Azure target names no subscription (account)');
  let aks: Promise<ControlPlanePower> | undefined;
  const real = () =>
    (aks ??= outputs().then((o) => {
      const clusterName = o.clusterName?.value;
      if (typeof clusterName !== 'string' || clusterName === '') throw new Error('the cluster has no clusterName output: it was never applied, so there is nothing to stop or start');
      return aksControlPlanePower({ subscriptionId, resourceGroupName: clusterName, clusterName });
    }));
  return {
    state: async (signal) => (await real()).state(signal),
    stop: async (signal) => (await real()).stop(signal),
    start: async (signal) => (await real()).start(signal),
  };
}

/** Builds the power controls of one cluster (`controlPlanePowerFor`'s shape). */
export type ControlPlanePowerFactory = typeof controlPlanePowerFor;

/** The power controls from the services' factory, or the cloud's own client when none is set. */
export function controlPlanePowerOf(services: { controlPlanePower?: ControlPlanePowerFactory | undefined }, target: { cloud: Cloud; account?: string }, outputs: () => Promise<StackOutputs>): ControlPlanePower {
  return (services.controlPlanePower ?? controlPlanePowerFor)(target, outputs);
}

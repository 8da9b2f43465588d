/**
 * AKS cluster stop / start through @azure/arm-containerservice: `managedClusters.stop` and
 * `.start` are long-running operations (POST → 202 Accepted with `Location` /
 * `Azure-AsyncOperation`, polled until the operation reports `Succeeded`), `get` reads
 * `properties.powerState.code` (`Running` | `Stopped`)
 * (https://learn.microsoft.com/rest/api/aks/managed-clusters/stop,
 * https://learn.microsoft.com/rest/api/aks/managed-clusters/start,
 * https://learn.microsoft.com/azure/aks/start-stop-cluster). The identity needs
 * `Microsoft.ContainerService/managedClusters/stop/action`, `…/start/action` and `…/read`.
 */
import { ContainerServiceClient, type ContainerServiceClientOptionalParams } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { ControlPlanePower, PowerState } from '../../../platform/control-plane-power.ts';

export interface AksPowerOptions {
  subscriptionId: string;
  resourceGroupName: string;
  clusterName: string;
  /** Defaults to DefaultAzureCredential (workload identity, managed identity, Azure CLI, …). */
  credential?: TokenCredential;
  /** Client overrides (`endpoint`, `tlsOptions`, `retryOptions`). */
  client?: ContainerServiceClientOptionalParams;
  /** How often a long-running operation is polled when the cloud gives no Retry-After (default 15 s). */
  pollIntervalMs?: number;
}

/** The stop / start / power state of one AKS managed cluster. */
export function aksControlPlanePower(options: AksPowerOptions): ControlPlanePower {
  let client: ContainerServiceClient | undefined;
  const clusters = () => (client ??= new ContainerServiceClient(options.credential ?? new DefaultAzureCredential(), options.subscriptionId, options.client ?? {})).managedClusters;
  const lro = { updateIntervalInMs: options.pollIntervalMs ?? 15_000 };
  const what = `AKS cluster ${options.clusterName} (resource group ${options.resourceGroupName})`;
  const failed = (verb: string) => (err: unknown): never => {
    throw new Error(`${verb} ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  };
  return {
    async state(signal): Promise<PowerState> {
      const mc = await clusters().get(options.resourceGroupName, options.clusterName, { abortSignal: signal }).catch(failed('reading the power state of'));
      const code = mc.powerState?.code;
      if (code !== 'Running' && code !== 'Stopped') throw new Error(`${what} reports no power state (got ${JSON.stringify(code)})`);
      return code;
    },
    async stop(signal) {
      await clusters().stop(options.resourceGroupName, options.clusterName, { ...lro, abortSignal: signal }).pollUntilDone().catch(failed('stopping'));
    },
    async start(signal) {
      await clusters().start(options.resourceGroupName, options.clusterName, { ...lro, abortSignal: signal }).pollUntilDone().catch(failed('starting'));
    },
  };
}

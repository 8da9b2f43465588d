/**
 * Stopping and starting a cluster's control plane, where the cloud has it (AKS: `POST
 * …/managedClusters/{name}/stop` and `/start`, long-running operations;
 * https://learn.microsoft.com/rest/api/aks/managed-clusters/stop). The subset of a cloud client the
 * worker needs, so handlers are tested with a fake and the real client against a local server.
 * Which operations stop or start it is platform/cloud-hibernation.ts.
 */

/** The cluster's power state as the cloud reports it (AKS `properties.powerState.code`). */
export type PowerState = 'Running' | 'Stopped';

export interface ControlPlanePower {
  /** The cloud's current power state of the cluster. */
  state(signal?: AbortSignal): Promise<PowerState>;
  /** Stops the cluster and waits until the cloud reports the operation done. */
  stop(signal?: AbortSignal): Promise<void>;
  /** Starts the cluster and waits until the cloud reports the operation done. */
  start(signal?: AbortSignal): Promise<void>;
}

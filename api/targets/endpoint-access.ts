/**
 * Refuses, at request time, a spec whose API server the worker cannot reach
 * (platform/api-endpoint-reachability.ts): the create would build the control plane and then fail
 * installing the addons. "Cannot tell" (the worker's egress is not configured) is not refused
 * here; the worker's check before the create fails it with the setting to configure.
 */
import { apiEndpointReachability } from '../../platform/api-endpoint-reachability.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { isDomainError, validationError } from '../../platform/errors.ts';
import { parseTargetSettings, workerNetworksOf } from '../../platform/target-settings.ts';
import type { Config } from '../config.ts';
import type { TargetRow } from '../db/schema.ts';

/** Throws a VALIDATION DomainError naming the networking field and the fix when the worker cannot reach `spec`'s API server. */
export function assertWorkerReachesEndpoint(config: Readonly<Config>, target: TargetRow, spec: ClusterSpec): void {
  let networks: string[];
  try {
    networks = workerNetworksOf(parseTargetSettings(target.cloud, target.settings));
  } catch (err) {
    // invalid target settings fail the operation before the engine, naming them (stacks/program-for.ts)
    if (isDomainError(err)) return;
    throw err;
  }
  const r = apiEndpointReachability(target.cloud, spec.networking, { egressCidrs: config.workerEgressCidrs, privateNetworks: networks });
  if (r.verdict === 'unreachable') throw validationError([{ path: r.field, message: r.detail }], r.fix);
}

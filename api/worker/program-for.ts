/**
 * The Pulumi program of a cluster: the sim program for `sim` targets, the cloud programs for
 * aws/gcp/azure. The stack name comes from the cluster id only.
 */
import path from 'node:path';
import type { ClusterSpec, TargetRef } from '../../platform/cluster-spec.ts';
import type { StackTarget } from '../../stacks/engine/engine.ts';
import { simProgram } from '../../stacks/sim/program.ts';
import type { Config } from '../config.ts';
import type { ClusterRow } from '../db/schema.ts';

export function programFor(config: Readonly<Config>, spec: ClusterSpec, clusterId: string): StackTarget['program'] {
  if (spec.target.cloud === 'sim') return simProgram(spec, { clusterId }, { cloudDir: path.resolve(config.simCloudDir) });
  // the cloud SDKs are large: load them only when a real-cloud program runs
  return async () => {
    const { cloudProgramFor } = await import('../../stacks/cloud-programs.ts');
    return cloudProgramFor(spec, { clusterId }, {})();
  };
}

/** The engine target of a cluster with a given spec (the stored one by default). */
export function clusterProgramTarget(config: Readonly<Config>, row: ClusterRow, target: TargetRef, spec: ClusterSpec = row.spec as ClusterSpec): StackTarget {
  return { stackName: row.stack_name, program: programFor(config, { ...spec, target }, row.id) };
}

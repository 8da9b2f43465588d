/**
 * The engine target (stack name + program) of a cluster on its target: the stack name comes from
 * the cluster row, the program from stacks/program-for.ts with the target's settings. Shared by
 * the worker and the kubeconfig query, so neither imports the other.
 */
import path from 'node:path';
import { runsHibernated } from '../../platform/cloud-hibernation.ts';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import type { StackTarget } from '../../stacks/engine/engine.ts';
import { programFor } from '../../stacks/program-for.ts';
import { targetRef } from '../clusters/create-cluster.ts';
import type { Config } from '../config.ts';
import type { ClusterRow, TargetRow } from '../db/schema.ts';

/** Throws DomainError when the target's settings or the spec cannot run, before any engine work. */
export function clusterProgramTarget(config: Readonly<Config>, row: ClusterRow, target: TargetRow, spec: ClusterSpec = row.spec as ClusterSpec, input: Readonly<Record<string, unknown>> = {}): StackTarget {
  // a hibernated cluster's program keeps every pool at 0 (platform/cloud-hibernation.ts `runsHibernated`)
  const hibernated = runsHibernated(row.hibernated_sizes !== null, input);
  return {
    stackName: row.stack_name,
    program: programFor({ ...spec, target: targetRef(target) }, { clusterId: row.id }, { simCloudDir: path.resolve(config.simCloudDir), settings: target.settings, hibernated }),
  };
}

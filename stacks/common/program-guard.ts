/**
 * The check every managed-cloud program factory makes before returning its program: the spec
 * targets that cloud, and it passes the managed-cloud spec rules the API also applies
 * (`platform/cloud-spec-rules.ts`: addon catalog, API server access). Both throw a DomainError, so
 * nothing reaches the cloud.
 */
import { assertCloudSpec } from '../../platform/cloud-spec-rules.ts';
import type { Cloud, ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';

export function assertProgramTarget(spec: ClusterSpec, cloud: Exclude<Cloud, 'sim'>, program: string): void {
  if (spec.target.cloud !== cloud) {
    throw new DomainError('PRECONDITION_FAILED', `${program} needs ${cloud === 'gcp' ? 'a' : 'an'} ${cloud} target, got ${spec.target.cloud}`);
  }
  assertCloudSpec(spec);
}

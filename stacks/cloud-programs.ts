/**
 * Dispatches a spec to its managed cloud's program (aws → EKS, gcp → GKE, azure → AKS). The
 * simulated `sim` cloud has its own program in `stacks/sim/` and is refused here. Loaded lazily by
 * `stacks/program-for.ts`, the one entry point, which validates the target settings first.
 */
import type { ClusterIdentity, ClusterSpec } from '../platform/cluster-spec.ts';
import { DomainError } from '../platform/errors.ts';
import { eksProgram, type EksOutputs, type EksProgramOptions } from './eks/index.ts';
import { gkeProgram, type GkeOutputs, type GkeProgramOptions } from './gke/index.ts';
import { aksProgram, type AksOutputs, type AksProgramOptions } from './aks/index.ts';

/** Per-cloud program options; only the section of the spec's cloud is read. */
export interface CloudProgramOptions {
  aws?: EksProgramOptions;
  gcp?: GkeProgramOptions;
  azure?: AksProgramOptions;
}

/** An inline Pulumi program whose outputs are Pulumi Outputs (kubeconfig secret). */
export type CloudProgram = () => Promise<EksOutputs | GkeOutputs | AksOutputs>;

/** The inline program for `spec`'s cloud; throws DomainError before any resource if unsupported. */
export function cloudProgramFor(spec: ClusterSpec, identity: ClusterIdentity, options: CloudProgramOptions = {}): CloudProgram {
  const cloud = spec.target.cloud;
  switch (cloud) {
    case 'aws':
      return eksProgram(spec, identity, options.aws);
    case 'gcp':
      return gkeProgram(spec, identity, options.gcp);
    case 'azure':
      return aksProgram(spec, identity, options.azure);
    case 'sim':
      throw new DomainError('UNSUPPORTED', 'the sim cloud is not a managed cloud', { hint: 'use the sim program in stacks/sim' });
    default: {
      const never: never = cloud;
      throw new DomainError('UNSUPPORTED', `unknown cloud ${String(never)}`);
    }
  }
}

/**
 * The program the root `Pulumi.yaml` names, so the plain `pulumi` CLI can run one cluster's stack
 * (break-glass) with the same program the worker runs: `programFor` of stacks/program-for.ts.
 *
 * Stack config (namespace `kaas`):
 * - `kaas:specFile` (required): a JSON or YAML file holding the cluster's ClusterSpec, or the
 *   output of `kaas clusters get NAME --output json` (its `cluster.spec` is used);
 * - `kaas:simCloudDir`: the sim cloud directory of a sim cluster (default `.kaas/sim-cloud`,
 *   the platform's default under `KAAS_HOME=./.kaas`);
 * - `kaas:targetSettings` (aws/gcp/azure): the target's settings object, as `kaas targets get
 *   NAME --output json` shows them (e.g. the EKS platform admin role);
 * - `kaas:clusterId`: the cluster id, only when the stack is not named `kaas-<id>`;
 * - `kaas:hibernated`: run the program hibernated (every pool fixed at 0, as the worker does while
 *   the cluster is hibernated); default: the spec file's `cluster.hibernated`, else false.
 */
import * as pulumi from '@pulumi/pulumi';
import { breakGlassProgram, settingsFromStackConfig } from './break-glass-settings.ts';

/** Entry point for the `pulumi` CLI (an entry module may have only a default export). */
export default async function main(): Promise<unknown> {
  return breakGlassProgram(settingsFromStackConfig(new pulumi.Config('kaas'), pulumi.getStack()))();
}

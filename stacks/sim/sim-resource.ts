/** A resource of the simulated cloud: one JSON document under the sim cloud directory. */
import * as pulumi from '@pulumi/pulumi';
import { simProvider, type SimKind } from './provider.ts';

export interface SimResourceArgs {
  cloudDir: pulumi.Input<string>;
  kind: SimKind;
  clusterId: pulumi.Input<string>;
  name: pulumi.Input<string>;
  properties: pulumi.Input<Record<string, unknown>>;
}

const TYPE_NAMES: Record<SimKind, string> = { cluster: 'SimCluster', nodepool: 'SimNodePool', addon: 'SimAddonRelease' };

export class SimResource extends pulumi.dynamic.Resource {
  declare readonly simulated: pulumi.Output<true>;
  declare readonly generation: pulumi.Output<number>;
  declare readonly status: pulumi.Output<string>;
  declare readonly endpoint: pulumi.Output<string | undefined>;
  declare readonly properties: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: SimResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      simProvider,
      name,
      { ...args, simulated: undefined, generation: undefined, status: undefined, endpoint: undefined },
      opts,
      'kaas-sim',
      TYPE_NAMES[args.kind],
    );
  }
}

/** A Helm release of a chart pinned in the addon catalog. */
import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { PinnedChart } from '../../platform/addon-catalog.ts';

/** Installs `chart` (repository, chart and version exactly as the catalog pins them). */
export function pinnedRelease(
  name: string,
  chart: PinnedChart,
  values: pulumi.Input<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repository },
      namespace: chart.namespace,
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      timeout: 900,
      values,
    },
    opts,
  );
}

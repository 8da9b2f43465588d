/**
 * `kaas clusters upgrade NAME --to 1.33 [--plan] | --resume`: plan a Kubernetes upgrade (one minor
 * at a time: control plane → addon bumps → node pools, per hop) and run it as recorded steps, or
 * continue a failed one from the step that failed.
 */
import type { Api } from '../../client.ts';

export async function upgradeCluster(api: Api, opts: { team?: string | undefined; name: string; to?: string | undefined; planOnly: boolean; resume: boolean }) {
  return api.trpc.clusters.upgrade.mutate({
    ...(opts.team ? { team: opts.team } : {}),
    name: opts.name,
    ...(opts.to ? { to: opts.to } : {}),
    planOnly: opts.planOnly,
    resume: opts.resume,
  });
}

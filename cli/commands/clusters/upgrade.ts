/**
 * `kaas clusters upgrade NAME --to 1.33 [--plan] | --resume | --force`: plan a Kubernetes upgrade
 * (the control plane one minor per step, node pools rolled only where the skew forces it and at
 * the end, a health gate after each step, preflight before each hop) and run it as recorded
 * steps; continue a failed one from the step that failed; or approve the reasons a blocked one
 * listed and go past them.
 */
import type { Api } from '../../client.ts';

export async function upgradeCluster(api: Api, opts: { team?: string | undefined; name: string; to?: string | undefined; planOnly: boolean; resume: boolean; force?: boolean }) {
  return api.trpc.clusters.upgrade.mutate({
    ...(opts.team ? { team: opts.team } : {}),
    name: opts.name,
    ...(opts.to ? { to: opts.to } : {}),
    planOnly: opts.planOnly,
    resume: opts.resume,
    ...(opts.force ? { force: true } : {}),
  });
}

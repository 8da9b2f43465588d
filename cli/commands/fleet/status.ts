/**
 * `kaas fleet status ID|NAME [--watch]`: a campaign and each cluster's progress; with `watch`,
 * re-read every 2 s until the campaign stops on its own (completed, halted, cancelled) or waits
 * for someone (awaiting approval) — or until `signal` aborts (Ctrl-C).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CampaignStatus, CampaignStatusView } from '../../api-types.ts';
import type { Api } from '../../client.ts';

/** Statuses at which `--watch` stops: nothing changes any more without a person acting. */
export const WATCH_STOP_STATUSES: ReadonlySet<CampaignStatus> = new Set(['completed', 'halted', 'cancelled', 'awaiting_approval']);

export async function campaignStatus(api: Api, opts: { id: string }): Promise<CampaignStatusView> {
  return api.trpc.fleet.status.query({ id: opts.id });
}

export interface CampaignWatch {
  /** The last status read. */
  view: CampaignStatusView;
  /** True when the signal stopped the watch before the campaign stopped. */
  interrupted: boolean;
}

/** Reads the campaign every `intervalMs` (2 s), handing each read to `onRead`, until it stops or `signal` aborts. */
export async function watchCampaign(api: Api, opts: { id: string; intervalMs?: number; signal?: AbortSignal; onRead?: (view: CampaignStatusView) => void }): Promise<CampaignWatch> {
  for (;;) {
    const view = await campaignStatus(api, opts);
    opts.onRead?.(view);
    if (WATCH_STOP_STATUSES.has(view.campaign.status)) return { view, interrupted: false };
    if (opts.signal?.aborted) return { view, interrupted: true };
    try {
      await sleep(opts.intervalMs ?? 2000, undefined, opts.signal ? { signal: opts.signal } : {});
    } catch {
      return { view, interrupted: true };
    }
  }
}

/** The `dev.kaas.campaign.<status>` event of a campaign's state change, written in the change's transaction. Campaigns span teams: platform-wide events. */
import type { CampaignRow, DbOrTx } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';

/** Publishes `dev.kaas.campaign.<campaign.status>` for the campaign as it is now. */
export async function publishCampaignEvent(db: DbOrTx, campaign: CampaignRow, previous: CampaignRow['status'] | null): Promise<void> {
  await publishEvent(db, {
    type: `dev.kaas.campaign.${campaign.status}`,
    subject: `campaigns/${campaign.name}`,
    teamId: null,
    data: {
      campaign: { id: campaign.id, name: campaign.name, kind: campaign.kind, status: campaign.status, previousStatus: previous, reason: campaign.status_reason, currentWave: campaign.wave_names[campaign.current_wave] ?? null, targetVersion: campaign.target_version, template: campaign.template },
    },
  });
}

/**
 * The channel check, at time `now` (injectable, like the campaign tick): compares what each
 * channel resolves to in the version data with what its clusters run, and PROPOSES a campaign per
 * scope and release that is not proposed yet (platform/channel-proposal.ts). A proposal is
 * scheduled `start_delay_minutes` after it is made, moved past any maintenance exclusion that
 * would block it; a newer release of the same scope dismisses the older open proposal. Then
 * proposals of channels set to auto-start whose time has come are started — unless an exclusion
 * blocks them now (they are then rescheduled to its end).
 *
 * A `patch` channel's releases come from the live version lists of the targets its clusters run
 * on (`services.versionSource`: GKE getServerConfig, AKS listKubernetesVersions; EKS lists none,
 * AWS applies patches itself; sim has no live list), merged by platform/patch-feed.ts: a release
 * is proposed only when every target of the scope's clusters at that minor offers it (the oldest
 * of their newest). A target whose list cannot be read offers nothing — its clusters' minor gets
 * no patch proposal in that scope on that cloud this pass — and is logged and returned in
 * `liveErrors`; the check goes on. Version data that lists patches for a cloud (`opts.versions`:
 * tests, an operator's feed) is used as given and that cloud is not read live.
 *
 * One pass runs at a time across every process (a transaction-scoped advisory lock, as the drift
 * schedule does); the others skip it.
 */
import { sql } from 'kysely';
import { draftProposals, effectiveChannel, type ChannelMember, type ChannelSetting } from '../../platform/channel-proposal.ts';
import type { Cloud } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { exclusionText, nextAllowedStart } from '../../platform/maintenance-exclusion.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { CampaignProposalRow, DbOrTx, Tx, UpgradeChannelRow } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';
import { newId } from '../ids.ts';
import { channelVersionsOn, type ChannelVersions } from './channel-version-data.ts';
import { exclusionsFor } from './channel-store.ts';
import { loadFleet } from './fleet-inventory.ts';
import { proposalBlocker, proposalScopes, startProposalIn, toExclusion } from './proposal-start.ts';
import { scopePatches, type PatchFeedMember, type ScopePatches, type TargetPatches } from '../../platform/patch-feed.ts';
import type { ChannelVersionData } from '../../platform/upgrade-channel.ts';
import { minorOf, type LiveVersionSource } from '../versions/live-versions.ts';

/** Advisory lock key of the channel check ("kaaschan" as a 64-bit number). */
const CHANNEL_LOCK_KEY = BigInt('0x6b6161736368616e').toString();

/** The actor auto-started campaigns run as. */
export const CHANNEL_ACTOR: Actor = { tokenId: 'system', subject: 'system:upgrade-channels', role: 'platform-admin', teamId: null };

export interface ChannelCheckResult {
  /** False when another process held the check. */
  ran: boolean;
  proposed: CampaignProposalRow[];
  started: { proposal: string; campaign: string | null }[];
  /** Auto-start proposals that could not start now, and why. */
  deferred: { proposal: string; reason: string }[];
  /** Targets whose live version list could not be read this pass (their clusters got no patch proposal). */
  liveErrors: { target: string; cloud: Cloud; reason: string }[];
}

export interface ChannelCheckOptions {
  /** The version data (default: the calendar in force on `now`); a cloud it lists patches for is not read live. */
  versions?: ChannelVersions;
}

/** Clouds whose live lists name patch releases kaas can pin (EKS patches itself; sim has no live list). */
const LIVE_PATCH_CLOUDS: readonly Cloud[] = ['gcp', 'azure'];

/** How long one target's live list may take before it counts as unread. */
const LIVE_READ_TIMEOUT_MS = 30_000;

export async function runChannelCheck(services: Services, now: Date, opts: ChannelCheckOptions = {}): Promise<ChannelCheckResult> {
  const result: ChannelCheckResult = { ran: false, proposed: [], started: [], deferred: [], liveErrors: [] };
  const versions = opts.versions ?? channelVersionsOn(now);
  // the clouds' live lists are read before the check's transaction: a slow cloud (up to
  // LIVE_READ_TIMEOUT_MS) holds neither a database connection nor the check's lock
  const offers = await readLiveOffers(services, versions, result);
  await services.db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${CHANNEL_LOCK_KEY}::bigint) as locked`.execute(tx);
    if (!rows[0]?.locked) return;
    result.ran = true;
    const channels = await tx.selectFrom('upgrade_channels').selectAll().execute();
    if (channels.length === 0) return;
    result.proposed = await propose(tx, channels, versions, now, offers);
    await autoStart(services, tx, now, result);
  });
  if (!result.ran) result.liveErrors = [];
  return result;
}

/** The channel settings, the ready clusters as channel members (with their patch pins), and each member's target. */
async function channelMembers(db: DbOrTx, channels: UpgradeChannelRow[]): Promise<{ settings: ChannelSetting[]; members: ChannelMember[]; targetOf: Map<string, string> }> {
  const settings: ChannelSetting[] = channels.map((c) => ({ scope: c.scope, name: c.scope_name, channel: c.channel }));
  const ready = (await loadFleet(db)).filter((c) => c.status === 'ready');
  const pins = await patchPins(db, ready.map((c) => c.id));
  const members: ChannelMember[] = ready.map((c) => ({ id: c.id, team: c.team, cloud: c.cloud, version: c.version, ...(pins.has(c.id) ? { patch: pins.get(c.id) } : {}), ...(c.template ? { template: c.template } : {}) }));
  return { settings, members, targetOf: new Map(ready.map((c) => [c.id, c.target])) };
}

/** Patch channel members on a cloud whose patches the version data does not give: their targets' live lists decide. */
function liveFeed({ settings, members, targetOf }: Awaited<ReturnType<typeof channelMembers>>, versions: ChannelVersions): PatchFeedMember[] {
  return members.flatMap((m) => {
    const setting = effectiveChannel(m, settings);
    if (setting?.channel !== 'patch' || !LIVE_PATCH_CLOUDS.includes(m.cloud) || versions(m.cloud).patches !== undefined) return [];
    return [{ scope: setting.scope, name: setting.name, cloud: m.cloud, target: targetOf.get(m.id)!, version: m.version }];
  });
}

/** What each target of the live feed offers, read outside any transaction; undefined when nothing needs a live list. */
async function readLiveOffers(services: Services, versions: ChannelVersions, result: ChannelCheckResult): Promise<Map<string, TargetPatches> | undefined> {
  if (!services.versionSource) return undefined;
  const channels = await services.db.selectFrom('upgrade_channels').selectAll().execute();
  if (channels.length === 0) return undefined;
  const feed = liveFeed(await channelMembers(services.db, channels), versions);
  return feed.length > 0 ? liveOffers(services, services.versionSource, services.db, feed, result) : undefined;
}

async function propose(tx: Tx, channels: UpgradeChannelRow[], versions: ChannelVersions, now: Date, offers: Map<string, TargetPatches> | undefined): Promise<CampaignProposalRow[]> {
  const fleet = await channelMembers(tx, channels);
  const { settings, members } = fleet;
  // a member the live read did not see (it joined since) finds no offer for its target: it waits for the next pass
  const feed = liveFeed(fleet, versions);
  const live = offers && feed.length > 0 ? scopePatches(feed, offers) : undefined;
  const dataFor = (cloud: Cloud, setting: ChannelSetting): ChannelVersionData => {
    const data = versions(cloud);
    return live && data.patches === undefined && LIVE_PATCH_CLOUDS.includes(cloud) ? { ...data, patches: live.get(setting.scope, setting.name, cloud) } : data;
  };
  const created: CampaignProposalRow[] = [];
  for (const d of draftProposals(members, settings, dataFor)) {
    const setting = channels.find((c) => c.scope === d.scope && c.scope_name === d.name)!;
    const draft = { scope: d.scope, scope_name: d.name, cluster_ids: d.clusterIds };
    const exclusions = (await exclusionsFor(tx, now, await proposalScopes(tx, draft))).map(toExclusion);
    const scheduled = nextAllowedStart(exclusions, new Date(now.getTime() + setting.start_delay_minutes * 60_000), d.target.minorUpgrade);
    const row = await tx
      .insertInto('campaign_proposals')
      .values({ id: newId('p'), ...draft, cluster_ids: JSON.stringify(d.clusterIds), channel: d.channel, target_version: d.target.version, target_release: d.target.release, minor_upgrade: d.target.minorUpgrade, status: 'proposed', scheduled_at: scheduled, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'scope_name', 'target_release']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) continue;
    created.push(row);
    await tx
      .updateTable('campaign_proposals')
      .set({ status: 'dismissed', status_reason: `superseded by ${row.target_release} (${row.id})`, updated_at: now })
      .where('scope', '=', row.scope)
      .where('scope_name', '=', row.scope_name)
      .where('status', '=', 'proposed')
      .where('id', '!=', row.id)
      .where('minor_upgrade', '=', row.minor_upgrade)
      .execute();
    await publishEvent(tx, { type: 'dev.kaas.proposal.created', subject: `proposals/${row.id}`, teamId: null, data: { proposal: row.id, scope: row.scope, name: row.scope_name, channel: row.channel, release: row.target_release, clusters: d.clusterIds.length, scheduledAt: scheduled.toISOString() } });
  }
  return created;
}

/**
 * The newest patch per minor each target of `feed` offers, read from its live list (each target
 * once, in parallel); a target whose read fails or times out maps to undefined (offers nothing),
 * is logged, and is added to `result.liveErrors`.
 */
async function liveOffers(services: Services, source: LiveVersionSource, db: DbOrTx, feed: readonly PatchFeedMember[], result: ChannelCheckResult): Promise<Map<string, TargetPatches>> {
  const names = [...new Set(feed.map((m) => m.target))];
  const rows = await db.selectFrom('targets').select(['name', 'cloud', 'region', 'account']).where('name', 'in', names).execute();
  const offers = new Map<string, TargetPatches>();
  await Promise.all(
    rows.map(async (t) => {
      const cloud = t.cloud as Cloud;
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${LIVE_READ_TIMEOUT_MS / 1000} s`)), LIVE_READ_TIMEOUT_MS);
        });
        const list = await Promise.race([source.listVersions({ cloud: cloud as Exclude<Cloud, 'sim'>, region: t.region, account: t.account }), timeout]);
        const patches: Record<string, string> = {};
        for (const m of list) {
          const minor = minorOf(m.version);
          if (minor && m.newestPatch) patches[minor] = m.newestPatch;
        }
        offers.set(t.name, patches);
      } catch (err) {
        const reason = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 300) : String(err);
        result.liveErrors.push({ target: t.name, cloud, reason });
        services.logger.warn({ target: t.name, cloud, region: t.region, reason }, 'channel check: could not read the live version list; no patch proposal for its clusters this pass');
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  result.liveErrors.sort((a, b) => a.target.localeCompare(b.target));
  return offers;
}

/** The control-plane patch pins (spec.kubernetesPatch) of the clusters `ids` that have one. */
async function patchPins(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('clusters').select(['id', sql<string | null>`spec->>'kubernetesPatch'`.as('patch')]).where('id', 'in', ids).execute();
  return new Map(rows.flatMap((r) => (r.patch ? [[r.id, r.patch] as const] : [])));
}

async function autoStart(services: Services, tx: Tx, now: Date, result: ChannelCheckResult): Promise<void> {
  const due = await tx
    .selectFrom('campaign_proposals as p')
    .innerJoin('upgrade_channels as c', (j) => j.onRef('c.scope', '=', 'p.scope').onRef('c.scope_name', '=', 'p.scope_name'))
    .selectAll('p')
    .where('p.status', '=', 'proposed')
    .where('c.auto_start', '=', true)
    .where('p.scheduled_at', '<=', now)
    .orderBy('p.scheduled_at')
    .forUpdate('p')
    .execute();
  for (const p of due) {
    const blocker = await proposalBlocker(tx, p, now);
    if (blocker) {
      const reason = `waiting for the maintenance exclusion to end: ${exclusionText(blocker)}`;
      await tx.updateTable('campaign_proposals').set({ scheduled_at: blocker.endsAt, status_reason: reason, updated_at: now }).where('id', '=', p.id).execute();
      result.deferred.push({ proposal: p.id, reason });
      continue;
    }
    try {
      const started = await startProposalIn(services, tx, p, CHANNEL_ACTOR, now);
      result.started.push({ proposal: p.id, campaign: started.campaign.id });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // e.g. every cluster was moved meanwhile: nothing left to run
      await tx.updateTable('campaign_proposals').set({ status: 'dismissed', status_reason: `could not start: ${err.message}`, updated_at: now }).where('id', '=', p.id).execute();
      result.deferred.push({ proposal: p.id, reason: err.message });
    }
  }
}

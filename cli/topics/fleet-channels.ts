/** `kaas fleet channels|exclusions|proposals …` and `kaas fleet retry` (platform admins). */
import { Command, Option } from 'commander';
import * as c from '../commands/fleet/channels.ts';
import { channelClearedText, channelsTable, channelText, exclusionsTable, exclusionText, proposalsTable, proposalStartText, proposalText, retryText } from '../render/fleet-channels.ts';
import { usageError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';

type ScopeFlags = { team?: string; template?: string };
const scoped = (cmd: Command) => cmd.option('--team <team>', 'a team').option('--template <name>', 'a template (any version)');

export function registerFleetChannels(fleet: Command, rt: Runtime): void {
  const channels = fleet.command('channels').description('auto-upgrade channels teams and templates follow: patch (a newer patch of the minor, pinned on AKS/GKE; EKS applies patches itself), stable (N-1) or pinned');
  channels.command('list').description('every channel setting').action(async (_o: object, cmd: Command) => rt.print(cmd, await c.listChannels(rt.client(cmd)), channelsTable));
  scoped(channels.command('set <channel>').description('set the channel of a team (wins over its template\'s) or of a template'))
    .option('--auto-start', 'proposals start by themselves at their scheduled time (else an admin starts them)')
    .option('--start-delay <minutes>', 'schedule proposals this long after they are made (default 0)')
    .action(async (channel: string, o: ScopeFlags & { autoStart?: boolean; startDelay?: string }, cmd: Command) => {
      if (!['patch', 'stable', 'pinned'].includes(channel)) throw usageError(`channel "${channel}" must be patch, stable or pinned`, 'example: kaas fleet channels set stable --team payments --auto-start');
      rt.print(cmd, await c.setChannel(rt.client(cmd), { ...c.scopeFromFlags(o), channel: channel as 'patch', autoStart: o.autoStart === true, startDelayMinutes: o.startDelay }), channelText);
    });
  scoped(channels.command('clear').description('remove a setting (a team then follows its template\'s channel, or none)')).action(async (o: ScopeFlags, cmd: Command) => rt.print(cmd, await c.clearChannel(rt.client(cmd), c.scopeFromFlags(o)), channelClearedText));

  const exclusions = fleet.command('exclusions').description('maintenance exclusions: no channel upgrades (or no minor ones) between two dates');
  exclusions.command('list').description('exclusions not over yet').action(async (_o: object, cmd: Command) => rt.print(cmd, await c.listExclusions(rt.client(cmd)), exclusionsTable));
  scoped(exclusions.command('add').description('add an exclusion for a team or a template'))
    .addOption(new Option('--kind <kind>', 'what it blocks').choices(['no_upgrades', 'no_minor_upgrades']).makeOptionMandatory())
    .requiredOption('--from <datetime>', 'start, ISO 8601, e.g. 2026-12-20T00:00:00Z')
    .requiredOption('--until <datetime>', 'end (exclusive), ISO 8601')
    .option('--reason <text>', 'why, shown with it')
    .action(async (o: ScopeFlags & { kind: 'no_upgrades'; from: string; until: string; reason?: string }, cmd: Command) =>
      rt.print(cmd, await c.addExclusion(rt.client(cmd), { ...c.scopeFromFlags(o), kind: o.kind, from: o.from, until: o.until, reason: o.reason }), exclusionText),
    );
  exclusions.command('remove <id>').description('remove an exclusion').action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await c.removeExclusion(rt.client(cmd), id), exclusionText));

  const proposals = fleet.command('proposals').description('campaigns the channels proposed when the version data gained a release');
  proposals
    .command('list')
    .description('proposals, newest first')
    .addOption(new Option('--status <status>', 'only proposals with this status').choices(['proposed', 'started', 'dismissed']))
    .action(async (o: { status?: 'proposed' }, cmd: Command) => rt.print(cmd, await c.listProposals(rt.client(cmd), o.status), proposalsTable));
  proposals.command('start <id>').description('start a proposal now as a campaign: to its minor, or (patch) pinning its patch release (refused inside a maintenance exclusion)').action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await c.startProposal(rt.client(cmd), id), proposalStartText));
  proposals.command('dismiss <id>').description('dismiss a proposal: that release is not proposed again for its scope').action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await c.dismissProposal(rt.client(cmd), id), proposalText));

  fleet
    .command('retry <campaign>')
    .description('put clusters the campaign left blocked by preflight back to pending: preflight runs again, then the upgrade proceeds')
    .option('--cluster <name>', 'only this cluster')
    .action(async (id: string, o: { cluster?: string }, cmd: Command) => rt.print(cmd, await c.retryBlocked(rt.client(cmd), id, o.cluster), retryText));
}

/** `kaas fleet …` (platform admins): plan, start, status, list, pause, resume, cancel, approve, window; channels, exclusions, proposals, retry (fleet-channels.ts). */
import { Command, Option } from 'commander';
import { approveCampaign } from '../commands/fleet/approve.ts';
import { planInputFromFlags, type CampaignFlags } from '../commands/fleet/campaign-flags.ts';
import { cancelCampaign } from '../commands/fleet/cancel.ts';
import { CAMPAIGN_STATUSES, listCampaigns } from '../commands/fleet/list.ts';
import { pauseCampaign } from '../commands/fleet/pause.ts';
import { planCampaign } from '../commands/fleet/plan.ts';
import { resumeCampaign } from '../commands/fleet/resume.ts';
import { startCampaign } from '../commands/fleet/start.ts';
import { campaignStatus, watchCampaign } from '../commands/fleet/status.ts';
import { setMaintenanceWindow, windowFromFlags, type WindowFlags } from '../commands/fleet/window.ts';
import type { CampaignStatus, CampaignSummary } from '../api-types.ts';
import type { Api } from '../client.ts';
import { EXIT } from '../exit-codes.ts';
import { collect } from '../flags.ts';
import { campaignControlText, campaignListTable, campaignPlanText, campaignProgressLine, campaignStartText, campaignStatusText, maintenanceWindowText } from '../render/fleet.ts';
import type { Runtime } from '../runtime.ts';
import { withInterrupt } from '../wait.ts';
import { registerFleetChannels } from './fleet-channels.ts';
import { CLOUDS } from '../../platform/cluster-spec.ts';

const CAMPAIGN_HELP = `
What the campaign does (one of):
  --to-version VERSION           upgrade Kubernetes to VERSION (e.g. 1.33; clusters one minor behind it)
  --template NAME --to N         roll out template version N (--from M: only clusters on version M)

Waves (one of):
  --waves 25,75 [--canary N]     N canary clusters first, then the rest split by percentages (total 100)
  --canary N                     N canary clusters, then the rest in one wave (same as --waves 100)
  --wave ID,ID --wave ID …       explicit lists of cluster ids, one flag per wave, in order

Clusters are sorted by name within the selection; every selector flag must match.`;

/** The flags `fleet plan` and `fleet start` share. */
function campaignOptions(cmd: Command): Command {
  return cmd
    .option('--to-version <version>', 'upgrade campaign: the Kubernetes minor version to reach, e.g. 1.33')
    .option('--template <name>', 'template rollout: the template to roll out')
    .option('--to <n>', 'template rollout: the template version to roll out')
    .option('--from <m>', 'template rollout: only clusters now on this template version')
    .addOption(new Option('--cloud <cloud>', 'select clusters on this cloud').choices(CLOUDS))
    .option('--target <target>', 'select clusters on this deployment target (e.g. sim-local)')
    .option('--team <team>', "select this team's clusters")
    .option('--selector-template <ref>', 'select clusters built from this template (NAME or NAME@VERSION)')
    .option('--label <key=value>', 'select clusters with this label (repeatable; all must match)', collect, [])
    .option('--version-min <version>', 'select clusters at this Kubernetes version or newer')
    .option('--version-max <version>', 'select clusters at this Kubernetes version or older')
    .option('--canary <n>', 'clusters in the canary wave, before the --waves percentages')
    .option('--waves <percentages>', 'the rest split in waves by percentage, e.g. 25,75 (must total 100)')
    .option('--wave <ids>', 'one wave as a comma-separated list of cluster ids (repeatable, in order)', collect, [])
    .option('--max-parallel <n>', 'clusters upgraded at once (default 1)')
    .option('--failure-threshold <n>', 'halt once more than this many clusters failed (default 0: the first failure halts)')
    .option('--approval', 'wait for `kaas fleet approve` between waves')
    .option('--soak <seconds>', 'wait this long after each wave before the next (default 0)')
    .addHelpText('after', CAMPAIGN_HELP);
}

export function registerFleet(program: Command, rt: Runtime): void {
  const fleet = program.command('fleet').description('fleet campaigns: upgrade or roll out a template to many clusters in waves (platform admins)');

  campaignOptions(fleet.command('plan'))
    .description('show which cluster goes in which wave, and which are skipped and why; starts nothing')
    .action(async (o: CampaignFlags, cmd: Command) => {
      const input = planInputFromFlags(o);
      const plan = await planCampaign(rt.client(cmd), input);
      rt.print(cmd, plan, (p) => `${campaignPlanText(p)}\n\nplan only: nothing was started (kaas fleet start NAME with the same flags starts it)`);
    });

  campaignOptions(fleet.command('start <name>'))
    .description('plan and start a campaign named NAME; its cluster set is frozen now')
    .action(async (name: string, o: CampaignFlags, cmd: Command) => {
      const input = planInputFromFlags(o);
      rt.print(cmd, await startCampaign(rt.client(cmd), { name, input }), campaignStartText);
    });

  fleet
    .command('status <campaign>')
    .description('show a campaign (by id or name) and the progress of each of its clusters')
    .option('--watch', 'refresh every 2 s until it is completed, halted, cancelled or awaiting approval (exit 1 if halted)')
    .action(async (id: string, o: { watch?: boolean }, cmd: Command) => {
      const api = rt.client(cmd);
      if (!o.watch) return rt.print(cmd, await campaignStatus(api, { id }), campaignStatusText);
      await watchStatus(cmd, api, id);
    });

  /** Progress lines on stderr while watching (table output), the final status on stdout, and the exit code. */
  async function watchStatus(cmd: Command, api: Api, id: string) {
    const table = rt.format(cmd) === 'table';
    let last = '';
    const { view, interrupted } = await withInterrupt((signal) =>
      watchCampaign(api, {
        id,
        signal,
        onRead: (v) => {
          const line = campaignProgressLine(v.campaign);
          if (table && line !== last) rt.note(`${new Date().toISOString().slice(11, 19)} ${line}`);
          last = line;
        },
      }),
    );
    rt.print(cmd, view, campaignStatusText);
    const c = view.campaign;
    if (interrupted) {
      rt.note(`stopped watching: campaign ${c.name} is ${c.status.replace(/_/g, ' ')} and continues on the server`);
      rt.exitCode = EXIT.INTERRUPTED;
    } else if (c.status === 'halted') {
      rt.note(`error: campaign ${c.name} halted${c.statusReason ? `: ${c.statusReason}` : ''}`);
      rt.note(`hint: fix the failed clusters, then \`kaas fleet resume ${c.name}\` retries them (or \`kaas fleet cancel ${c.name}\`)`);
      rt.exitCode = EXIT.OPERATION_FAILED;
    } else if (c.status === 'awaiting_approval') {
      rt.note(`campaign ${c.name} waits for approval before its next wave (by someone other than its creator): kaas fleet approve ${c.name}, or kaas approvals list`);
    }
  }

  fleet
    .command('list')
    .description('list campaigns, newest first')
    .addOption(new Option('--status <status>', 'only campaigns with this status').choices(CAMPAIGN_STATUSES))
    .action(async (o: { status?: CampaignStatus }, cmd: Command) => rt.print(cmd, await listCampaigns(rt.client(cmd), { status: o.status }), campaignListTable));

  const control: [string, string, (api: Api, opts: { id: string }) => Promise<{ campaign: CampaignSummary }>][] = [
    ['pause', 'stop starting clusters (upgrades under way finish); resume continues', pauseCampaign],
    ['resume', 'continue a paused or halted campaign (a halted wave retries its failed clusters)', resumeCampaign],
    ['cancel', 'stop a campaign for good: clusters not started yet are skipped', cancelCampaign],
    ['approve', 'let a campaign awaiting approval start its next wave', approveCampaign],
  ];
  for (const [verb, description, fn] of control) {
    fleet
      .command(`${verb} <campaign>`)
      .description(`${description} (campaign by id or name)`)
      .action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await fn(rt.client(cmd), { id }), campaignControlText));
  }

  fleet
    .command('window <cluster>')
    .description("set the cluster's weekly maintenance window (UTC) in which campaigns may touch it, or --clear it")
    .requiredOption('--team <team>', "the cluster's team")
    .option('--days <days>', 'days the window opens, e.g. sat,sun (mon … sun)')
    .option('--start <HH:MM>', 'when it opens, in UTC, e.g. 02:00')
    .option('--duration <minutes>', 'how long it stays open, in minutes')
    .option('--clear', 'remove the window: campaigns may touch the cluster at any time')
    .action(async (name: string, o: WindowFlags & { team: string }, cmd: Command) => {
      const window = windowFromFlags(o);
      rt.print(cmd, await setMaintenanceWindow(rt.client(cmd), { team: o.team, name, window }), maintenanceWindowText);
    });

  registerFleetChannels(fleet, rt);
}

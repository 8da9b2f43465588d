/** Every migration, by its timestamped name. Add new ones here; never edit an old one. */
import type { Migration } from 'kysely/migration';
import * as initial from './20261126T1700_initial.ts';
import * as templateDeprecation from './20261126T1800_template_deprecation.ts';
import * as upgradeSteps from './20261126T1900_upgrade_steps.ts';
import * as fleet from './20261126T1910_fleet.ts';
import * as templateSource from './20261201T0100_template_source.ts';
import * as targetSettings from './20261201T0200_target_settings.ts';
import * as operationFromState from './20261201T2350_operation_from_state.ts';
import * as operationNeedsApproval from './20261202T0100_operation_needs_approval.ts';
import * as fleetState from './20261202T0400_fleet_state.ts';
import * as operationAttempts from './20261202T0410_operation_attempts.ts';
import * as driftIndexes from './20261202T0420_drift_indexes.ts';
import * as clusterListIndexes from './20261202T0430_cluster_list_indexes.ts';
import * as campaignClusterBlocked from './20261202T0440_campaign_cluster_blocked.ts';
import * as consoleSessions from './20261202T0450_console_sessions.ts';
import * as platformEvents from './20261202T0800_platform_events.ts';
import * as ssoGroupRules from './20261202T0810_sso_group_rules.ts';
import * as webhooks from './20261202T0820_webhooks.ts';
import * as approvals from './20261202T0830_approvals.ts';
import * as clusterLifetime from './20261202T0840_cluster_lifetime.ts';
import * as teamBudget from './20261202T0850_team_budget.ts';
import * as upgradeChannels from './20261202T0910_upgrade_channels.ts';
import * as clusterNameSearch from './20261202T0920_cluster_name_search.ts';
import * as tokenGroups from './20261202T0925_token_groups.ts';
import * as campaignTargetRelease from './20261202T0937_campaign_target_release.ts';

export const migrations: Record<string, Migration> = {
  '20261126T1700_initial': initial,
  '20261126T1800_template_deprecation': templateDeprecation,
  '20261126T1900_upgrade_steps': upgradeSteps,
  '20261126T1910_fleet': fleet,
  '20261201T0100_template_source': templateSource,
  '20261201T0200_target_settings': targetSettings,
  '20261201T2350_operation_from_state': operationFromState,
  '20261202T0100_operation_needs_approval': operationNeedsApproval,
  '20261202T0400_fleet_state': fleetState,
  '20261202T0410_operation_attempts': operationAttempts,
  '20261202T0420_drift_indexes': driftIndexes,
  '20261202T0430_cluster_list_indexes': clusterListIndexes,
  '20261202T0440_campaign_cluster_blocked': campaignClusterBlocked,
  '20261202T0450_console_sessions': consoleSessions,
  '20261202T0800_platform_events': platformEvents,
  '20261202T0810_sso_group_rules': ssoGroupRules,
  '20261202T0820_webhooks': webhooks,
  '20261202T0830_approvals': approvals,
  '20261202T0840_cluster_lifetime': clusterLifetime,
  '20261202T0850_team_budget': teamBudget,
  '20261202T0910_upgrade_channels': upgradeChannels,
  '20261202T0920_cluster_name_search': clusterNameSearch,
  '20261202T0925_token_groups': tokenGroups,
  '20261202T0937_campaign_target_release': campaignTargetRelease,
};

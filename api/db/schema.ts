/** Table types for kysely. API types are built from these by mappers; rows never leave the API. */
import type { ApprovalAction, ApprovalPolicy, ApprovalRule } from '../../platform/approval-policy.ts';
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, T | string, T | string>;
type JsonWithDefault<T> = ColumnType<T, T | string | undefined, T | string>;

export interface TeamTable {
  id: string;
  name: string;
  max_clusters: ColumnType<number, number | undefined, number>;
  max_total_nodes: ColumnType<number, number | undefined, number>;
  allowed_targets: string[] | null;
  allowed_templates: string[] | null;
  /** Monthly budget in USD for the team's estimated cost; null: no budget. */
  monthly_budget_usd: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
}

export interface TokenTable {
  id: string;
  subject: string;
  team_id: string | null;
  role: 'member' | 'team-admin' | 'platform-admin';
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  /** The identity provider's groups, for a token a console SSO sign-in issued; null otherwise. */
  groups: ColumnType<string[] | null, string | null | undefined, string | null>;
}

export interface TargetTable {
  id: string;
  name: string;
  cloud: 'sim' | 'aws' | 'gcp' | 'azure';
  region: string;
  account: string;
  dns_zones: ColumnType<string[], string[] | undefined, string[]>;
  allowed_teams: string[] | null;
  /** Cloud-specific settings (platform/target-settings.ts), validated on write; `{}` for sim. */
  settings: JsonWithDefault<Record<string, unknown>>;
  /** Which actions on its clusters need approval (platform/approval-policy.ts); null: the default policy. */
  approval_policy: ColumnType<ApprovalPolicy | null, ApprovalPolicy | string | null | undefined, ApprovalPolicy | string | null>;
  created_at: Timestamp;
}

export interface TemplateTable {
  id: string;
  name: string;
  version: number;
  cloud: string;
  definition: Json<unknown>;
  content_hash: string;
  deprecated_at: NullableTimestamp;
  /** Why it is deprecated and what to use instead (set by `templates.deprecate`). */
  deprecation_message: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  /** 'shipped' (a templates/*.yaml file published at start-up) or 'api' (templates.publish). */
  source: ColumnType<TemplateSource, TemplateSource | undefined, never>;
  created_at: Timestamp;
}

/** Where a template version came from. */
export type TemplateSource = 'shipped' | 'api';

export interface ClusterTable {
  id: string;
  team_id: string;
  name: string;
  target_id: string;
  template: string | null;
  spec: Json<unknown>;
  overrides: JsonWithDefault<Record<string, string>>;
  kubernetes_version: string;
  node_count: number;
  status: string;
  status_reason: string | null;
  /** The kind of the operation that left the cluster `failed`. */
  failed_operation: string | null;
  stack_name: string;
  outputs: JsonWithDefault<Record<string, unknown>>;
  drift: Json<unknown> | null;
  labels: JsonWithDefault<Record<string, string>>;
  /** Weekly window fleet campaigns may touch the cluster in (`MaintenanceWindow`); null = any time. */
  maintenance_window: ColumnType<unknown, unknown | string | undefined, unknown | string>;
  /** When the TTL reaper deletes the cluster (platform/ttl.ts); null = never. */
  expires_at: NullableTimestamp;
  /** Warning lead times (ms before expiry) already announced for the current expiry. */
  ttl_warnings_sent: JsonWithDefault<number[]>;
  /** The cluster's hibernation schedule (`HibernationSchedule`); null = none. */
  hibernation: ColumnType<unknown, unknown | string | undefined, unknown | string>;
  /** Node-pool sizes to restore on wake (`{ pool: desiredSize }`); null = awake. */
  hibernated_sizes: ColumnType<Record<string, number> | null, Record<string, number> | string | null | undefined, Record<string, number> | string | null>;
  /** What the hibernation schedule wanted at the last lifetime pass ('asleep' | 'awake'); null: not yet judged. */
  hibernation_last_wanted: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface OperationTable {
  id: string;
  cluster_id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'needs_approval' | 'failed' | 'cancelled';
  /** What the running operation is doing now, for progress displays. */
  step: string | null;
  /** Upgrades: the plan step reached (running or failed step; the step count when done). */
  step_index: ColumnType<number | null, number | null | undefined, number | null>;
  actor: string;
  request_id: string;
  input: JsonWithDefault<Record<string, unknown>>;
  result: Json<unknown> | null;
  error: string | null;
  /** Times a worker took the operation; the running attempt's value is its fencing token. */
  attempts: ColumnType<number, number | undefined, number>;
  /** The cluster status the operation started from (null only on rows inserted by hand). */
  from_status: ColumnType<string | null, string | null | undefined, string | null>;
  /** When it started from `failed`: the failed operation and its reason (`ClusterFailure`). */
  from_failure: ColumnType<{ operation: string; reason: string } | null, string | null | undefined, string | null>;
  event_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

/** One attempt of an operation: the worker (host, pid) that ran it and its heartbeat. */
export interface OperationAttemptTable {
  operation_id: string;
  attempt: number;
  host: string;
  pid: number;
  started_at: ColumnType<Date, Date | undefined, Date>;
  heartbeat_at: ColumnType<Date, Date | undefined, Date>;
  ended_at: NullableTimestamp;
}

export interface OperationEventTable {
  operation_id: string;
  seq: number;
  at: Timestamp;
  event: Json<unknown>;
}

export interface AuditTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  team_id: string | null;
  action: string;
  target: string | null;
  result: string;
  request_id: string;
  detail: Json<unknown> | null;
}

export type CampaignStatus = 'running' | 'paused' | 'awaiting_approval' | 'halted' | 'cancelled' | 'completed';
export type CampaignClusterStatus = 'pending' | 'waiting_window' | 'upgrading' | 'succeeded' | 'failed' | 'blocked' | 'skipped' | 'deleted';

export interface CampaignTable {
  id: string;
  name: string;
  kind: 'upgrade' | 'template-rollout';
  selector: Json<unknown>;
  target_version: string | null;
  /** A patch campaign's patch release (`1.33.5`); `target_version` is then its minor. Null otherwise. */
  target_release: ColumnType<string | null, string | null | undefined, string | null>;
  /** Template name of a template-rollout campaign, and the version it rolls out. */
  template: string | null;
  template_version: number | null;
  /** The wave strategy as given (`WaveStrategy`). */
  strategy: Json<unknown>;
  max_parallel: number;
  failure_threshold: number;
  approval_required: ColumnType<boolean, boolean | undefined, boolean>;
  soak_seconds: ColumnType<number, number | undefined, number>;
  status: CampaignStatus;
  status_reason: string | null;
  /** Index of the wave being run (0-based). */
  current_wave: ColumnType<number, number | undefined, number>;
  /** The planned waves' names, in order (`canary`, `wave-1`, …). */
  wave_names: Json<string[]>;
  /** Highest wave index an operator approved (wave 0 needs none). */
  approved_wave: ColumnType<number, number | undefined, number>;
  /** When every cluster of the current wave finished (soak starts here). */
  wave_done_at: NullableTimestamp;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface CampaignClusterTable {
  campaign_id: string;
  cluster_id: string;
  /** Wave index; null for clusters skipped at planning. */
  wave: number | null;
  position: number;
  status: CampaignClusterStatus;
  operation_id: string | null;
  reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
}

/** The auto-upgrade channel a team or a template follows (platform/upgrade-channel.ts). */
export interface UpgradeChannelTable {
  scope: 'team' | 'template';
  /** Team name, or template name (any version). */
  scope_name: string;
  channel: 'patch' | 'stable' | 'pinned';
  /** Proposals start by themselves at their scheduled time (else an admin starts them). */
  auto_start: ColumnType<boolean, boolean | undefined, boolean>;
  /** A proposal is scheduled this long after it is made (then past any exclusion). */
  start_delay_minutes: ColumnType<number, number | undefined, number>;
  updated_by: string;
  updated_at: Timestamp;
}

/** A period in which channel upgrades of a team or template must not start (platform/maintenance-exclusion.ts). */
export interface MaintenanceExclusionTable {
  id: string;
  scope: 'team' | 'template';
  scope_name: string;
  kind: 'no_upgrades' | 'no_minor_upgrades';
  starts_at: Date;
  ends_at: Date;
  reason: string | null;
  created_by: string;
  created_at: Timestamp;
}

export type ProposalStatus = 'proposed' | 'started' | 'dismissed';

/** A campaign a channel proposes when the version data gains a release: one per scope and release. */
export interface CampaignProposalTable {
  id: string;
  scope: 'team' | 'template';
  scope_name: string;
  channel: 'patch' | 'stable';
  /** The campaign's target minor, and the release that names the proposal (`1.33.5` or `1.33`). */
  target_version: string;
  target_release: string;
  minor_upgrade: boolean;
  /** The clusters the channel moves (the campaign is limited to them). */
  cluster_ids: Json<string[]>;
  status: ProposalStatus;
  status_reason: string | null;
  scheduled_at: Date;
  campaign_id: string | null;
  decided_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A signed-in console session: hashes of its cookie secret and CSRF value, and the token behind it. */
export interface SessionTable {
  id: string;
  secret_hash: string;
  csrf_hash: string;
  token_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
}

/** One outgoing platform event (api/events/publish-event.ts); a CloudEvents 1.0 envelope is built from it at delivery. */
export interface PlatformEventTable {
  seq: Generated<string>;
  id: string;
  /** Reverse-DNS CloudEvents type, e.g. `dev.kaas.operation.succeeded`. */
  type: string;
  /** What the event is about, e.g. `clusters/payments/web` or `campaigns/f…`. */
  subject: string;
  /** The team whose thing it is; null for platform-wide events (a campaign). */
  team_id: string | null;
  data: unknown;
  time: Timestamp;
}

/** One approval given: who, when, with which role. */
export interface ApprovalGiven {
  subject: string;
  role: string;
  at: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded';

/** A request that a sensitive action waits on (api/approvals/*). */
export interface ApprovalRequestTable {
  id: string;
  action: ApprovalAction;
  cluster_id: string | null;
  campaign_id: string | null;
  team_id: string | null;
  requester: string;
  /** SHA-256 of the canonical JSON of `plan`: what exactly will be done once approved. */
  plan_hash: string;
  plan: Json<Record<string, unknown>>;
  /** The operation that stopped for this approval, if one did. */
  operation_id: string | null;
  rule: Json<ApprovalRule>;
  approvals: JsonWithDefault<ApprovalGiven[]>;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** The operation started once it was approved. */
  started_operation_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
  expires_at: Timestamp;
}

/** A webhook subscription (api/webhooks/): platform-wide when team_id is null. `secret` signs deliveries; never returned after creation. */
export interface WebhookSubscriptionTable {
  id: string;
  url: string;
  /** Event type patterns: exact types, `prefix.*` or `*` (platform/event-types.ts). */
  event_types: Json<string[]>;
  team_id: string | null;
  secret: string;
  description: string | null;
  created_by: string;
  created_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

/** One event's delivery to one subscription, with its attempts. */
export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  event_id: string;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  last_error: string | null;
  response_code: number | null;
  next_attempt_at: NullableTimestamp;
  delivered_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The webhook dispatcher's cursor over platform_events.seq (one row). */
export interface WebhookDispatchTable {
  id: 'dispatch';
  last_seq: string;
}

/** The fleet's shared-state fingerprint, one row (see api/state-fingerprint.ts). */
export interface FleetStateTable {
  id: 'fleet';
  fleet_id: string;
  backend: string;
  secrets_provider: string;
  /** A KDF output of the passphrase, never the passphrase; null for a KMS provider. */
  secrets_check: string | null;
  sim_cloud_dir: string;
  recorded_by: string;
  recorded_at: Timestamp;
}

/** One single-sign-on rule: members of the provider group `group_name` act with `role` (in `team_id`). */
export interface SsoGroupRuleTable {
  id: string;
  group_name: string;
  role: 'platform-admin' | 'team-admin' | 'member';
  team_id: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface Database {
  teams: TeamTable;
  tokens: TokenTable;
  targets: TargetTable;
  templates: TemplateTable;
  clusters: ClusterTable;
  operations: OperationTable;
  operation_events: OperationEventTable;
  operation_attempts: OperationAttemptTable;
  audit: AuditTable;
  campaigns: CampaignTable;
  campaign_clusters: CampaignClusterTable;
  sessions: SessionTable;
  fleet_state: FleetStateTable;
  platform_events: PlatformEventTable;
  approval_requests: ApprovalRequestTable;
  upgrade_channels: UpgradeChannelTable;
  maintenance_exclusions: MaintenanceExclusionTable;
  campaign_proposals: CampaignProposalTable;
  sso_group_rules: SsoGroupRuleTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_dispatch: WebhookDispatchTable;
}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DbOrTx = Db | Tx;
export type TeamRow = Selectable<TeamTable>;
export type TokenRow = Selectable<TokenTable>;
export type TargetRow = Selectable<TargetTable>;
export type TemplateRow = Selectable<TemplateTable>;
export type ClusterRow = Selectable<ClusterTable>;
export type OperationRow = Selectable<OperationTable>;
export type NewCluster = Insertable<ClusterTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type CampaignClusterRow = Selectable<CampaignClusterTable>;
export type ApprovalRequestRow = Selectable<ApprovalRequestTable>;
export type UpgradeChannelRow = Selectable<UpgradeChannelTable>;
export type MaintenanceExclusionRow = Selectable<MaintenanceExclusionTable>;
export type CampaignProposalRow = Selectable<CampaignProposalTable>;
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

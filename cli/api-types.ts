/** API types as the client receives them (JSON-serialised), inferred from `AppRouter`. */
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../api/routers/app-router.ts';

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type Cluster = Outputs['clusters']['get']['cluster'];
/** A row of `clusters.list`: a cluster with its last operation. */
export type ClusterListItem = Outputs['clusters']['list']['items'][number];
export type Operation = Outputs['clusters']['get']['operations'][number];
export type ApprovalRequest = Outputs['approvals']['get']['approval'];
export type StoredEvent = Outputs['clusters']['events']['events'][number];
export type OperationEvent = StoredEvent['event'];

export type Team = Outputs['teams']['get'];
/** An estimated monthly cost before and after a change (plan, update). */
export type CostChange = Outputs['clusters']['plan']['cost'];
/** Whether the planned update would pass the team's quota and budget. */
export type QuotaVerdict = Outputs['clusters']['plan']['quota'];
/** An estimated monthly cost (create). */
export type CostEstimateView = Outputs['clusters']['create']['cost'];
export type QuotaInput = NonNullable<Inputs['teams']['create']['quota']>;
export type TeamMembers = Outputs['teams']['members'];
export type Member = TeamMembers['members'][number];

export type Token = Outputs['tokens']['list']['items'][number];
export type TokenPage = Outputs['tokens']['list'];
export type NewToken = Outputs['tokens']['create'];

export type Target = Outputs['targets']['get'];

export type TemplateSummary = Outputs['templates']['list']['items'][number];
export type TemplateDetail = Outputs['templates']['get'];
export type PublishResult = Outputs['templates']['publish'];

export type AuditPage = Outputs['audit']['list'];
export type AuditEntry = AuditPage['items'][number];

export type StackLockList = Outputs['admin']['locks']['list'];
export type StackLockView = StackLockList['items'][number];
export type ClearedLocks = Outputs['admin']['locks']['clear'];

/**
 * The drift record `clusters.get` returns in `cluster.drift` after a drift check (the API types it
 * `unknown`; the worker's refresh handler writes this shape). Read it with `driftOf`.
 */
export interface DriftRecord {
  checkedAt: string;
  drifted: boolean;
  resources: { resource: string; resourceType: string; op: string; fields: string[] }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The cluster's drift record, or null when it was never checked (or reconciled since). */
export function driftOf(cluster: Pick<Cluster, 'drift'>): DriftRecord | null {
  const d = cluster.drift;
  if (!isObject(d) || typeof d.checkedAt !== 'string') return null;
  const resources = Array.isArray(d.resources) ? d.resources.filter(isObject) : [];
  return {
    checkedAt: d.checkedAt,
    drifted: d.drifted === true || resources.length > 0,
    resources: resources.map((r) => ({
      resource: String(r.resource ?? ''),
      resourceType: String(r.resourceType ?? ''),
      op: String(r.op ?? ''),
      fields: Array.isArray(r.fields) ? r.fields.map(String) : [],
    })),
  };
}

/** What a finished reconcile operation reports in `result` (typed `unknown` by the API). */
export interface ReconcileResult {
  applied: boolean;
  needsApproval: boolean;
  /** `op resource` of each step that would delete or replace, when approval is needed. */
  destructive: string[];
  /** The approval request the destructive changes wait on. */
  approval: string | null;
  changes: Record<string, number>;
}

export function reconcileResultOf(operation: Pick<Operation, 'result'>): ReconcileResult {
  const r = isObject(operation.result) ? operation.result : {};
  return {
    applied: r.applied === true,
    needsApproval: r.needsApproval === true,
    destructive: Array.isArray(r.destructive) ? r.destructive.map(String) : [],
    approval: typeof r.approval === 'string' ? r.approval : null,
    changes: isObject(r.changes) ? (Object.fromEntries(Object.entries(r.changes).filter(([, n]) => typeof n === 'number')) as Record<string, number>) : {},
  };
}

/** What `fleet.plan` / `fleet.start` take (the API's schema infers `unknown` over tRPC: typed here). */
export type { CampaignPlanInput, CampaignStartInput } from '../api/fleet/campaign-input.ts';
export type CampaignPlan = Outputs['fleet']['plan'];
export type PlannedCluster = CampaignPlan['waves'][number]['clusters'][number];
export type SkippedCluster = CampaignPlan['skipped'][number];
export type CampaignStart = Outputs['fleet']['start'];
export type CampaignSummary = Outputs['fleet']['list']['items'][number];
export type CampaignStatusView = Outputs['fleet']['status'];
export type CampaignClusterProgress = CampaignStatusView['clusters'][number];
export type CampaignStatus = CampaignSummary['status'];
export type MaintenanceWindowResult = Outputs['fleet']['setMaintenanceWindow'];
export type RolloutPreview = Outputs['templates']['rolloutPreview'];
export type RolloutPreviewItem = RolloutPreview['items'][number];

export type VersionsList = Outputs['versions']['list'];
export type CloudVersions = VersionsList['clouds'][number];

export type ChannelSetting = Outputs['fleet']['channels']['items'][number];
export type MaintenanceExclusionView = Outputs['fleet']['exclusions']['items'][number];
export type ProposalView = Outputs['fleet']['proposals']['items'][number];
export type ProposalStart = Outputs['fleet']['startProposal'];
export type RetryResult = Outputs['fleet']['retry'];
export type WebhookSubscription = Outputs['webhooks']['list']['items'][number];
export type WebhookSubscriptionPage = Outputs['webhooks']['list'];
export type NewWebhookSubscription = Outputs['webhooks']['create'];
export type WebhookDelivery = Outputs['webhooks']['deliveries']['items'][number];
export type WebhookDeliveryPage = Outputs['webhooks']['deliveries'];

/** Table types for kysely. API types are built from these by mappers; rows never leave the API. */
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
}

export interface TargetTable {
  id: string;
  name: string;
  cloud: 'sim' | 'aws' | 'gcp' | 'azure';
  region: string;
  account: string;
  dns_zones: ColumnType<string[], string[] | undefined, string[]>;
  allowed_teams: string[] | null;
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
  created_at: Timestamp;
}

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
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface OperationTable {
  id: string;
  cluster_id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** What the running operation is doing now, for progress displays. */
  step: string | null;
  /** Upgrades: the plan step reached (running or failed step; the step count when done). */
  step_index: ColumnType<number | null, number | null | undefined, number | null>;
  actor: string;
  request_id: string;
  input: JsonWithDefault<Record<string, unknown>>;
  result: Json<unknown> | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  event_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
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

export interface Database {
  teams: TeamTable;
  tokens: TokenTable;
  targets: TargetTable;
  templates: TemplateTable;
  clusters: ClusterTable;
  operations: OperationTable;
  operation_events: OperationEventTable;
  audit: AuditTable;
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

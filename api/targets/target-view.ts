/** What the API returns for a target (a cloud account + region clusters can be placed in). */
import type { Actor } from '../auth/tokens.ts';
import type { DbOrTx, TargetRow } from '../db/schema.ts';

export interface Target {
  id: string;
  name: string;
  cloud: TargetRow['cloud'];
  /** True for the simulated `sim` cloud. */
  simulated: boolean;
  region: string;
  account: string;
  dnsZones: string[];
  /** Teams it is open to; null = every team. Shown to platform admins only. */
  allowedTeams?: string[] | null;
  /** Cloud-specific settings (platform/target-settings.ts). Shown to platform admins only. */
  settings?: Record<string, unknown>;
  /** Which actions on its clusters need approval (null: the platform default). Shown to platform admins only. */
  approvalPolicy?: TargetRow['approval_policy'];
  createdAt: string;
}

export function targetRowToTarget(row: TargetRow, opts: { forAdmin: boolean }): Target {
  return {
    id: row.id,
    name: row.name,
    cloud: row.cloud,
    simulated: row.cloud === 'sim',
    region: row.region,
    account: row.account,
    dnsZones: row.dns_zones,
    ...(opts.forAdmin ? { allowedTeams: row.allowed_teams, settings: row.settings, approvalPolicy: row.approval_policy } : {}),
    createdAt: row.created_at.toISOString(),
  };
}

/** The name of the actor's team, or undefined for platform admins (who see every target). */
export async function viewerTeamName(db: DbOrTx, actor: Actor): Promise<string | undefined> {
  if (actor.role === 'platform-admin') return undefined;
  const team = await db.selectFrom('teams').select('name').where('id', '=', actor.teamId!).executeTakeFirstOrThrow();
  return team.name;
}

/** Whether a target is open to the team named `team` (undefined = a platform admin). */
export function targetVisibleTo(row: TargetRow, team: string | undefined): boolean {
  return team === undefined || row.allowed_teams === null || row.allowed_teams.includes(team);
}

/** `kaas teams list|get|create|set-quota|members`. */
import type { Command } from 'commander';
import { createTeam } from '../commands/teams/create.ts';
import { getTeam } from '../commands/teams/get.ts';
import { listTeams } from '../commands/teams/list.ts';
import { teamMembers } from '../commands/teams/members.ts';
import { quotaFromFlags, type QuotaFlags } from '../commands/teams/quota-flags.ts';
import { setTeamQuota } from '../commands/teams/set-quota.ts';
import { membersTable, teamsTable, teamText } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

const quotaOptions = (cmd: Command) =>
  cmd
    .option('--max-clusters <n>', 'most clusters the team may have')
    .option('--max-nodes <n>', 'most nodes across its clusters')
    .option('--allowed-targets <list>', 'comma-separated targets, or "any"')
    .option('--allowed-templates <list>', 'comma-separated templates, or "any"')
    .option('--monthly-budget <usd>', 'most estimated USD per month across its clusters, or "none"');

export function registerTeams(program: Command, rt: Runtime): void {
  const teams = program.command('teams').alias('team').description('teams and their quotas');

  teams
    .command('list')
    .description('list teams')
    .action(async (_o: object, cmd: Command) => rt.print(cmd, await listTeams(rt.client(cmd)), teamsTable));

  teams
    .command('get <name>')
    .description('show a team with its quota')
    .action(async (name: string, _o: object, cmd: Command) => rt.print(cmd, await getTeam(rt.client(cmd), { name }), teamText));

  quotaOptions(teams.command('create <name>'))
    .description('create a team (platform admins)')
    .action(async (name: string, o: QuotaFlags, cmd: Command) => {
      const quota = quotaFromFlags(o);
      rt.print(cmd, await createTeam(rt.client(cmd), { name, quota }), teamText);
    });

  quotaOptions(teams.command('set-quota <name>'))
    .description("change a team's quota (platform admins)")
    .action(async (name: string, o: QuotaFlags, cmd: Command) => {
      const quota = quotaFromFlags(o);
      rt.print(cmd, await setTeamQuota(rt.client(cmd), { name, quota }), teamText);
    });

  teams
    .command('members')
    .description("list who holds tokens for a team (default: your own)")
    .option('--team <team>', 'the team (platform admins)')
    .action(async (o: { team?: string }, cmd: Command) => rt.print(cmd, await teamMembers(rt.client(cmd), { team: o.team }), membersTable));
}

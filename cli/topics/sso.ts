/** `kaas sso-rules list|add|remove`. */
import type { Command } from 'commander';
import { addRule, listRules, removeRule, SSO_ROLES } from '../commands/sso/rules.ts';
import { renderTable } from '../render/table.ts';
import type { Runtime } from '../runtime.ts';

type Rule = { id: string; group: string; role: string; team: string | null; createdBy: string; createdAt: string };

const rulesTable = (r: { items: Rule[] }) =>
  renderTable<Rule>(
    [
      { header: 'id', value: (x) => x.id },
      { header: 'group', value: (x) => x.group },
      { header: 'role', value: (x) => x.role },
      { header: 'team', value: (x) => x.team },
      { header: 'created by', value: (x) => x.createdBy },
      { header: 'created', value: (x) => x.createdAt },
    ],
    r.items,
    'no SSO group rules: nobody can sign in with SSO yet (kaas sso-rules add)',
  );
const ruleText = (x: Rule) => `${x.id}: group "${x.group}" → ${x.role}${x.team ? ` of team ${x.team}` : ''}\n`;

export function registerSso(program: Command, rt: Runtime): void {
  const rules = program.command('sso-rules').description('single sign-on (OIDC): which identity-provider groups map to which kaas role and team (platform admins)');

  rules
    .command('list')
    .description('list the group rules')
    .action(async (_o: object, cmd: Command) => rt.print(cmd, await listRules(rt.client(cmd)), rulesTable));

  rules
    .command('add')
    .description("map a provider group to a role (and team): members of the group sign in with it")
    .requiredOption('--group <group>', "the group's name as the provider sends it in the groups claim")
    .requiredOption('--role <role>', SSO_ROLES.join(', '))
    .option('--team <team>', 'the team (member and team-admin rules)')
    .action(async (o: { group: string; role: string; team?: string }, cmd: Command) => rt.print(cmd, await addRule(rt.client(cmd), o), (x) => `added ${ruleText(x)}`));

  rules
    .command('remove <id>')
    .description('remove a group rule: its members lose that access on their next request')
    .action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await removeRule(rt.client(cmd), id), (x) => `removed ${ruleText(x)}`));
}

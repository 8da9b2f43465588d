/** `kaas tokens create|list|revoke`. */
import type { Command } from 'commander';
import { createToken, ROLES } from '../commands/tokens/create.ts';
import { listTokens } from '../commands/tokens/list.ts';
import { revokeToken } from '../commands/tokens/revoke.ts';
import { tokensTable, tokenText } from '../render/resources.ts';
import type { Runtime } from '../runtime.ts';

export function registerTokens(program: Command, rt: Runtime): void {
  const tokens = program.command('tokens').alias('token').description('API tokens');

  tokens
    .command('create')
    .description('create a token (shown once)')
    .requiredOption('--subject <name>', 'who or what the token is for')
    .requiredOption('--role <role>', ROLES.join(', '))
    .option('--team <team>', 'its team (platform admins; not for platform-admin tokens)')
    .option('--ttl-days <days>', 'days until it expires')
    .action(async (o: { subject: string; role: string; team?: string; ttlDays?: string }, cmd: Command) => {
      const token = await createToken(rt.client(cmd), { team: o.team, subject: o.subject, role: o.role, ttlDays: o.ttlDays });
      rt.print(cmd, token, (t) => `token ${t.id} for ${t.subject} (${t.role}${t.team ? `, team ${t.team}` : ''}), expires ${t.expiresAt}; it is shown only now:\n\n  ${t.token}\n`);
    });

  tokens
    .command('list')
    .description('list live tokens (never their secrets), newest first')
    .option('--team <team>', 'the team (platform admins)')
    .option('--all', 'also revoked and expired tokens')
    .option('--cursor <cursor>', 'the next page, as printed after a page')
    .action(async (o: { team?: string; all?: boolean; cursor?: string }, cmd: Command) => rt.print(cmd, await listTokens(rt.client(cmd), { team: o.team, all: o.all ?? false, cursor: o.cursor }), tokensTable));

  tokens
    .command('revoke <id>')
    .description('revoke a token now')
    .action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await revokeToken(rt.client(cmd), { id }), (t) => `revoked token ${t.id}\n${tokenText(t)}`));
}

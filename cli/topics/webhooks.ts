/** `kaas webhooks create|list|delete|deliveries|redeliver`. */
import type { Command } from 'commander';
import { createWebhook } from '../commands/webhooks/create.ts';
import { deleteWebhook } from '../commands/webhooks/delete.ts';
import { listDeliveries } from '../commands/webhooks/deliveries.ts';
import { listWebhooks } from '../commands/webhooks/list.ts';
import { redeliver } from '../commands/webhooks/redeliver.ts';
import { deliveriesTable, webhooksTable } from '../render/webhooks.ts';
import type { Runtime } from '../runtime.ts';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter((v) => v.length > 0)];

export function registerWebhooks(program: Command, rt: Runtime): void {
  const webhooks = program.command('webhooks').alias('webhook').description('webhook subscriptions to platform events (CloudEvents, signed)');

  webhooks
    .command('create')
    .description('subscribe a receiver URL to event types (the signing secret is shown once)')
    .requiredOption('--url <url>', 'the receiver, https://host/path')
    .requiredOption('--type <type>', 'an event type, a prefix.* pattern or * (repeatable)', collect, [])
    .option('--team <team>', 'the team whose events it hears (platform admins; team admins: their own)')
    .option('--platform-wide', 'hear every team\'s events and campaign events (platform admins)')
    .option('--description <text>', 'what the receiver is')
    .action(async (o: { url: string; type: string[]; team?: string; platformWide?: boolean; description?: string }, cmd: Command) => {
      const sub = await createWebhook(rt.client(cmd), { url: o.url, types: o.type, team: o.team, platformWide: o.platformWide ?? false, description: o.description });
      rt.print(cmd, sub, (s) => `webhook subscription ${s.id} (${s.team ? `team ${s.team}` : 'platform-wide'}) → ${s.url} for ${s.types.join(', ')}; its signing secret is shown only now:\n\n  ${s.secret}\n`);
    });

  webhooks
    .command('list')
    .description('list subscriptions (never their secrets)')
    .option('--team <team>', 'only this team\'s (platform admins)')
    .action(async (o: { team?: string }, cmd: Command) => rt.print(cmd, await listWebhooks(rt.client(cmd), { team: o.team }), webhooksTable));

  webhooks
    .command('delete <id>')
    .description('delete a subscription and its delivery records')
    .action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await deleteWebhook(rt.client(cmd), { id }), (r) => `deleted webhook subscription ${r.id}`));

  webhooks
    .command('deliveries <id>')
    .description('a subscription\'s deliveries, newest first: status, attempts, response code, last error')
    .option('--limit <n>', 'how many (1-200, default 50)')
    .action(async (id: string, o: { limit?: string }, cmd: Command) => rt.print(cmd, await listDeliveries(rt.client(cmd), { id, limit: o.limit }), deliveriesTable));

  webhooks
    .command('redeliver <delivery>')
    .description('send a delivery again now (same event id, fresh signature)')
    .action(async (id: string, _o: object, cmd: Command) => rt.print(cmd, await redeliver(rt.client(cmd), { id }), (d) => `delivery ${d.id} (${d.eventType}) queued again after ${d.attempts} attempt(s)`));
}

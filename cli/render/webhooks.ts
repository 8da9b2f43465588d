/** Tables of webhook subscriptions and deliveries. */
import type { WebhookDelivery, WebhookDeliveryPage, WebhookSubscription, WebhookSubscriptionPage } from '../api-types.ts';
import { renderTable } from './table.ts';

export function webhooksTable(page: WebhookSubscriptionPage): string {
  return renderTable(
    [
      { header: 'id', value: (s: WebhookSubscription) => s.id },
      { header: 'scope', value: (s) => (s.team ? `team ${s.team}` : 'platform-wide') },
      { header: 'url', value: (s) => s.url },
      { header: 'types', value: (s) => s.types.join(',') },
      { header: 'created', value: (s) => s.createdAt },
    ],
    page.items,
    'no webhook subscriptions',
  );
}

export function deliveriesTable(page: WebhookDeliveryPage): string {
  return renderTable(
    [
      { header: 'id', value: (d: WebhookDelivery) => d.id },
      { header: 'event', value: (d) => d.eventType },
      { header: 'status', value: (d) => d.status },
      { header: 'attempts', value: (d) => d.attempts, align: 'right' },
      { header: 'code', value: (d) => d.responseCode },
      { header: 'next attempt', value: (d) => d.nextAttemptAt },
      { header: 'last error', value: (d) => d.lastError },
    ],
    page.items,
    'no deliveries yet',
  );
}

/** What the API returns for subscriptions and deliveries (never the secret, except once at creation). */
import type { WebhookDeliveryRow, WebhookSubscriptionRow } from '../db/schema.ts';

export interface WebhookSubscription {
  id: string;
  url: string;
  types: string[];
  /** The team's name, or null for a platform-wide subscription. */
  team: string | null;
  description: string | null;
  createdBy: string;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryRow['status'];
  attempts: number;
  lastError: string | null;
  responseCode: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** The columns a subscription view reads: every one but the secret. */
export const SUBSCRIPTION_COLUMNS = ['id', 'url', 'event_types', 'team_id', 'description', 'created_by', 'created_at'] as const;

export function subscriptionRowToView(row: Omit<WebhookSubscriptionRow, 'secret'>, team: string | null): WebhookSubscription {
  return { id: row.id, url: row.url, types: row.event_types, team, description: row.description, createdBy: row.created_by, createdAt: row.created_at.toISOString() };
}

export function deliveryRowToView(row: WebhookDeliveryRow & { type: string }): WebhookDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.type,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    responseCode: row.response_code,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

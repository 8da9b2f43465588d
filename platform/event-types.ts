/**
 * Every platform event type (CloudEvents 1.0 `type`, https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#type)
 * in one place: producers may publish only these, and a webhook subscription may name only these
 * (or a `prefix.*` pattern matching some of them, or `*`).
 */
import { DomainError } from './errors.ts';

export const PLATFORM_EVENT_TYPES = [
  'dev.kaas.operation.queued',
  'dev.kaas.operation.running',
  'dev.kaas.operation.succeeded',
  'dev.kaas.operation.failed',
  'dev.kaas.operation.cancelled',
  'dev.kaas.operation.needs_approval',
  'dev.kaas.campaign.running',
  'dev.kaas.campaign.paused',
  'dev.kaas.campaign.awaiting_approval',
  'dev.kaas.campaign.halted',
  'dev.kaas.campaign.cancelled',
  'dev.kaas.campaign.completed',
  'dev.kaas.drift.detected',
  'dev.kaas.approval.requested',
  'dev.kaas.approval.approved',
  'dev.kaas.approval.rejected',
  'dev.kaas.approval.expired',
  'dev.kaas.cluster.ttl-warning',
  'dev.kaas.cluster.expired',
  'dev.kaas.proposal.created',
  'dev.kaas.proposal.started',
  'dev.kaas.proposal.dismissed',
] as const;

export type PlatformEventType = (typeof PLATFORM_EVENT_TYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(PLATFORM_EVENT_TYPES);

/** Whether `type` is one of the platform's event types. */
export function isPlatformEventType(type: string): type is PlatformEventType {
  return KNOWN.has(type);
}

/** Whether `pattern` (an exact type, `prefix.*`, or `*`) matches `type`. */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether any of a subscription's `patterns` matches `type`. */
export function subscribedTo(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => eventTypeMatches(p, type));
}

/** Checks a subscription's type patterns: each must match at least one known type. */
export function assertEventTypePatterns(patterns: readonly string[]): void {
  const unknown = patterns.filter((p) => !PLATFORM_EVENT_TYPES.some((t) => eventTypeMatches(p, t)));
  if (unknown.length > 0) {
    throw new DomainError('VALIDATION', `unknown event type${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, {
      hint: `name types such as ${PLATFORM_EVENT_TYPES.slice(0, 3).join(', ')}, a pattern such as dev.kaas.operation.*, or *; every type is listed in the README's "Events and webhooks" section`,
      issues: unknown.map((p) => ({ path: 'types', message: `${p} matches no event type` })),
    });
  }
}

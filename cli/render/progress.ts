/** One line of live progress per operation event, e.g. `[12:01:03] + create  pool-general (SimNodePool)`. */
import type { OperationEvent, StoredEvent } from '../api-types.ts';

const OP_SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '+-', 'create-replacement': '+-', 'delete-replaced': '-', read: '>', refresh: '↻', import: '=' };

/** `kaas-sim:index:SimNodePool` → `SimNodePool`. */
export function shortType(type: string | undefined): string {
  if (!type) return '';
  return type.slice(type.lastIndexOf(':') + 1);
}

/** HH:MM:SS in local time. */
export function clock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function step(symbol: string, event: OperationEvent & { op?: string; resource?: string; resourceType?: string; diffs?: string[] }): string {
  const type = shortType(event.resourceType);
  const diffs = event.diffs && event.diffs.length ? ` [${event.diffs.join(', ')}]` : '';
  return `${symbol} ${(event.op ?? '').padEnd(7)} ${event.resource ?? ''}${type ? ` (${type})` : ''}${diffs}`;
}

/** The text of an event, without the time. */
export function describeEvent(event: OperationEvent): string {
  switch (event.kind) {
    case 'step-started':
      return step(OP_SYMBOL[event.op ?? ''] ?? '*', event);
    case 'step-done':
      return step('✓', event);
    case 'step-failed':
      return step('✗', event) + ' failed';
    case 'diagnostic':
      return `${event.severity === 'error' ? 'error' : 'warning'}: ${event.resource ? `${event.resource}: ` : ''}${event.message ?? ''}`;
    case 'summary':
      return `summary: ${formatChanges(event.changes ?? {})}`;
    case 'message':
      return event.severity === 'error' || event.severity === 'warning' ? `${event.severity}: ${event.message}` : event.message;
    default:
      return JSON.stringify(event);
  }
}

/** `{create: 3, same: 2}` → `3 create, 2 same`; empty → `no changes`. */
export function formatChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${n} ${op}`);
  return parts.length ? parts.join(', ') : 'no changes';
}

/** One progress line for a stored event. */
export function formatEventLine(stored: StoredEvent): string {
  return `[${clock(stored.at)}] ${describeEvent(stored.event)}`;
}

/** A status line: `[12:01:05] operation o123 (create): running — step`. */
export function formatStatusLine(op: { id: string; kind: string; status: string; step: string | null }, at = new Date().toISOString()): string {
  return `[${clock(at)}] operation ${op.id} (${op.kind}): ${op.status}${op.step ? ` — ${op.step}` : ''}`;
}
